import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DoctorOpinionView, ReleaseOpinionRequest } from '../../shared/opinion';
import type { MissingPart } from '../../shared/opinionRules';
import { failureCodeOf } from '../api/requestFailure';
import { ConfirmDialog } from '../components/ConfirmDialog';

/**
 * Signing and releasing: what is still missing, the choice to release
 * without a translation (with the reason), what changed since the last
 * version, and a confirmation that says it cannot be changed afterwards.
 */
export function ReleasePanel({
  view,
  missing,
  onRelease,
}: {
  view: DoctorOpinionView;
  missing: MissingPart[];
  onRelease: (request: Omit<ReleaseOpinionRequest, 'draftRevision'>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [withoutTranslation, setWithoutTranslation] = useState(false);
  const [reason, setReason] = useState('');
  const [changeNote, setChangeNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const newest = view.versions[0];
  const translated = !view.translationNeeded || view.translation?.current === true;
  const unchanged = newest !== undefined && !view.draftChanged;
  const ready =
    missing.length === 0 && !unchanged && (translated || (withoutTranslation && reason.trim() !== '')) && (newest === undefined || changeNote.trim() !== '');

  const release = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await onRelease({
        ...(translated ? {} : { withoutTranslationReason: reason.trim() }),
        ...(newest ? { changeNote: changeNote.trim() } : {}),
      });
      setChangeNote('');
      setReason('');
      setWithoutTranslation(false);
    } catch (error) {
      const code = failureCodeOf(error);
      setFailure(code === 'not-ready' || code === 'edit-conflict' ? code : 'generic');
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <div className="opinion-release">
      {missing.length > 0 && (
        <div className="opinion-missing">
          <p>{t('opinionEditor.missingTitle')}</p>
          <ul>
            {missing.map((part) => (
              <li key={part}>{t(`opinionEditor.missing.${part}`)}</li>
            ))}
          </ul>
        </div>
      )}
      {unchanged && <p className="field-hint">{t('opinionEditor.noChanges', { version: newest.version })}</p>}
      {!translated && (
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" checked={withoutTranslation} onChange={(event) => setWithoutTranslation(event.target.checked)} />
            {t('opinionEditor.withoutTranslation')}
          </label>
          {withoutTranslation && (
            <>
              <label htmlFor={`${id}-reason`}>{t('opinionEditor.withoutTranslationReason')}</label>
              <textarea id={`${id}-reason`} rows={2} maxLength={1000} dir="auto" value={reason} onChange={(event) => setReason(event.target.value)} />
            </>
          )}
        </div>
      )}
      {newest && !unchanged && (
        <div className="field">
          <label htmlFor={`${id}-change`}>{t('opinionEditor.changeNote', { version: newest.version })}</label>
          <textarea id={`${id}-change`} rows={2} maxLength={1000} dir="auto" value={changeNote} onChange={(event) => setChangeNote(event.target.value)} />
        </div>
      )}
      <button type="button" className="primary" disabled={!ready || busy} onClick={() => setConfirming(true)}>
        {t('opinionEditor.release')}
      </button>
      {failure && (
        <p className="form-error" role="alert">
          {t(`opinionEditor.releaseFailed.${failure}`)}
        </p>
      )}
      {confirming && (
        <ConfirmDialog
          title={t('opinionEditor.confirmTitle', { version: (newest?.version ?? 0) + 1 })}
          message={t('opinionEditor.confirmMessage')}
          confirmLabel={t('opinionEditor.release')}
          cancelLabel={t('opinionEditor.cancel')}
          busy={busy}
          onConfirm={() => void release()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </div>
  );
}
