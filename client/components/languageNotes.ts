// What the others should know of someone's languages: the interpreter's
// pair, and the patient's language, with "needs interpretation" for the
// doctor when the consult has an interpreter.
import type { TFunction } from 'i18next';
import type { ConsultInfo, Role } from '../../shared/protocol';
import { languageName } from '../consults/languages';

export function languageNote(role: Role, consult: ConsultInfo | undefined, viewerRole: Role | undefined, t: TFunction, uiLanguage: string): string | undefined {
  if (!consult) return undefined;
  const name = (code: string) => languageName(code, uiLanguage);
  if (role === 'interpreter' && consult.interpretation) {
    return t('interpretation.pair', { from: name(consult.interpretation.from), to: name(consult.interpretation.to) });
  }
  if (role === 'patient') {
    const speaks = t('interpretation.speaks', { language: name(consult.patientLanguage) });
    return consult.interpretation && viewerRole === 'doctor' ? `${speaks} · ${t('interpretation.needsInterpretation')}` : speaks;
  }
  return undefined;
}
