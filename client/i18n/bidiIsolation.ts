// In a right-to-left sentence, a name or number in a left-to-right script
// ("Dr. Jonas Weber", "15:00") can pull the punctuation around it out of
// place. Wrapping each interpolated value in Unicode's first-strong isolate
// (FSI … PDI) keeps it a self-contained island. Left-to-right languages are
// left as they are.
import type { i18n as I18n, InterpolationOptions } from 'i18next';

const firstStrongIsolate = '\u2068';
const popDirectionalIsolate = '\u2069';

export function bidiIsolation(instance: () => I18n): InterpolationOptions {
  return {
    // React escapes what it renders; i18next's `escape` hook is used here only to wrap values.
    escapeValue: true,
    escape: (value: unknown) =>
      instance().dir() === 'rtl' ? `${firstStrongIsolate}${String(value)}${popDirectionalIsolate}` : String(value),
  };
}
