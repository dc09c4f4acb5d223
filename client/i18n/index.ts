// All UI text comes from these resources; components never hold literal text.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';

export const defaultNamespace = 'translation';

export const i18n = i18next.createInstance();

// Resources are bundled, so initialisation completes synchronously.
void i18n.use(initReactI18next).init({
  initAsync: false,
  lng: 'en',
  fallbackLng: 'en',
  resources: { en: { [defaultNamespace]: en } },
  interpolation: { escapeValue: false }, // React escapes already
  returnNull: false,
});

/** Keeps <html lang dir> in step with the UI language (right-to-left scripts included). */
export function applyDocumentLanguage(): void {
  document.documentElement.lang = i18n.language;
  document.documentElement.dir = i18n.dir(i18n.language);
}
