import { useTranslation } from 'react-i18next';
import type { SessionState } from '../call/consultSession';
import type { DocumentsApi } from '../documents/documentsApi';
import { DocumentsPanel } from '../documents/DocumentsPanel';

/** What a patient or interpreter sees until the doctor lets them in: where they stand, and their records. */
export function WaitingScreen({ state, documentsApi }: { state: SessionState; documentsApi: DocumentsApi | undefined }) {
  const { t } = useTranslation();
  const doctorName = state.consult?.doctorName ?? '';
  const status = state.waitingStatus;
  return (
    <section className="waiting panel" aria-labelledby="waiting-heading">
      <h2 id="waiting-heading">{t('waiting.title', { doctor: doctorName })}</h2>
      {state.consult && <p>{state.consult.title}</p>}
      <p role="status" aria-live="polite" className="waiting-status">
        {status && (
          <>
            {status.doctorOnline ? t('waiting.doctorOnline', { doctor: doctorName }) : t('waiting.doctorNotYet', { doctor: doctorName })}{' '}
            {status.position === 1 ? t('waiting.youAreNext') : t('waiting.position', { position: status.position })}
          </>
        )}
      </p>
      <p>{t('waiting.hint')}</p>
      {documentsApi && state.self?.role === 'patient' && (
        <DocumentsPanel api={documentsApi} version={state.documentsVersion} role="patient" inCall={false} withInterpreter={false} presentation={null} isSelfPresenting={false} />
      )}
    </section>
  );
}
