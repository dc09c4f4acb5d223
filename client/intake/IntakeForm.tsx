import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { intakeFieldMaxLength, intakeFields, type IntakeField } from '../../shared/intake';
import type { IntakeApi } from './intakeApi';
import { answeredCount } from './intakeDraft';
import { SaveStatusLine } from '../review/SaveStatusLine';
import { useIntakeEditor } from './useIntakeEditor';

/** Fields that get a few lines of room from the start; the others begin as two. */
const roomyFields: ReadonlySet<IntakeField> = new Set(['questions', 'history']);
/** Fields with an example under them: the questions (what a second opinion answers) and the history. */
const hintedFields: ReadonlySet<IntakeField> = new Set(['questions', 'history']);

/**
 * The patient (or a relative helping them) tells their case in their own
 * language, on their link, before and while waiting; it is saved as they type
 * and kept as it is once the doctor starts the review.
 */
export function IntakeForm({ api, initiallyOpen = false }: { api: IntakeApi; initiallyOpen?: boolean }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const editor = useIntakeEditor(api, 'answers', i18n.language);
  const readOnly = editor.status === 'locked' || editor.status === 'loading' || editor.status === 'load-failed';
  return (
    <details className="intake panel" open={initiallyOpen}>
      <summary>
        <span className="intake-title">{t('intake.title')}</span>{' '}
        <span className="intake-progress">{t('intake.progress', { answered: answeredCount(editor.draft), total: intakeFields.length })}</span>
      </summary>
      <p>{t('intake.intro')}</p>
      <SaveStatusLine status={editor.status} merged={editor.merged} />
      {intakeFields.map((field) => (
        <div className="field" key={field}>
          <label htmlFor={`${id}-${field}`}>{t(`intake.ask.${field}`)}</label>
          <textarea
            id={`${id}-${field}`}
            value={editor.draft[field]}
            onChange={(event) => editor.setField(field, event.target.value)}
            readOnly={readOnly}
            rows={roomyFields.has(field) ? 4 : 2}
            maxLength={intakeFieldMaxLength}
            dir="auto"
            aria-describedby={hintedFields.has(field) ? `${id}-${field}-hint` : undefined}
          />
          {hintedFields.has(field) && (
            <small id={`${id}-${field}-hint`} className="field-hint">
              {t(`intake.hint.${field}`)}
            </small>
          )}
        </div>
      ))}
      <p className="field-hint">{t('intake.recordsHint')}</p>
    </details>
  );
}
