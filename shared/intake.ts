// The patient's case, as they (or a relative helping them) tell it before the
// consult: their questions for the specialist, the diagnosis and treatment
// they were given, their history, medication and allergies. Saved as they
// type; changeable until the doctor starts the review. The interpreter may add
// a translation into the doctor's language, kept beside the original.
import { z } from 'zod';
import { languageTagSchema } from './api';
import { displayNameSchema } from './schemas';
import { withoutControlCharacters } from './plainText';

/** In the order the form asks them: the questions first, they are why the patient came. */
export const intakeFields = ['questions', 'diagnosis', 'diagnosedBy', 'proposedTreatment', 'history', 'medication', 'allergies'] as const;
export type IntakeField = (typeof intakeFields)[number];

/** Long enough for a page of history typed on a phone; short enough to stay a summary beside the records. */
export const intakeFieldMaxLength = 5000;

const answerSchema = withoutControlCharacters(
  z.string().max(intakeFieldMaxLength, `an answer is at most ${intakeFieldMaxLength} characters`),
  'the answer',
  true,
);

/** Every field, empty when not (yet) answered. */
export const intakeAnswersSchema = z.strictObject({
  questions: answerSchema,
  diagnosis: answerSchema,
  diagnosedBy: answerSchema,
  proposedTreatment: answerSchema,
  history: answerSchema,
  medication: answerSchema,
  allergies: answerSchema,
});
export type IntakeAnswers = z.infer<typeof intakeAnswersSchema>;

export const emptyIntakeAnswers: IntakeAnswers = {
  questions: '',
  diagnosis: '',
  diagnosedBy: '',
  proposedTreatment: '',
  history: '',
  medication: '',
  allergies: '',
};

/**
 * A save from the patient's form. `baseRevision`: the revision the form last loaded or saved;
 * a save on top of a newer one (another tab, a relative on another phone) is refused with
 * `edit-conflict`, so that nobody overwrites what someone else typed unseen.
 */
export const saveIntakeRequestSchema = z.strictObject({
  answers: intakeAnswersSchema,
  /** The language the patient wrote in. */
  language: languageTagSchema,
  baseRevision: z.number().int().min(0),
});
export type SaveIntakeRequest = z.infer<typeof saveIntakeRequestSchema>;

/** A save of the interpreter's translation; `ofRevision`: the revision of the patient's answers it translates. */
export const saveIntakeTranslationRequestSchema = z.strictObject({
  answers: intakeAnswersSchema,
  language: languageTagSchema,
  ofRevision: z.number().int().min(1),
  baseRevision: z.number().int().min(0),
  /** How the translation is signed when the interpreter is not in the call (in the call, their name there). */
  translatorName: displayNameSchema,
});
export type SaveIntakeTranslationRequest = z.infer<typeof saveIntakeTranslationRequestSchema>;

export interface IntakeTranslationView {
  answers: IntakeAnswers;
  language: string;
  translatorName: string;
  /** The revision of the patient's answers translated: older than `revision` means the patient changed something since. */
  ofRevision: number;
  revision: number;
  updatedAt: string;
}

/** The intake as the asker may see it. */
export interface IntakeView {
  answers: IntakeAnswers;
  /** The language the answers are written in (the patient's, until they wrote). */
  language: string;
  /** 0: nothing saved yet. */
  revision: number;
  updatedAt: string | null;
  /** When the doctor started the review: from then on the answers are kept as they are. */
  lockedAt: string | null;
  translation: IntakeTranslationView | null;
  /** Whether the asker may change the answers now (the patient, until the review starts). */
  mayEdit: boolean;
  /** Whether the asker may translate (the interpreter). */
  mayTranslate: boolean;
  /** The language the doctor reads, for the translation (the interpretation's other side). */
  doctorLanguage: string | null;
}
