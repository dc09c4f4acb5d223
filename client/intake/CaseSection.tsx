import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultDetails } from '../../shared/api';
import type { Role } from '../../shared/schemas';
import { apiRequest } from '../api/apiClient';
import type { ConsultCredentials } from '../api/consultCredentials';
import { failureCodeOf, type FailureCode } from '../api/requestFailure';
import { formatDateTime } from '../i18n/dateTime';
import { OpinionReader } from '../opinion/OpinionReader';
import { OpinionTranslator } from '../opinion/OpinionTranslator';
import { IntakeForm } from './IntakeForm';
import { IntakeReader } from './IntakeReader';
import { IntakeTranslator } from './IntakeTranslator';
import type { IntakeApi } from './intakeApi';
import { useIntakeApi } from './useIntakeApi';
import { useIntakeView } from './useIntakeView';

interface CaseSectionProps {
  consultId: string | undefined;
  credentials: ConsultCredentials;
  role: Role;
  /** The interpreter's name (in the call, or as typed on the join page), which signs their translation. */
  signedAs?: string;
  initiallyOpen?: boolean;
  /** The doctor started the review (the consult's stage moved). */
  onReviewStarted?: () => void;
}

/**
 * The patient's case and the written opinion, as each person works with them: the patient
 * writes the case and reads the released opinion, the interpreter translates both, the doctor
 * reads the case (and writes the opinion on the dashboard).
 */
export function CaseSection({ consultId, credentials, role, signedAs, initiallyOpen = false, onReviewStarted }: CaseSectionProps) {
  const api = useIntakeApi(consultId, credentials);
  if (!api) return null;
  if (role === 'patient') {
    return (
      <>
        <OpinionReader consultId={api.consultId} credentials={credentials} />
        <IntakeForm api={api} initiallyOpen={initiallyOpen} />
      </>
    );
  }
  if (role === 'interpreter') {
    return (
      <>
        <OpinionTranslator consultId={api.consultId} credentials={credentials} signedAs={signedAs ?? ''} />
        <IntakeTranslator api={api} signedAs={signedAs ?? ''} />
      </>
    );
  }
  return <CaseForDoctor api={api} initiallyOpen={initiallyOpen} onReviewStarted={onReviewStarted} />;
}

/** The doctor reads the case with its translation, and starts the review when ready (which keeps the case as it is). */
function CaseForDoctor({ api, initiallyOpen, onReviewStarted }: { api: IntakeApi; initiallyOpen: boolean; onReviewStarted?: () => void }) {
  const { t, i18n } = useTranslation();
  const { view, failure, replace } = useIntakeView(api);
  const [startFailure, setStartFailure] = useState<FailureCode>();
  const startReview = async () => {
    try {
      await apiRequest<ConsultDetails>('POST', `/consults/${encodeURIComponent(api.consultId)}/review`);
      replace(await api.load());
      setStartFailure(undefined);
      onReviewStarted?.();
    } catch (error) {
      setStartFailure(failureCodeOf(error));
    }
  };
  return (
    <details className="intake panel" open={initiallyOpen}>
      <summary>
        <span className="intake-title">{t('intake.readerTitle')}</span>
      </summary>
      {failure && !view && <p className="form-error">{t('intake.loadFailed')}</p>}
      {view && <IntakeReader view={view} />}
      {view && view.lockedAt === null && (
        <div className="intake-review">
          <p className="field-hint">{t('intake.startReviewHint')}</p>
          <button type="button" onClick={() => void startReview()}>
            {t('intake.startReview')}
          </button>
          {startFailure && (
            <p className="form-error" role="alert">
              {t('intake.loadFailed')}
            </p>
          )}
        </div>
      )}
      {view?.lockedAt && <p className="field-hint">{t('intake.reviewStarted', { when: formatDateTime(view.lockedAt, i18n.language) })}</p>}
    </details>
  );
}
