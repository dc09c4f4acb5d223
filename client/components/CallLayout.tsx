import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultSession, SessionState } from '../call/consultSession';
import { useDuckingPreference } from '../call/useDucking';
import { DocumentsPanel } from '../documents/DocumentsPanel';
import { CaseSection } from '../intake/CaseSection';
import type { DocumentsApi } from '../documents/documentsApi';
import { LanguageSelect } from '../i18n/LanguageSelect';
import { Announcer } from './Announcer';
import { ArrivalNotice } from './ArrivalNotice';
import { AudioOnlySetting } from './AudioOnlySetting';
import { usePanelBadges } from './callBadges';
import { CallControls } from './CallControls';
import { CallDrawer, useDrawers } from './CallDrawer';
import { CallNotices } from './CallNotices';
import { ChatPanel } from './ChatPanel';
import { DeviceSettings } from './DeviceSettings';
import { ErrorBoundary, SectionFailed } from './ErrorBoundary';
import { DuckingSetting, InterpretationBar } from './InterpretationBar';
import { lazyPart, Loading } from './LazyPart';
import { RemoteTiles } from './RemoteTiles';
import { Roster } from './Roster';
import { SelfTile } from './SelfTile';
import { useAdmission } from './useAdmission';
import { WaitingRoomPanel } from './WaitingRoomPanel';

// Fetched when someone first shows a document: most calls never need the viewer.
const DocumentViewer = lazyPart(async () => (await import('../documents/DocumentViewer')).DocumentViewer);

/**
 * The call as a call: the page never scrolls. The others' video fills what
 * the notices and the control bar leave, our own picture floats over a
 * corner, and everything else opens from the bar into a drawer, beside the
 * video on wide screens and over it on phones. A document shown to everyone
 * takes the main area, with the faces beside it (wide) or above it (narrow).
 */
export function CallLayout({ session, state, documentsApi }: { session: ConsultSession; state: SessionState; documentsApi: DocumentsApi | undefined }) {
  const { t } = useTranslation();
  const self = state.self;
  const isDoctor = self?.role === 'doctor';
  const inCall = state.phase === 'in-call';
  const presentation = inCall ? state.presentation : null;
  const [ducking, setDucking] = useDuckingPreference();
  const drawers = useDrawers();
  const badges = usePanelBadges(state, documentsApi, drawers.open);
  const admission = useAdmission(session);

  return (
    <main className={presentation ? 'call call-screen presenting' : 'call call-screen'} data-phase={state.phase} data-drawer={drawers.open ?? 'none'}>
      <h1 className="visually-hidden">{state.consult?.title ?? t('app.name')}</h1>
      <div className="call-top">
        <CallNotices session={session} state={state} />
        {isDoctor && inCall && <ArrivalNotice state={state} admission={admission} hidden={drawers.open === 'people'} />}
        {inCall && <InterpretationBar session={session} state={state} />}
      </div>
      <Announcer state={state} chatHidden={drawers.open !== 'chat'} />
      <div className="call-body">
        <div className="call-stage">
          <div className="stage-layout">
            {presentation && documentsApi && self && (
              <div className="call-document">
                <ErrorBoundary fallback={<SectionFailed />} resetKey={presentation.document?.id ?? null}>
                  <Suspense fallback={<Loading />}>
                    <DocumentViewer session={session} presentation={presentation} selfId={self.id} isDoctor={isDoctor} api={documentsApi} />
                  </Suspense>
                </ErrorBoundary>
              </div>
            )}
            <div className="call-faces">
              <RemoteTiles session={session} state={state} compact={presentation !== null} ducking={ducking} />
              <SelfTile state={state} />
            </div>
          </div>
        </div>
        <CallDrawer name="chat" label={t('callScreen.chat')} drawers={drawers}>
          <ChatPanel session={session} state={state} visible={drawers.open === 'chat'} />
        </CallDrawer>
        <CallDrawer name="documents" label={t('callScreen.documents')} drawers={drawers}>
          {inCall && self && <CaseSection consultId={state.consult?.id} credentials={session.httpCredentials} role={self.role} signedAs={self.displayName} />}
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
        </CallDrawer>
        <CallDrawer name="people" label={t('callScreen.people')} drawers={drawers}>
          {isDoctor && inCall && <WaitingRoomPanel state={state} admission={admission} />}
          {inCall && <Roster session={session} state={state} />}
        </CallDrawer>
        <CallDrawer name="settings" label={t('callScreen.settings')} drawers={drawers}>
          <section className="panel settings-panel">
            <h2>{t('callScreen.settings')}</h2>
            {inCall && <AudioOnlySetting session={session} state={state} />}
            {inCall && <DeviceSettings session={session} state={state} />}
            <LanguageSelect />
            <DuckingSetting state={state} ducking={ducking} onDucking={setDucking} />
          </section>
        </CallDrawer>
      </div>
      <CallControls session={session} state={state} drawers={drawers} badges={badges} admission={isDoctor ? admission : undefined} />
    </main>
  );
}
