// All UI text comes from these resources; components never hold literal text.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { bidiIsolation } from './bidiIsolation';
import { english, isLanguage, languages, loadStrings, type Language } from './resources';

export const defaultNamespace = 'translation';

export const availableLanguages: readonly string[] = languages;

const storageKey = 'consilium.language';

/** The remembered choice, else the browser's preferred languages, else English. */
function initialLanguage(): Language {
  const remembered = safeStorage()?.getItem(storageKey);
  if (remembered && isLanguage(remembered)) return remembered;
  for (const preferred of navigator.languages ?? []) {
    const base = preferred.split('-')[0] ?? '';
    if (isLanguage(base)) return base;
  }
  return 'en';
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage can be blocked (private modes, policies)
  }
}

export const i18n = i18next.createInstance();

// English is bundled, so initialisation completes synchronously; other languages are added as they arrive.
void i18n.use(initReactI18next).init({
  initAsync: false,
  lng: 'en',
  fallbackLng: 'en',
  resources: { en: { [defaultNamespace]: english } },
  interpolation: bidiIsolation(() => i18n),
  returnNull: false,
});

async function addLanguage(language: Language): Promise<void> {
  if (i18n.hasResourceBundle(language, defaultNamespace)) return;
  i18n.addResourceBundle(language, defaultNamespace, await loadStrings(language));
}

/** Counts choices: a language that arrives after a later choice was made is not switched to. */
let latestChoice = 0;

/** Never rejects: when a language's file does not arrive (a dropped connection), the page stays readable in the language it has. */
async function switchTo(language: Language): Promise<void> {
  const choice = ++latestChoice;
  try {
    await addLanguage(language);
    if (choice !== latestChoice) return;
    await i18n.changeLanguage(language);
  } catch (error) {
    console.warn(`could not switch to ${language}`, error);
  }
  applyDocumentLanguage();
}

/** The person's language, ready before anything is shown: main.tsx renders once this settles (it never rejects). */
export function prepareFirstLanguage(): Promise<void> {
  applyDocumentLanguage();
  return switchTo(initialLanguage());
}

/** Keeps <html lang dir> in step with the UI language (right-to-left scripts included). */
export function applyDocumentLanguage(): void {
  document.documentElement.lang = i18n.language;
  document.documentElement.dir = i18n.dir(i18n.language);
}

export function chooseLanguage(code: string): void {
  if (!isLanguage(code)) return;
  safeStorage()?.setItem(storageKey, code);
  void switchTo(code);
}

/** The language the doctor recorded for this person, unless they chose one themselves in this browser. */
export function adoptLanguage(code: string): void {
  if (!isLanguage(code) || safeStorage()?.getItem(storageKey)) return;
  void switchTo(code);
}

/** A language's texts, loaded without switching to it: for a message written in another person's language. */
export async function loadLanguage(code: string): Promise<void> {
  if (isLanguage(code)) await addLanguage(code);
}
