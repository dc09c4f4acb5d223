// Acting on a page the way a person does: by visible labels and button names.
import assert from 'node:assert/strict';
import type { ElementHandle, Page } from 'puppeteer-core';

export async function fillField(page: Page, label: string, value: string): Promise<void> {
  const input = await page.waitForSelector(`::-p-aria(${label}[role="textbox"])`);
  assert.ok(input, `a field labelled ${label}`);
  // Replaces what is there (a name pre-filled from the consult, say), as a person selecting it all and typing does.
  await input.click({ count: 3 });
  const holds = await typeInto(input, value);
  assert.equal(holds, value, `the field labelled ${label} holds only what was typed`);
}

/**
 * Types into a field once it takes writing: a form shows its fields while what
 * was saved is still loading, read-only, and a person waits for them as
 * this does. Then checks that every character arrived, so that a lost one
 * fails here, saying so, rather than later as different text. Returns what the field holds.
 */
export async function typeInto(field: ElementHandle<Element>, text: string): Promise<string> {
  const page = field.frame.page();
  await page.waitForFunction((element) => !(element as HTMLInputElement).readOnly && !(element as HTMLInputElement).disabled, {}, field);
  await field.type(text);
  const value = await field.evaluate((element) => (element as HTMLInputElement).value);
  assert.ok(value.includes(text), `the field holds what was typed:\n${value}\ninstead of\n${text}`);
  return value;
}

export async function clickButton(page: Page, name: string): Promise<void> {
  const button = await page.waitForSelector(`::-p-aria(${name}[role="button"])`);
  assert.ok(button, `a button named ${name}`);
  // A person waits for a disabled button to become usable before pressing it.
  await page.waitForFunction((element) => !(element as HTMLButtonElement).disabled, {}, button);
  await button.click();
}

export async function tickCheckbox(page: Page, label: string): Promise<void> {
  const box = await page.waitForSelector(`::-p-aria(${label}[role="checkbox"])`);
  assert.ok(box, `a checkbox labelled ${label}`);
  await box.click();
}

export function bodyText(page: Page): Promise<string> {
  return page.evaluate('document.body.innerText') as Promise<string>;
}
