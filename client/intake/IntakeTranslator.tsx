import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { intakeFieldMaxLength, intakeFields } from '../../shared/intake';
import { languageName } from '../consults/languages';
import type { IntakeApi } from './intakeApi';
import { SaveStatusLine } from '../review/SaveStatusLine';
import { useIntakeEditor } from './useIntakeEditor';

/**
 * The interpreter translates the patient's case into the doctor's language,
 * answer by answer beside the original; saved as they type and shown to the
 * doctor with their name. `signedAs`: their name (in the call, or as typed on the join page).
 */
export function IntakeTranslator({ api, signedAs }: { api: IntakeApi; signedAs: string }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const name = signedAs.trim();
  const editor = useIntakeEditor(api, 'translation', i18n.language, name);
  const view = editor.view;
  const language = view?.doctorLanguage ?? i18n.language;
  const signed = name !== '';
  const answered = view ? intakeFields.filter((field) => view.answers[field].trim() !== '') : [];
  return (
    <details className="intake panel">
      <summary>
        <span className="intake-title">{t('intake.translateTitle')}</span>
      </summary>
      {view && view.revision === 0 && <p>{t('intake.nothingYet')}</p>}
      {view && view.revision > 0 && (
        <>
          <p>{t('intake.translateIntro', { language: languageName(language, i18n.language) })}</p>
          {!signed && <p className="field-hint">{t('intake.translatorName')}</p>}
          <SaveStatusLine status={editor.status} merged={editor.merged} />
          {view.translation && view.translation.ofRevision < view.revision && <p className="save-merged">{t('intake.translationOutdated')}</p>}
          {answered.map((field) => (
            <div className="field intake-translate-field" key={field}>
              <p className="intake-original-label">{t(`intake.label.${field}`)}</p>
              <p lang={view.language} dir="auto" className="intake-original">
                {view.answers[field]}
              </p>
              <label htmlFor={`${id}-${field}`}>{t('intake.translationOf', { field: t(`intake.label.${field}`) })}</label>
              <textarea
                id={`${id}-${field}`}
                lang={language}
                dir="auto"
                rows={3}
                maxLength={intakeFieldMaxLength}
                value={editor.draft[field]}
                readOnly={!signed || editor.status === 'loading'}
                onChange={(event) => editor.setField(field, event.target.value)}
              />
            </div>
          ))}
        </>
      )}
    </details>
  );
}
