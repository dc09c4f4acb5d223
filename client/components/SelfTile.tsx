import { useTranslation } from 'react-i18next';
import type { SessionState } from '../call/consultSession';
import { ParticipantTile } from './ParticipantTile';
import { selfVideoFact } from './videoFacts';

/** Our own camera, mirrored as in a looking glass: a small picture over the call, or beside the others while a document is shown. */
export function SelfTile({ state }: { state: SessionState }) {
  const { t } = useTranslation();
  const self = state.self;
  return (
    <ParticipantTile
      self
      participantId="self"
      label={t('call.selfLabel', { name: self?.displayName ?? '' })}
      displayName={self?.displayName ?? ''}
      role={self?.role ?? 'patient'}
      audioMuted={state.microphoneMuted}
      videoOff={state.cameraOff}
      speaking={self !== undefined && state.activeSpeakerId === self.id}
      hasFloor={self !== undefined && state.floor?.holderId === self.id}
      quality={state.quality['self']}
      videoFact={selfVideoFact(state)}
      videoTrack={state.localStream?.getVideoTracks()[0]}
      audioTrack={undefined}
    />
  );
}
