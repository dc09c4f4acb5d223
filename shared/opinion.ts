// The written second opinion: the specialist's structured answer to the
// patient's case, drafted, translated into the patient's language by the
// interpreter where the two languages differ, then signed and released as a
// numbered version with a content hash. A released version never changes; an
// amendment is the next version, saying what changed.
import { z } from 'zod';
import { languageTagSchema } from './api';
import { withoutControlCharacters } from './plainText';
import { displayNameSchema } from './schemas';

export const opinionTextMaxLength = 10_000;

const textSchema = withoutControlCharacters(
  z.string().max(opinionTextMaxLength, `a part of the opinion is at most ${opinionTextMaxLength} characters`),
  'the text',
  true,
);

/** What the specialist concludes of the diagnosis the patient was given. */
export const diagnosisAssessments = ['confirmed', 'refined', 'changed'] as const;
export type DiagnosisAssessment = (typeof diagnosisAssessments)[number];
/** What the specialist concludes of the treatment proposed to the patient. */
export const treatmentAssessments = ['endorsed', 'alternative'] as const;
export type TreatmentAssessment = (typeof treatmentAssessments)[number];
/** How soon the patient should act on it. */
export const urgencies = ['routine', 'soon', 'urgent'] as const;
export type Urgency = (typeof urgencies)[number];

export const maxReviewedDocuments = 200;

export const opinionContentSchema = z.strictObject({
  /** The case as the specialist understood it, for the patient's own doctor. */
  caseSummary: textSchema,
  diagnosisAssessment: z.enum(diagnosisAssessments).nullable(),
  /** The specialist's diagnosis (required when refined or changed). */
  specialistDiagnosis: textSchema,
  treatmentAssessment: z.enum(treatmentAssessments).nullable(),
  /** The specialist's recommendation (required when an alternative is advised). */
  treatmentRecommendation: textSchema,
  furtherTests: textSchema,
  urgency: z.enum(urgencies).nullable(),
  /** In plain words, for the patient to read at home. */
  patientExplanation: textSchema,
  /** The consult's documents the specialist reviewed. */
  reviewedDocumentIds: z.array(z.uuid()).max(maxReviewedDocuments),
});
export type OpinionContent = z.infer<typeof opinionContentSchema>;

export const emptyOpinionContent: OpinionContent = {
  caseSummary: '',
  diagnosisAssessment: null,
  specialistDiagnosis: '',
  treatmentAssessment: null,
  treatmentRecommendation: '',
  furtherTests: '',
  urgency: null,
  patientExplanation: '',
  reviewedDocumentIds: [],
};

/**
 * The parts the patient must be able to read in their own language (the plain-language
 * explanation first); the case summary is for their doctor and stays in the specialist's.
 * The assessments and urgency are choices, shown in each reader's language by the page.
 */
export const translatedParts = ['patientExplanation', 'specialistDiagnosis', 'treatmentRecommendation', 'furtherTests'] as const;
export type TranslatedPart = (typeof translatedParts)[number];

export const opinionTranslationPartsSchema = z.strictObject({
  patientExplanation: textSchema,
  specialistDiagnosis: textSchema,
  treatmentRecommendation: textSchema,
  furtherTests: textSchema,
});
export type OpinionTranslationParts = z.infer<typeof opinionTranslationPartsSchema>;

export const emptyTranslationParts: OpinionTranslationParts = { patientExplanation: '', specialistDiagnosis: '', treatmentRecommendation: '', furtherTests: '' };

export function translatablePartsOf(content: OpinionContent): OpinionTranslationParts {
  return {
    patientExplanation: content.patientExplanation,
    specialistDiagnosis: content.specialistDiagnosis,
    treatmentRecommendation: content.treatmentRecommendation,
    furtherTests: content.furtherTests,
  };
}

/** A save of the doctor's draft, made on `baseRevision` (a newer one refuses it with `edit-conflict`). */
export const saveOpinionDraftRequestSchema = z.strictObject({
  content: opinionContentSchema,
  baseRevision: z.number().int().min(0),
});
export type SaveOpinionDraftRequest = z.infer<typeof saveOpinionDraftRequestSchema>;

/**
 * A save of the interpreter's translation. `source`: the draft's wording they translated; the
 * translation counts as current while the draft still says exactly that.
 */
export const saveOpinionTranslationRequestSchema = z.strictObject({
  parts: opinionTranslationPartsSchema,
  source: opinionTranslationPartsSchema,
  language: languageTagSchema,
  baseRevision: z.number().int().min(0),
  translatorName: displayNameSchema,
});
export type SaveOpinionTranslationRequest = z.infer<typeof saveOpinionTranslationRequestSchema>;

const reasonSchema = withoutControlCharacters(z.string().trim().min(1, 'say why').max(1000), 'the reason', true);

/**
 * The doctor signs and releases the draft's revision `draftRevision` (the one they read: a newer
 * one refuses it). Without a current translation where one is needed, only with a reason. From
 * the second version on, `changeNote` says what changed.
 */
export const releaseOpinionRequestSchema = z.strictObject({
  draftRevision: z.number().int().min(1),
  withoutTranslationReason: reasonSchema.optional(),
  changeNote: reasonSchema.optional(),
});
export type ReleaseOpinionRequest = z.infer<typeof releaseOpinionRequestSchema>;

export interface OpinionTranslationView {
  parts: OpinionTranslationParts;
  language: string;
  translatorName: string;
  /** Whether it translates the draft's translatable parts as they are now (not an earlier wording). */
  current: boolean;
  revision: number;
  updatedAt: string;
}

/** A released version, as everyone who may see it sees it. */
export interface OpinionVersionView {
  version: number;
  content: OpinionContent;
  /** The reviewed documents' names at release (a document removed later keeps its name here). */
  reviewedDocuments: { id: string; name: string }[];
  translation: { parts: OpinionTranslationParts; language: string; translatorName: string } | null;
  /** Why it was released without a translation, when it was. */
  withoutTranslationReason: string | null;
  /** What changed since the version before (from version 2 on). */
  changeNote: string | null;
  signedBy: string;
  releasedAt: string;
  /** SHA-256 of the version's canonical form, hex: what the PDF and the page show to tell versions apart. */
  contentHash: string;
}

/** GET /opinion for the doctor: the draft, its translation, and what was released. */
export interface DoctorOpinionView {
  role: 'doctor';
  draft: { content: OpinionContent; revision: number; updatedAt: string | null };
  translation: OpinionTranslationView | null;
  /** Whether the patient reads another language than the doctor (then a translation is asked for). */
  translationNeeded: boolean;
  patientLanguage: string;
  doctorLanguage: string | null;
  /** Newest first. */
  versions: OpinionVersionView[];
  /** Whether the draft differs from the newest version (or nothing was released yet and it holds something). */
  draftChanged: boolean;
}

/** GET /opinion for the interpreter: only what they translate. */
export interface InterpreterOpinionView {
  role: 'interpreter';
  /** The draft's translatable parts (null until the doctor has written any). */
  source: { parts: OpinionTranslationParts; revision: number } | null;
  translation: OpinionTranslationView | null;
  patientLanguage: string;
}

/** GET /opinion for the patient: the released versions only, newest (current) first. */
export interface PatientOpinionView {
  role: 'patient';
  versions: OpinionVersionView[];
  patientLanguage: string;
  /** The language of the specialist's original (null: the patient's own). */
  doctorLanguage: string | null;
}

export type OpinionView = DoctorOpinionView | InterpreterOpinionView | PatientOpinionView;
