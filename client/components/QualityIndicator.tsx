import { useTranslation } from 'react-i18next';
import type { ConnectionQuality } from '../call/connectionQuality';
import { Icon } from './icons';
import { videoFactIcons, type VideoFact } from './videoFacts';

/**
 * The connection's grade as bars, and beside them, when the link changed what
 * is seen, a small sign of what (video paused, audio only, a lower picture):
 * bars alone would not tell a paused video from a poor one. The name says both
 * in words, for screen readers and as a tooltip.
 */
export function QualityIndicator({ quality, fact }: { quality: ConnectionQuality; fact?: VideoFact | undefined }) {
  const { t } = useTranslation();
  const bars = quality === 'good' ? 3 : quality === 'fair' ? 2 : quality === 'poor' ? 1 : 0;
  const grade = t(`call.quality.${quality}`);
  const label = fact ? t('call.quality.labelWithFact', { quality: grade, fact: t(`call.video.${fact}`) }) : t('call.quality.label', { quality: grade });
  return (
    <span className={`quality quality-${quality}`} role="img" aria-label={label} title={label} data-fact={fact}>
      {[1, 2, 3].map((bar) => (
        <span key={bar} className={bar <= bars ? 'quality-bar on' : 'quality-bar'} />
      ))}
      {fact && <Icon name={videoFactIcons[fact]} />}
    </span>
  );
}
