import { useTranslation } from 'react-i18next';
import { intakeFields, type IntakeView } from '../../shared/intake';
import { languageName } from '../consults/languages';
import { formatDateTime } from '../i18n/dateTime';

/**
 * The patient's case as the doctor reads it: each answer in the patient's own
 * words and language, with the interpreter's translation beside it, marked as
 * theirs (and as older than the original, when the patient changed it since).
 */
export function IntakeReader({ view }: { view: IntakeView }) {
  const { t, i18n } = useTranslation();
  const translation = view.translation;
  if (view.revision === 0) return <p>{t('intake.nothingYet')}</p>;
  return (
    <div className="intake-reader">
      {view.updatedAt && <p className="field-hint">{t('intake.updatedAt', { when: formatDateTime(view.updatedAt, i18n.language) })}</p>}
      {translation && (
        <p className="intake-translation-note">
          {t('intake.translationBy', { language: languageName(translation.language, i18n.language), name: translation.translatorName })}
          {translation.ofRevision < view.revision && <> {t('intake.translationOutdated')}</>}
        </p>
      )}
      <dl>
        {intakeFields.map((field) => (
          <div key={field} className="intake-answer">
            <dt>{t(`intake.label.${field}`)}</dt>
            <dd>
              {view.answers[field].trim() === '' ? (
                <span className="intake-unanswered">{t('intake.notWritten')}</span>
              ) : (
                <p lang={view.language} dir="auto" className="intake-original">
                  {view.answers[field]}
                </p>
              )}
              {translation && translation.answers[field].trim() !== '' && (
                <p lang={translation.language} dir="auto" className="intake-translated">
                  <span className="intake-translated-mark">{t('intake.translatedMark', { name: translation.translatorName })}</span> {translation.answers[field]}
                </p>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
