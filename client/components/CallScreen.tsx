import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { ConsultSession, type JoinDetails } from '../call/consultSession';
import { CallControls } from './CallControls';
import { ParticipantTile } from './ParticipantTile';
import { SoundBlockedBanner } from './SoundBlockedBanner';

export function CallScreen({ join }: { join: JoinDetails }) {
  const [session, setSession] = useState<ConsultSession>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const created = new ConsultSession(join);
    setSession(created);
    void created.start();
    return () => created.dispose();
  }, [join.consultId, join.role, join.displayName, attempt]);

  if (!session) return null;
  return <CallView session={session} join={join} onRejoin={() => setAttempt((value) => value + 1)} />;
}

function CallView({ session, join, onRejoin }: { session: ConsultSession; join: JoinDetails; onRejoin: () => void }) {
  const { t } = useTranslation();
  const state = useSyncExternalStore(session.subscribe, session.getState);

  if (state.phase === 'left' || state.phase === 'failed') {
    const failureKey = `failure.${state.failure ?? 'generic'}`;
    return (
      <main className="notice" data-phase={state.phase}>
        {state.phase === 'left' ? (
          <h1>{t('call.left')}</h1>
        ) : (
          <>
            <h1>{t('failure.title')}</h1>
            <p role="alert">{t(failureKey, { defaultValue: t('failure.generic') })}</p>
          </>
        )}
        <button type="button" className="primary" onClick={onRejoin}>
          {t('call.rejoin')}
        </button>
      </main>
    );
  }

  return (
    <main className="call" data-phase={state.phase}>
      <h1 className="visually-hidden">{t('app.name')}</h1>
      <SoundBlockedBanner />
      {state.mediaProblem && (
        <p className="banner" role="status">
          {t(`media.${state.mediaProblem}`)}
        </p>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {state.phase === 'joining' ? t('call.joining') : ''}
      </p>
      <div className="stage">
      <section className="tiles" aria-label={t('call.regionLabel')}>
        {state.participants.map((participant) => (
          <ParticipantTile
            key={participant.id}
            participantId={participant.id}
            label={t('call.tileLabel', { name: participant.displayName, role: t(`role.${participant.role}`) })}
            displayName={participant.displayName}
            role={participant.role}
            audioMuted={participant.audioMuted}
            videoOff={participant.videoOff}
            videoTrack={participant.videoTrack}
            audioTrack={participant.audioTrack}
          />
        ))}
        {state.phase === 'in-call' && state.participants.length === 0 && <p className="alone-hint">{t('call.aloneHint')}</p>}
      </section>
      <ParticipantTile
        self
        participantId="self"
        label={t('call.selfLabel', { name: join.displayName })}
        displayName={join.displayName}
        role={join.role}
        audioMuted={state.microphoneMuted}
        videoOff={state.cameraOff}
        videoTrack={state.localStream?.getVideoTracks()[0]}
        audioTrack={undefined}
      />
      </div>
      <CallControls session={session} state={state} />
    </main>
  );
}
