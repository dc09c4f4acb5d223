import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { isAudioBlocked, resumeAllAudio, subscribeAudioBlocked } from '../call/audioPlayback';

export function SoundBlockedBanner() {
  const { t } = useTranslation();
  const blocked = useSyncExternalStore(subscribeAudioBlocked, isAudioBlocked);
  if (!blocked) return null;
  return (
    <p className="banner" role="alert">
      {t('call.soundBlocked')}{' '}
      <button type="button" className="primary" onClick={resumeAllAudio}>
        {t('call.turnOnSound')}
      </button>
    </p>
  );
}
