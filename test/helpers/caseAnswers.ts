// Writing the patient's case on her page, field by field.
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { intakeFields, type IntakeField } from '../../shared/intake';
import { typeInto } from './pageActions';

/** Types into the case's field (the form's fields are in the order of `intakeFields`). */
export async function typeAnswer(page: Page, field: IntakeField, text: string): Promise<void> {
  const textareas = await page.$$('details.intake textarea');
  const textarea = textareas[intakeFields.indexOf(field)];
  assert.ok(textarea, `the case's ${field} field`);
  await typeInto(textarea, text);
}
