// The UI languages we offer, each complete (test/unit/translations.test.ts
// checks every key against English). Bundled: the set is small, and the
// first screen must appear in the person's language without a flash of
// another one.
import en from './locales/en.json';

/** In the order the language menu lists them. */
export const locales = { en } as const;

export type Language = keyof typeof locales;
