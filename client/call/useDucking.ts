// Ducking, for one listener: while the interpreter speaks, the others'
// voices are turned down in this browser only, so the interpretation is easy
// to follow. The listener turns it on or off; the choice is remembered.
import { useEffect, useState } from 'react';
import { watchAudioLevel } from './audioLevel';
import { SpeechGate } from './speechGate';

const storageKey = 'consilium.duckUnderInterpreter';

/** How loud the others stay while the interpreter speaks. */
export const duckedVolume = 0.25;

export function useDuckingPreference(): [boolean, (enabled: boolean) => void] {
  const [enabled, setEnabled] = useState(() => readPreference());
  const choose = (value: boolean) => {
    setEnabled(value);
    try {
      window.localStorage.setItem(storageKey, value ? '1' : '0');
    } catch {
      // Storage can be blocked; the choice then lasts for this page only.
    }
  };
  return [enabled, choose];
}

function readPreference(): boolean {
  try {
    return window.localStorage.getItem(storageKey) === '1';
  } catch {
    return false;
  }
}

/** Whether the interpreter is speaking now (when ducking is on). */
export function useInterpreterSpeaking(interpreterAudio: MediaStreamTrack | undefined, enabled: boolean): boolean {
  const [speaking, setSpeaking] = useState(false);
  useEffect(() => {
    if (!enabled || !interpreterAudio) return;
    const gate = new SpeechGate();
    const stop = watchAudioLevel(interpreterAudio, (level) => setSpeaking(gate.update(level, performance.now())), 100);
    return () => {
      stop();
      setSpeaking(false);
    };
  }, [interpreterAudio, enabled]);
  return enabled && interpreterAudio !== undefined && speaking;
}
