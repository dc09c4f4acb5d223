import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InviteDetails } from '../../shared/api';
import { TextField } from '../accounts/formParts';
import { DocumentsPanel } from '../documents/DocumentsPanel';
import { useDocumentsApi } from '../documents/useDocumentsApi';
import { formatDate, formatDateTime } from '../i18n/dateTime';
import { LanguageSelect } from '../i18n/LanguageSelect';
import { CaseSection } from '../intake/CaseSection';
import { ConsultWhen } from './ConsultWhen';

/**
 * A link whose call is over (or a records review, which has none): the
 * written side only. The patient reads the specialist's opinion and
 * downloads it, sees their case and their records; the interpreter
 * translates what is left to translate, signed with the name they give here.
 */
export function LinkRecordsPage({ inviteToken, consultId, invite }: { inviteToken: string; consultId: string; invite: InviteDetails }) {
  const { t, i18n } = useTranslation();
  const credentials = useMemo(() => ({ inviteToken }), [inviteToken]);
  const documentsApi = useDocumentsApi(consultId, credentials);
  const [translatorName, setTranslatorName] = useState('');
  const { consult } = invite;
  return (
    <main className="link-records">
      <header className="link-records-header">
        <h1>{t('linkRecords.title', { doctor: consult.doctorName })}</h1>
        <LanguageSelect />
      </header>
      <section className="panel consult-summary" aria-label={t('prejoin.yourConsult')}>
        <p className="consult-description" dir="auto">
          {consult.description ?? t(consult.kind === 'records' ? 'linkRecords.recordsDescription' : 'prejoin.defaultDescription', { doctor: consult.doctorName })}
        </p>
        {consult.kind === 'records' ? (
          <p>{t('linkRecords.expectedBy', { doctor: consult.doctorName, date: formatDate(consult.scheduledAt, i18n.language) })}</p>
        ) : (
          <ConsultWhen scheduledAt={consult.scheduledAt} doctorName={consult.doctorName} doctorTimeZone={consult.doctorTimeZone} />
        )}
        <p>{t(invite.role === 'interpreter' ? 'linkRecords.interpreterIntro' : consult.kind === 'records' ? 'linkRecords.recordsIntro' : 'linkRecords.patientIntro', { doctor: consult.doctorName })}</p>
        <p className="field-hint">{t('linkRecords.validUntil', { date: formatDateTime(invite.expiresAt, i18n.language) })}</p>
      </section>
      {invite.role === 'interpreter' && (
        <div className="panel">
          <TextField label={t('prejoin.displayName')} value={translatorName} onChange={setTranslatorName} autoComplete="name" plainText maxLength={64} />
        </div>
      )}
      <CaseSection consultId={consultId} credentials={credentials} role={invite.role} signedAs={translatorName} />
      {documentsApi && invite.role === 'patient' && (
        <DocumentsPanel api={documentsApi} version={0} role="patient" inCall={false} withInterpreter={false} presentation={null} isSelfPresenting={false} callAhead={false} />
      )}
    </main>
  );
}
