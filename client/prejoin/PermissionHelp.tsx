import { useTranslation } from 'react-i18next';
import type { LocalMediaProblem } from '../call/localMedia';
import { browserFamily } from './browserSupport';

/** What went wrong with camera or microphone, and for refused access, how to allow it in this browser. */
export function PermissionHelp({ problem, onRetry }: { problem: LocalMediaProblem; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="permission-help" role="alert">
      <p>{t(`media.${problem}`)}</p>
      {problem === 'permission-denied' && <p>{t(`prejoin.allowHelp.${browserFamily()}`)}</p>}
      <button type="button" onClick={onRetry}>
        {t('prejoin.tryAgain')}
      </button>
    </div>
  );
}
