import { useCallback, useId, useState } from 'react';
import type { NetworkCheckPlan } from '../../shared/api';
import { apiRequest } from '../api/apiClient';
import { useTranslation } from 'react-i18next';
import { displayNameSchema } from '../../shared/schemas';
import { TextField } from '../accounts/formParts';
import { DocumentsPanel } from '../documents/DocumentsPanel';
import { inviteClaims } from '../documents/inviteClaims';
import { useDocumentsApi } from '../documents/useDocumentsApi';
import { languageName } from '../consults/languages';
import { ConsultWhen } from './ConsultWhen';
import { useInviteDetails } from './useInviteDetails';
import { PreJoinPanel, type PreparedMedia } from '../prejoin/PreJoinPanel';
import { CallScreen } from './CallScreen';

/**
 * Before a patient or interpreter joins: the device check, their name as
 * others will see it, and their agreement to the privacy notice.
 */
export function GuestJoinPage({ inviteToken }: { inviteToken: string | undefined }) {
  const { t, i18n } = useTranslation();
  const consentId = useId();
  const [displayName, setDisplayName] = useState('');
  const [consented, setConsented] = useState(false);
  const [joining, setJoining] = useState<{ displayName: string; prepared: PreparedMedia }>();
  const claims = inviteToken ? inviteClaims(inviteToken) : undefined;
  const documentsApi = useDocumentsApi(claims?.consultId, { inviteToken });
  const invite = useInviteDetails(inviteToken);
  const requestNetworkPlan = useCallback(() => apiRequest<NetworkCheckPlan>('POST', '/network-check', undefined, { inviteToken }), [inviteToken]);

  if (!inviteToken) {
    return (
      <main className="notice">
        <h1>{t('link.invalidTitle')}</h1>
        <p>{t('link.invalidBody')}</p>
      </main>
    );
  }
  if (joining) {
    return <CallScreen join={{ as: 'guest', inviteToken, displayName: joining.displayName }} prepared={joining.prepared} />;
  }

  const name = displayNameSchema.safeParse(displayName);
  return (
    <PreJoinPanel
      title={t('prejoin.title')}
      canJoin={name.success && consented}
      requestNetworkPlan={requestNetworkPlan}
      onJoin={(prepared) => {
        if (name.success) setJoining({ displayName: name.data, prepared });
      }}
      intro={
        invite && (
          <section className="consult-summary" aria-label={t('prejoin.yourConsult')}>
            <p>{t('prejoin.consultWith', { doctor: invite.consult.doctorName, title: invite.consult.title })}</p>
            <ConsultWhen scheduledAt={invite.consult.scheduledAt} doctorName={invite.consult.doctorName} doctorTimeZone={invite.consult.doctorTimeZone} />
            {invite.consult.interpretation && (
              <p>
                {t(invite.role === 'interpreter' ? 'prejoin.youInterpret' : 'prejoin.interpreterJoins', {
                  from: languageName(invite.consult.interpretation.from, i18n.language),
                  to: languageName(invite.consult.interpretation.to, i18n.language),
                })}
              </p>
            )}
          </section>
        )
      }
      after={
        documentsApi &&
        claims?.role === 'patient' && (
          <DocumentsPanel api={documentsApi} version={0} role="patient" inCall={false} withInterpreter={false} presentation={null} isSelfPresenting={false} />
        )
      }
    >
      <TextField label={t('prejoin.displayName')} value={displayName} onChange={setDisplayName} autoComplete="name" plainText required maxLength={64} />
      <PrivacyConsent id={consentId} consented={consented} onChange={setConsented} />
    </PreJoinPanel>
  );
}

export function PrivacyConsent({ id, consented, onChange }: { id: string; consented: boolean; onChange: (value: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <section className="privacy-notice" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('prejoin.privacyTitle')}</h3>
      <p>{t('prejoin.privacyBody')}</p>
      <label className="checkbox" htmlFor={id}>
        <input id={id} type="checkbox" checked={consented} onChange={(event) => onChange(event.target.checked)} />
        {t('prejoin.consent')}
      </label>
    </section>
  );
}
