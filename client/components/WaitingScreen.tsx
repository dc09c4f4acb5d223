import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionState } from '../call/consultSession';
import type { DocumentsApi } from '../documents/documentsApi';
import { DocumentsPanel } from '../documents/DocumentsPanel';
import type { ConsultCredentials } from '../api/consultCredentials';
import { CaseSection } from '../intake/CaseSection';
import { ConsultWhen } from './ConsultWhen';

/** After this long past the scheduled time without the doctor, the waiting person is told the doctor is late. */
const lateAfterMs = 5 * 60 * 1000;

/** The current time, a few times a minute: enough for "running late". */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** What a patient or interpreter sees until the doctor lets them in: where they stand, their case (or its translation) and their records. */
export function WaitingScreen({ state, documentsApi, credentials }: { state: SessionState; documentsApi: DocumentsApi | undefined; credentials: ConsultCredentials }) {
  const { t } = useTranslation();
  const doctorName = state.consult?.doctorName ?? '';
  const status = state.waitingStatus;
  const now = useNow(20_000);
  const consult = state.consult;
  const late = consult !== undefined && status !== undefined && !status.doctorOnline && now > Date.parse(consult.scheduledAt) + lateAfterMs;
  return (
    <section className="waiting panel" aria-labelledby="waiting-heading">
      <h2 id="waiting-heading">{t('waiting.title', { doctor: doctorName })}</h2>
      {consult?.description && <p className="consult-description" dir="auto">{consult.description}</p>}
      {consult && <ConsultWhen scheduledAt={consult.scheduledAt} doctorName={doctorName} doctorTimeZone={consult.doctorTimeZone} />}
      <p role="status" aria-live="polite" className="waiting-status">
        {status && (
          <>
            {status.doctorOnline ? t('waiting.doctorOnline', { doctor: doctorName }) : t('waiting.doctorNotYet', { doctor: doctorName })}{' '}
            {status.position === 1 ? t('waiting.youAreNext') : t('waiting.position', { position: status.position })}
          </>
        )}
      </p>
      {late && <p className="waiting-late">{t('waiting.doctorLate', { doctor: doctorName })}</p>}
      <p>{t('waiting.hint')}</p>
      {state.self && <CaseSection consultId={consult?.id} credentials={credentials} role={state.self.role} signedAs={state.self.displayName} initiallyOpen />}
      {documentsApi && state.self?.role === 'patient' && (
        <DocumentsPanel api={documentsApi} version={state.documentsVersion} role="patient" inCall={false} withInterpreter={false} presentation={null} isSelfPresenting={false} />
      )}
    </section>
  );
}
