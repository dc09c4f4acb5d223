// The UI languages we offer, each complete (test/unit/translations.test.ts
// checks every key against English). Bundled: the set is small, and the
// first screen must appear in the person's language without a flash of
// another one.
import ar from './locales/ar.json';
import de from './locales/de.json';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';
import ru from './locales/ru.json';

/** In the order the language menu lists them. */
export const locales = { en, de, fr, es, ru, ar } as const;

export type Language = keyof typeof locales;
