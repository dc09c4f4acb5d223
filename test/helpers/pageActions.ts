// Acting on a page the way a person does: by visible labels and button names.
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';

export async function fillField(page: Page, label: string, value: string): Promise<void> {
  const input = await page.waitForSelector(`::-p-aria(${label}[role="textbox"])`);
  assert.ok(input, `a field labelled ${label}`);
  // Replaces what is there (a name pre-filled from the consult, say), as a person selecting it all and typing does.
  await input.click({ count: 3 });
  await input.type(value);
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
