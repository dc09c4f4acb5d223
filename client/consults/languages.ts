// Languages offered when scheduling a consult. Names are shown in the
// doctor's own UI language through Intl.DisplayNames, so no list of names is
// kept here.
export const consultLanguages = ['ar', 'de', 'en', 'es', 'fa', 'fr', 'it', 'pl', 'pt', 'ro', 'ru', 'tr', 'uk', 'zh'] as const;

export function languageName(code: string, uiLanguage: string): string {
  try {
    return new Intl.DisplayNames([uiLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
