import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A live level meter for the microphone, so people see that it hears them. */
export function MicrophoneMeter({ track }: { track: MediaStreamTrack | undefined }) {
  const { t } = useTranslation();
  const [level, setLevel] = useState(0);

  useEffect(() => {
    if (!track) return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let frame = 0;
    const measure = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      // RMS to a 0..100 scale that moves visibly for normal speech.
      setLevel(Math.min(100, Math.round(Math.sqrt(sum / samples.length) * 400)));
      frame = requestAnimationFrame(measure);
    };
    void context.resume();
    measure();
    return () => {
      cancelAnimationFrame(frame);
      void context.close();
    };
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
