import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { ConsultSession, type JoinDetails, type SessionState } from '../call/consultSession';
import { DocumentsPanel } from '../documents/DocumentsPanel';
import { DocumentViewer } from '../documents/DocumentViewer';
import { useDocumentsApi } from '../documents/useDocumentsApi';
import type { PreparedMedia } from '../prejoin/PreJoinPanel';
import { CallControls } from './CallControls';
import { ChatPanel } from './ChatPanel';
import { DeviceSettings } from './DeviceSettings';
import { ErrorBoundary, SectionFailed } from './ErrorBoundary';
import { useDuckingPreference } from '../call/useDucking';
import { LanguageSelect } from '../i18n/LanguageSelect';
import { Announcer } from './Announcer';
import { InterpretationBar } from './InterpretationBar';
import { ParticipantTile } from './ParticipantTile';
import { RemoteTiles } from './RemoteTiles';
import { Roster } from './Roster';
import { SoundBlockedBanner } from './SoundBlockedBanner';
import { WaitingRoomPanel } from './WaitingRoomPanel';
import { WaitingScreen } from './WaitingScreen';
import { mayRejoinAfter } from './sessionEnd';

export function CallScreen({ join, prepared }: { join: JoinDetails; prepared?: PreparedMedia | undefined }) {
  const [session, setSession] = useState<ConsultSession>();
  const [attempt, setAttempt] = useState(0);
  const joinKey = JSON.stringify(join);

  useEffect(() => {
    // Devices opened on the pre-join page serve the first attempt; a rejoin opens its own.
    const created = new ConsultSession(JSON.parse(joinKey) as JoinDetails, attempt === 0 ? prepared : undefined);
    // The session is an outside system (a connection, devices) made and disposed with this effect;
    // React's double mount in development must get a fresh one, so it cannot be made while rendering.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSession(created);
    void created.start();
    return () => created.dispose();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `prepared` is for the first attempt only
  }, [joinKey, attempt]);

  if (!session) return null;
  return <CallView session={session} onRejoin={() => setAttempt((value) => value + 1)} />;
}

function CallView({ session, onRejoin }: { session: ConsultSession; onRejoin: () => void }) {
  const state = useSyncExternalStore(session.subscribe, session.getState);

  useEffect(() => {
    // A doctor whose session expired signs in again and comes back here.
    if (state.failure === 'unauthenticated') window.location.assign('/login');
  }, [state.failure]);

  if (state.phase === 'left' || state.phase === 'ended' || state.phase === 'failed') {
    return <SessionOver state={state} onRejoin={onRejoin} />;
  }
  return <InCall session={session} state={state} />;
}

function SessionOver({ state, onRejoin }: { state: SessionState; onRejoin: () => void }) {
  const { t } = useTranslation();
  const reason = state.failure ?? 'generic';
  const canRejoin = state.phase === 'left' || mayRejoinAfter(reason);
  return (
    <main className="notice" data-phase={state.phase} data-reason={reason}>
      {state.phase === 'left' ? (
        <h1>{t('call.left')}</h1>
      ) : (
        <>
          <h1>{t(state.phase === 'ended' ? 'failure.endedTitle' : 'failure.title')}</h1>
          <p role="alert">{t(`failure.${reason}`, { defaultValue: t('failure.generic') })}</p>
        </>
      )}
      {canRejoin && (
        <button type="button" className="primary" onClick={onRejoin}>
          {t('call.rejoin')}
        </button>
      )}
    </main>
  );
}

function InCall({ session, state }: { session: ConsultSession; state: SessionState }) {
  const { t } = useTranslation();
  const self = state.self;
  const isDoctor = self?.role === 'doctor';
  const inCall = state.phase === 'in-call';
  const documentsApi = useDocumentsApi(state.consult?.id, session.documentCredentials);
  const presentation = inCall ? state.presentation : null;
  const [ducking, setDucking] = useDuckingPreference();
  // Doctor and interpreter together while the patient is not in yet: the pre-brief.
  const preBrief =
    inCall &&
    state.consult?.interpretation != null &&
    self?.role !== 'patient' &&
    !state.participants.some((participant) => participant.role === 'patient');
  return (
    <main className="call" data-phase={state.phase}>
      <h1 className="visually-hidden">{state.consult?.title ?? t('app.name')}</h1>
      <SoundBlockedBanner />
      {state.linkInUse && (
        <p className="banner" role="status" data-testid="link-in-use">
          {t('call.linkInUse')}
        </p>
      )}
      {state.reconnecting ? (
        <p className="banner" role="status" data-testid="reconnecting">
          {t(state.restarting ? 'call.restarting' : 'call.reconnecting')}
        </p>
      ) : state.mediaPath === 'none' ? (
        <p className="banner" role="alert" data-testid="no-media-path">
          {t('call.noMediaPath')}
        </p>
      ) : (
        state.quality['self'] === 'lost' && (
          <p className="banner" role="status" data-testid="interrupted">
            {t('call.selfInterrupted')}
          </p>
        )
      )}
      {state.doctorNotice && <DoctorNotice session={session} notice={state.doctorNotice} />}
      {state.mediaProblem && (
        <p className="banner" role="status">
          {t(`media.${state.mediaProblem}`)}
        </p>
      )}
      {preBrief && (
        <p className="banner banner-private" role="status">
          {t('interpretation.preBrief')}
        </p>
      )}
      <Announcer state={state} />
      {inCall && <InterpretationBar session={session} state={state} ducking={ducking} onDucking={setDucking} />}
      <div className={presentation ? 'stage presenting' : 'stage'}>
        {state.phase === 'waiting' ? (
          <WaitingScreen state={state} documentsApi={documentsApi} />
        ) : (
          <div className="main-area">
            {presentation && documentsApi && self && (
              <ErrorBoundary fallback={<SectionFailed />} resetKey={presentation.document?.id ?? null}>
                <DocumentViewer session={session} presentation={presentation} selfId={self.id} isDoctor={isDoctor} api={documentsApi} />
              </ErrorBoundary>
            )}
            <RemoteTiles session={session} state={state} compact={presentation !== null} ducking={ducking} />
          </div>
        )}
        <div className="side">
          {isDoctor && inCall && <WaitingRoomPanel session={session} state={state} />}
          {inCall && <Roster session={session} state={state} />}
          {(inCall || state.phase === 'waiting') && <ChatPanel session={session} state={state} />}
          {inCall && documentsApi && self && (
            <ErrorBoundary fallback={<SectionFailed />} resetKey={String(state.documentsVersion)}>
              <DocumentsPanel
                api={documentsApi}
                version={state.documentsVersion}
                role={self.role}
                inCall
                withInterpreter={state.consult?.interpretation != null}
                presentation={presentation}
                isSelfPresenting={presentation?.presenterId === self.id}
                onPresent={(documentId) => session.presentDocument(documentId)}
              />
            </ErrorBoundary>
          )}
          {inCall && <DeviceSettings session={session} state={state} />}
          <div className="panel language-panel">
            <LanguageSelect />
          </div>
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
            videoTrack={state.localStream?.getVideoTracks()[0]}
            audioTrack={undefined}
          />
        </div>
      </div>
      <CallControls session={session} state={state} />
    </main>
  );
}

function DoctorNotice({ session, notice }: { session: ConsultSession; notice: NonNullable<SessionState['doctorNotice']> }) {
  const { t } = useTranslation();
  const unmute = () => {
    session
      .setMicrophoneMuted(false)
      .catch((error: unknown) => console.warn('unmute failed', error))
      .finally(() => session.dismissDoctorNotice());
  };
  return (
    <p className="banner" role="alert">
      {notice.kind === 'muted' ? t('call.mutedByDoctor', { doctor: notice.by }) : t('call.unmuteRequested', { doctor: notice.by })}{' '}
      {notice.kind === 'unmute-requested' && (
        <button type="button" className="primary" onClick={unmute}>
          {t('call.unmuteNow')}
        </button>
      )}{' '}
      <button type="button" onClick={() => session.dismissDoctorNotice()}>
        {t('common.dismiss')}
      </button>
    </p>
  );
}
