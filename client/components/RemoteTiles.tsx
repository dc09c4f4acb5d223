import { useRef, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultSession, SessionState } from '../call/consultSession';
import { duckedVolume, useInterpreterSpeaking } from '../call/useDucking';
import { useViewHeights } from '../call/useViewHeights';
import { languageNote } from './languageNotes';
import { ParticipantTile } from './ParticipantTile';
import { tileLayout, useElementSize } from './tileLayout';
import { remoteVideoFact } from './videoFacts';

/** Space between tiles, in CSS pixels (as the stylesheet's gap). */
const tileGap = 8;
const smallTile = { width: 260, height: 200 };

/** The others in the call: their video, their sound (lowered under the interpreter when asked), their state. */
export function RemoteTiles({ session, state, compact, ducking }: { session: ConsultSession; state: SessionState; compact: boolean; ducking: boolean }) {
  const { t, i18n } = useTranslation();
  const isDoctor = state.self?.role === 'doctor';
  const interpreter = state.participants.find((participant) => participant.role === 'interpreter');
  const interpreterSpeaking = useInterpreterSpeaking(interpreter?.audioTrack, ducking && state.self?.role !== 'interpreter');
  const area = useRef<HTMLDivElement>(null);
  const layout = tileLayout(state.participants.length, useElementSize(area), tileGap);
  const sizes = {
    '--tile-width': `${layout.width}px`,
    '--tile-height': `${layout.height}px`,
    // Wide enough for exactly `columns` tiles a row, so the rows break where the layout says.
    '--tiles-width': `${layout.columns * layout.width + (layout.columns - 1) * tileGap}px`,
  } as CSSProperties;
  // Small tiles (a small phone, many people) keep their captions short: the rest is in the list of people.
  const small = layout.width > 0 && (layout.width < smallTile.width || layout.height < smallTile.height);
  useViewHeights(session, state.participants, layout.height);
  return (
    <div ref={area} className="tiles-area">
      <section className={['tiles', compact ? 'compact' : '', small ? 'small' : ''].filter(Boolean).join(' ')} aria-label={t('call.regionLabel')} style={layout.width > 0 ? sizes : undefined}>
        {state.participants.map((participant) => (
          <ParticipantTile
            key={participant.id}
            participantId={participant.id}
            label={t('call.tileLabel', { name: participant.displayName, role: t(`role.${participant.role}`) })}
            displayName={participant.displayName}
            role={participant.role}
            languageNote={languageNote(participant.role, state.consult, state.self?.role, t, i18n.language)}
            hasFloor={state.floor?.holderId === participant.id}
            volume={interpreterSpeaking && participant.role !== 'interpreter' ? duckedVolume : 1}
            audioMuted={participant.audioMuted}
            videoOff={participant.videoOff}
            reconnecting={participant.reconnecting}
            noMediaPath={participant.path === 'none'}
            pathNote={isDoctor && participant.path && participant.path !== 'none' ? t('call.pathLabel', { path: t(`call.path.${participant.path}`) }) : undefined}
            speaking={state.activeSpeakerId === participant.id}
            quality={state.quality[participant.id]}
            videoFact={remoteVideoFact(participant, state)}
            videoTrack={participant.videoTrack}
            audioTrack={participant.audioTrack}
            onRemove={isDoctor && participant.role !== 'doctor' ? () => session.remove(participant.id) : undefined}
            onMute={isDoctor ? () => session.muteParticipant(participant.id) : undefined}
            onAskToUnmute={isDoctor ? () => session.askToUnmute(participant.id) : undefined}
          />
        ))}
        {state.phase === 'in-call' && state.participants.length === 0 && <p className="alone-hint">{t('call.aloneHint')}</p>}
      </section>
    </div>
  );
}
