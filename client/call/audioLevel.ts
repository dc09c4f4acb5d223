// How loud an audio track is, measured a few dozen times a second with the
// Web Audio API: the pre-join microphone meter and ducking under the
// interpreter both use it.

/** Calls `onLevel` with the RMS level (0 silent … 1 full scale) every `intervalMs`; returns a stop function. */
export function watchAudioLevel(track: MediaStreamTrack, onLevel: (rms: number) => void, intervalMs = 50): () => void {
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  // A timer rather than animation frames: it keeps running in a background tab.
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    onLevel(Math.sqrt(sum / samples.length));
  }, intervalMs);
  void context.resume();
  return () => {
    clearInterval(timer);
    void context.close();
  };
}
