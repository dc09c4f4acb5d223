// A person's device, as the browser tests play it: a phone (its size, touch
// and browser), the language their browser asks for, and the app's own texts
// in that language, to find what a page in it says.
import i18next, { type TFunction } from 'i18next';
import type { Page, Viewport } from 'puppeteer-core';
import { bidiIsolation } from '../../client/i18n/bidiIsolation';
import { loadStrings, type Language } from '../../client/i18n/resources';

export const phone: Viewport = { width: 390, height: 844, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
export const phoneUserAgent = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

/** The translations the pages use, to know what each of them should say. */
export async function translator(language: Language): Promise<TFunction> {
  const instance = i18next.createInstance();
  await instance.init({ lng: language, resources: { [language]: { translation: await loadStrings(language) } }, interpolation: bidiIsolation(() => instance) });
  return instance.t;
}

/** Makes the page a phone's browser that asks for `language`: for the pages it opens from now on. */
export async function phoneIn(page: Page, language: string): Promise<void> {
  await page.setUserAgent(phoneUserAgent);
  await page.setViewport(phone);
  await page.evaluateOnNewDocument(`
    Object.defineProperty(navigator, 'languages', { get: () => ['${language}'] });
    Object.defineProperty(navigator, 'language', { get: () => '${language}' });
  `);
}
