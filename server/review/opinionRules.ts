// What an opinion must hold before it is signed and released, and when the
// patient needs it translated. Kept apart from HTTP so the rules read as rules.
import { translatablePartsOf, translatedParts, type OpinionContent, type OpinionTranslationParts } from '../../shared/opinion';
import type { ConsultRecord } from '../scheduling/consultStore';

/** What the draft still lacks for release, in words for the doctor; empty when complete. */
export function missingForRelease(content: OpinionContent): string[] {
  const missing: string[] = [];
  if (content.diagnosisAssessment === null) missing.push('whether the diagnosis is confirmed, refined or changed');
  if (content.diagnosisAssessment !== null && content.diagnosisAssessment !== 'confirmed' && content.specialistDiagnosis.trim() === '') {
    missing.push('your diagnosis (the original one was refined or changed)');
  }
  if (content.treatmentAssessment === null) missing.push('whether the proposed treatment is endorsed or an alternative is advised');
  if (content.treatmentAssessment === 'alternative' && content.treatmentRecommendation.trim() === '') missing.push('the treatment you recommend instead');
  if (content.urgency === null) missing.push('how urgent it is');
  if (content.patientExplanation.trim() === '') missing.push('the explanation in plain words for the patient');
  return missing;
}

/** Whether the patient reads another language than the doctor writes: then a translation is asked for. */
export function translationNeeded(consult: ConsultRecord): boolean {
  return consult.interpretation !== null && primaryLanguage(consult.interpretation.from) !== primaryLanguage(consult.interpretation.to);
}

function primaryLanguage(tag: string): string {
  return tag.split('-')[0]?.toLowerCase() ?? tag;
}

export function sameParts(one: OpinionTranslationParts, other: OpinionTranslationParts): boolean {
  return translatedParts.every((part) => one[part] === other[part]);
}

/** Whether a translation made of `source` covers `content` as it is now: same wording, and every written part translated. */
export function translationCovers(content: OpinionContent, source: OpinionTranslationParts, parts: OpinionTranslationParts): boolean {
  const now = translatablePartsOf(content);
  return sameParts(now, source) && translatedParts.every((part) => now[part].trim() === '' || parts[part].trim() !== '');
}
