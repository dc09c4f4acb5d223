// The patient writing their case, or the interpreter its translation, saved as
// they type (client/review/useAutosave.ts).
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { emptyIntakeAnswers, intakeAnswersSchema, type IntakeAnswers, type IntakeField, type IntakeView } from '../../shared/intake';
import { withoutForbiddenCharacters } from '../../shared/plainText';
import { useAutosave, type Autosave, type AutosaveSource } from '../review/useAutosave';
import type { IntakeApi } from './intakeApi';

export type IntakeKind = 'answers' | 'translation';

export interface IntakeEditor extends Autosave<IntakeView, IntakeAnswers> {
  draft: IntakeAnswers;
  setField: (field: IntakeField, text: string) => void;
}

/**
 * `language`: the page's language, which the patient writes in (a translation is into the doctor's).
 * `translatorName`: how a translation is signed when the interpreter is not in the call.
 */
export function useIntakeEditor(api: IntakeApi | undefined, kind: IntakeKind, language: string, translatorName = ''): IntakeEditor {
  const settings = useRef({ language, translatorName });
  useEffect(() => {
    settings.current = { language, translatorName };
  }, [language, translatorName]);

  const source = useMemo((): AutosaveSource<IntakeView, IntakeAnswers> | undefined => {
    if (!api) return undefined;
    return {
      memoryKey: `consilium.intake.${api.consultId}.${kind}`,
      contentSchema: intakeAnswersSchema,
      load: () => api.load(),
      savedPart: (view) =>
        kind === 'answers'
          ? { content: view.answers, revision: view.revision }
          : { content: view.translation?.answers ?? emptyIntakeAnswers, revision: view.translation?.revision ?? 0 },
      mayWrite: (view) => (kind === 'answers' ? view.mayEdit : view.mayTranslate),
      save: (answers, baseRevision, view) =>
        kind === 'answers'
          ? api.save({ answers, language: settings.current.language, baseRevision })
          : api.saveTranslation({
              answers,
              // Into the doctor's language, whatever the interpreter's page shows.
              language: view.doctorLanguage ?? settings.current.language,
              ofRevision: view.revision,
              baseRevision,
              translatorName: settings.current.translatorName,
            }),
    };
  }, [api, kind]);

  const autosave = useAutosave(source);
  const { change } = autosave;
  const setField = useCallback((field: IntakeField, text: string) => change({ [field]: withoutForbiddenCharacters(text, true) }), [change]);
  return { ...autosave, draft: autosave.draft ?? emptyIntakeAnswers, setField };
}
