import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { watchAudioLevel } from '../call/audioLevel';

/** A live level meter for the microphone, so people see that it hears them. */
export function MicrophoneMeter({ track }: { track: MediaStreamTrack | undefined }) {
  const { t } = useTranslation();
  const [level, setLevel] = useState(0);

  useEffect(() => {
    if (!track) return;
    // RMS to a 0..100 scale that moves visibly for normal speech.
    return watchAudioLevel(track, (rms) => setLevel(Math.min(100, Math.round(rms * 400))));
  }, [track]);

  return (
    <div
      className="level-meter"
      role="meter"
      aria-label={t('prejoin.microphoneLevel')}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={track ? level : 0}
    >
      <div className="level-meter-bar" style={{ inlineSize: `${track ? level : 0}%` }} />
    </div>
  );
}
