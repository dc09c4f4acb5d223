// How far the patient got with their case.
import { intakeFields, type IntakeAnswers } from '../../shared/intake';

/** How many fields hold more than blanks. */
export function answeredCount(answers: IntakeAnswers): number {
  return intakeFields.filter((field) => answers[field].trim() !== '').length;
}
