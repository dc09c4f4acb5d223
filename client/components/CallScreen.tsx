import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { ConsultSession, type JoinDetails, type SessionState } from '../call/consultSession';
import type { DocumentsApi } from '../documents/documentsApi';
import { useDocumentsApi } from '../documents/useDocumentsApi';
import { LanguageSelect } from '../i18n/LanguageSelect';
import type { PreparedMedia } from '../prejoin/PreJoinPanel';
import { Announcer } from './Announcer';
import { CallControls } from './CallControls';
import { CallLayout } from './CallLayout';
import { CallNotices } from './CallNotices';
import { ChatPanel } from './ChatPanel';
import { SelfTile } from './SelfTile';
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

/**
 * After the call: the doctor who ended it goes back to their consults; a
 * patient or interpreter reads what happens next, in plain words; whoever
 * left by mistake or was cut off can join again.
 */
function SessionOver({ state, onRejoin }: { state: SessionState; onRejoin: () => void }) {
  const { t } = useTranslation();
  const reason = state.failure ?? 'generic';
  const canRejoin = state.phase === 'left' || mayRejoinAfter(reason);
  const isDoctor = state.self?.role === 'doctor';
  const over = state.phase === 'ended' || (state.phase === 'left' && !isDoctor);

  useEffect(() => {
    if (isDoctor && state.phase === 'ended') window.location.assign('/dashboard');
  }, [isDoctor, state.phase]);

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
      {over && !isDoctor && state.consult && (
        <section className="what-next" aria-labelledby="what-next-heading">
          <h2 id="what-next-heading">{t('afterCall.title')}</h2>
          <p>{t(state.self?.role === 'interpreter' ? 'afterCall.interpreter' : 'afterCall.patient', { doctor: state.consult.doctorName })}</p>
          <p>{t('afterCall.close')}</p>
        </section>
      )}
      <div className="button-row">
        {canRejoin && (
          <button type="button" className={isDoctor || state.phase !== 'left' ? 'primary' : undefined} onClick={onRejoin}>
            {t('call.rejoin')}
          </button>
        )}
        {isDoctor && (
          <a className="button" href="/dashboard">
            {t('afterCall.toDashboard')}
          </a>
        )}
      </div>
    </main>
  );
}

function InCall({ session, state }: { session: ConsultSession; state: SessionState }) {
  const documentsApi = useDocumentsApi(state.consult?.id, session.httpCredentials);
  if (state.phase === 'waiting') return <WaitingLayout session={session} state={state} documentsApi={documentsApi} />;
  return <CallLayout session={session} state={state} documentsApi={documentsApi} />;
}

/** Before being let in: where one stands, the records, a private chat with the doctor, the language, one's own picture. */
function WaitingLayout({ session, state, documentsApi }: { session: ConsultSession; state: SessionState; documentsApi: DocumentsApi | undefined }) {
  const { t } = useTranslation();
  return (
    <main className="call" data-phase={state.phase}>
      <h1 className="visually-hidden">{state.consult?.title ?? t('app.name')}</h1>
      <CallNotices session={session} state={state} />
      <Announcer state={state} />
      <div className="stage">
        <WaitingScreen state={state} documentsApi={documentsApi} credentials={session.httpCredentials} />
        <div className="side">
          <ChatPanel session={session} state={state} />
          <div className="panel language-panel">
            <LanguageSelect />
          </div>
          <SelfTile state={state} />
        </div>
      </div>
      <CallControls session={session} state={state} />
    </main>
  );
}
