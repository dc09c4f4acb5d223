// The words a doctor sends with a link, in the language of the person who
// receives it: the patient's for a patient's link, and at the time and in
// the time zone the patient was scheduled in.
import type { i18n as I18n } from 'i18next';
import type { ConsultSummary, InviteRole } from '../../shared/api';
import { formatDateTime } from '../i18n/dateTime';
import { availableLanguages, loadLanguage } from '../i18n/index';

export interface InviteMessage {
  subject: string;
  body: string;
}

/** The language a link's message is written in: the patient's for theirs, if the interface has it. */
export function messageLanguageOf(consult: ConsultSummary, role: InviteRole, fallback: string): string {
  return role === 'patient' && availableLanguages.includes(consult.patientLanguage) ? consult.patientLanguage : fallback;
}

/** Subject and text for a link, loading the language's texts first if the page has not yet. */
export async function inviteMessage(i18n: I18n, consult: ConsultSummary, role: InviteRole, doctorName: string, url: string): Promise<InviteMessage> {
  const language = messageLanguageOf(consult, role, i18n.language);
  await loadLanguage(language);
  const t = i18n.getFixedT(language);
  const timeZone = role === 'patient' ? consult.patientTimeZone : null;
  const values = { doctor: doctorName, date: formatDateTime(consult.scheduledAt, language, timeZone), url };
  return {
    subject: t('invitation.subject', values),
    body: t(role === 'patient' ? 'invitation.patientBody' : 'invitation.interpreterBody', values),
  };
}
