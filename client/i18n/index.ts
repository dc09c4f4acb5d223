// All UI text comes from these resources; components never hold literal text.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { bidiIsolation } from './bidiIsolation';
import { locales } from './resources';

export const defaultNamespace = 'translation';

const resources = Object.fromEntries(Object.entries(locales).map(([language, strings]) => [language, { [defaultNamespace]: strings }]));
export const availableLanguages = Object.keys(locales);

const storageKey = 'consilium.language';

/** The remembered choice, else the browser's preferred languages, else English. */
function initialLanguage(): string {
  const remembered = safeStorage()?.getItem(storageKey);
  if (remembered && availableLanguages.includes(remembered)) return remembered;
  for (const preferred of navigator.languages ?? []) {
    const base = preferred.split('-')[0] ?? '';
    if (availableLanguages.includes(base)) return base;
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

// Resources are bundled, so initialisation completes synchronously.
void i18n.use(initReactI18next).init({
  initAsync: false,
  lng: initialLanguage(),
  fallbackLng: 'en',
  resources,
  interpolation: bidiIsolation(() => i18n),
  returnNull: false,
});

/** Keeps <html lang dir> in step with the UI language (right-to-left scripts included). */
export function applyDocumentLanguage(): void {
  document.documentElement.lang = i18n.language;
  document.documentElement.dir = i18n.dir(i18n.language);
}

export function chooseLanguage(code: string): void {
  if (!availableLanguages.includes(code)) return;
  safeStorage()?.setItem(storageKey, code);
  void i18n.changeLanguage(code).then(applyDocumentLanguage);
}
