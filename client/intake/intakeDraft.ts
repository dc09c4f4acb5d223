// Writing the case on top of what someone else saved meanwhile (another tab,
// a relative on another phone): each field keeps whoever changed it, so
// neither loses what they typed.
import { intakeFields, type IntakeAnswers } from '../../shared/intake';

/** `mine` and `theirs` both started from `base`: a field I changed is mine, any other is theirs. */
export function mergeAnswers(base: IntakeAnswers, mine: IntakeAnswers, theirs: IntakeAnswers): IntakeAnswers {
  const merged = { ...theirs };
  for (const field of intakeFields) if (mine[field] !== base[field]) merged[field] = mine[field];
  return merged;
}

export function sameAnswers(one: IntakeAnswers, other: IntakeAnswers): boolean {
  return intakeFields.every((field) => one[field] === other[field]);
}

/** How many fields hold more than blanks. */
export function answeredCount(answers: IntakeAnswers): number {
  return intakeFields.filter((field) => answers[field].trim() !== '').length;
}
