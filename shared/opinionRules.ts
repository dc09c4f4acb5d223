// What an opinion must hold before it is signed and released, and when the
// patient needs it translated: the server enforces them, the doctor's page
// shows them before they press anything.
import { translatablePartsOf, translatedParts, type OpinionContent, type OpinionTranslationParts } from './opinion';

/** A part the draft still lacks for release. */
export type MissingPart = 'diagnosisAssessment' | 'specialistDiagnosis' | 'treatmentAssessment' | 'treatmentRecommendation' | 'urgency' | 'patientExplanation';

/** What the draft still lacks for release; empty when complete. */
export function missingForRelease(content: OpinionContent): MissingPart[] {
  const missing: MissingPart[] = [];
  if (content.diagnosisAssessment === null) missing.push('diagnosisAssessment');
  if (content.diagnosisAssessment !== null && content.diagnosisAssessment !== 'confirmed' && content.specialistDiagnosis.trim() === '') missing.push('specialistDiagnosis');
  if (content.treatmentAssessment === null) missing.push('treatmentAssessment');
  if (content.treatmentAssessment === 'alternative' && content.treatmentRecommendation.trim() === '') missing.push('treatmentRecommendation');
  if (content.urgency === null) missing.push('urgency');
  if (content.patientExplanation.trim() === '') missing.push('patientExplanation');
  return missing;
}

/** Whether the patient reads another language than the doctor writes (the two sides of the interpretation): then a translation is asked for. */
export function translationNeeded(interpretation: { from: string; to: string } | null): boolean {
  return interpretation !== null && primaryLanguage(interpretation.from) !== primaryLanguage(interpretation.to);
}

function primaryLanguage(tag: string): string {
  return tag.split('-')[0]?.toLowerCase() ?? tag;
}

/** Whether two opinions say the same (both validated by the schema, so their keys come in one order). */
export function sameContent(one: OpinionContent, other: OpinionContent): boolean {
  return JSON.stringify(one) === JSON.stringify(other);
}

export function sameParts(one: OpinionTranslationParts, other: OpinionTranslationParts): boolean {
  return translatedParts.every((part) => one[part] === other[part]);
}

/** Whether a translation made of `source` covers `content` as it is now: same wording, and every written part translated. */
export function translationCovers(content: OpinionContent, source: OpinionTranslationParts, parts: OpinionTranslationParts): boolean {
  const now = translatablePartsOf(content);
  return sameParts(now, source) && translatedParts.every((part) => now[part].trim() === '' || parts[part].trim() !== '');
}
