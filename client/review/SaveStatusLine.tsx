import { useTranslation } from 'react-i18next';
import type { SaveStatus } from './useAutosave';

/** Where the writing stands (saved, saving, kept on this device while offline, locked), read out politely. */
export function SaveStatusLine({ status, merged }: { status: SaveStatus; merged: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <p className={`save-status save-${status}`} role="status" aria-live="polite">
        {t(`intake.status.${status}`)}
      </p>
      {merged && <p className="save-merged">{t('intake.merged')}</p>}
    </>
  );
}
