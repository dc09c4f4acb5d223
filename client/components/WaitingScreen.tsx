import { useTranslation } from 'react-i18next';
import type { SessionState } from '../call/consultSession';

/** What a patient or interpreter sees until the doctor lets them in. */
export function WaitingScreen({ state }: { state: SessionState }) {
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
    </section>
  );
}
