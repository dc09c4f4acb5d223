// The UI languages we offer, each complete (test/unit/translations.test.ts
// checks every key against English). English is in the page's first script:
// it is what every other language falls back to. Each other language is a
// chunk of its own, fetched only by whoever reads it, before the first screen
// when it is theirs (so the page never flashes English first) or when they
// pick it.
import en from './locales/en.json';

export type Strings = { [key: string]: string | Strings };

/** In the order the language menu lists them. */
export const languages = ['en', 'de', 'fr', 'es', 'ru', 'ar'] as const;

export type Language = (typeof languages)[number];

export function isLanguage(code: string): code is Language {
  return (languages as readonly string[]).includes(code);
}

// One import() per file, spelled out, so that each language is its own chunk and a missing file fails the build.
const loaders: Record<Language, () => Promise<Strings>> = {
  en: () => Promise.resolve(en),
  de: async () => (await import('./locales/de.json')).default,
  fr: async () => (await import('./locales/fr.json')).default,
  es: async () => (await import('./locales/es.json')).default,
  ru: async () => (await import('./locales/ru.json')).default,
  ar: async () => (await import('./locales/ar.json')).default,
};

/** The texts of `language`; English is at hand, the others are fetched. */
export function loadStrings(language: Language): Promise<Strings> {
  return loaders[language]();
}

export const english: Strings = en;
