import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { z } from 'zod';
import type { NetworkCheckPlan } from '../../shared/api';
import { apiRequest } from '../api/apiClient';
import { useTranslation } from 'react-i18next';
import { displayNameSchema } from '../../shared/schemas';
import { TextField } from '../accounts/formParts';
import { DocumentsPanel } from '../documents/DocumentsPanel';
import { CaseSection } from '../intake/CaseSection';
import { inviteClaims } from '../documents/inviteClaims';
import { useDocumentsApi } from '../documents/useDocumentsApi';
import { languageName } from '../consults/languages';
import { ConsultWhen } from './ConsultWhen';
import { useInviteDetails } from './useInviteDetails';
import { PreJoinPanel, type PreparedMedia } from '../prejoin/PreJoinPanel';
import { CallScreen } from './LazyCallScreen';
import { LinkRecordsPage } from './LinkRecordsPage';
import { Loading, whenIdle } from './LazyPart';
import { keep, recalled } from '../prejoin/pageMemory';
import { adoptLanguage } from '../i18n/index';

const joinPageSchema = z.object({ displayName: z.string().max(200), consented: z.boolean() });

/**
 * Before a patient or interpreter joins, on one screen of a phone: what the
 * consult is (the doctor's words for them, or a neutral line), in the
 * language the doctor recorded for them unless they chose another, their
 * name (as the doctor entered it, to correct), their agreement to the
 * privacy notice and Join; the device check and their records below. A
 * reload keeps what they typed and chose.
 */
export function GuestJoinPage({ inviteToken }: { inviteToken: string | undefined }) {
  const { t, i18n } = useTranslation();
  const consentId = useId();
  const claims = inviteToken ? inviteClaims(inviteToken) : undefined;
  const memoryKey = `consilium.join.${claims?.linkId ?? 'unknown'}`;
  const [recalledPage] = useState(() => recalled(memoryKey, joinPageSchema));
  const [displayName, setDisplayName] = useState(recalledPage?.displayName ?? '');
  const [consented, setConsented] = useState(recalledPage?.consented ?? false);
  const [joining, setJoining] = useState<{ displayName: string; prepared: PreparedMedia }>();
  const caseCredentials = useMemo(() => ({ inviteToken }), [inviteToken]);
  const documentsApi = useDocumentsApi(claims?.consultId, caseCredentials);
  const { invite, settled } = useInviteDetails(inviteToken);
  const requestNetworkPlan = useCallback(() => apiRequest<NetworkCheckPlan>('POST', '/network-check', undefined, { inviteToken }), [inviteToken]);
  const nameTouched = useRef(recalledPage !== undefined);

  // The call's code arrives while the person reads and types, not after they press Join.
  useEffect(() => whenIdle(CallScreen.preload), []);

  useEffect(() => keep(memoryKey, { displayName, consented }), [memoryKey, displayName, consented]);

  useEffect(() => {
    if (invite?.person.language) adoptLanguage(invite.person.language);
    if (invite?.person.name && !nameTouched.current) setDisplayName(invite.person.name);
  }, [invite]);

  if (!inviteToken) {
    return (
      <main className="notice">
        <h1>{t('link.invalidTitle')}</h1>
        <p>{t('link.invalidBody')}</p>
      </main>
    );
  }
  // Not the join page first and then the records page (or English first, then Arabic): what
  // someone typed or allowed in the first moment would be lost, or a camera asked for in vain.
  if (!settled) return <Loading page />;
  if (invite?.consult.callOver && claims) {
    return <LinkRecordsPage inviteToken={inviteToken} consultId={claims.consultId} invite={invite} />;
  }
  if (joining) {
    return <CallScreen join={{ as: 'guest', inviteToken, displayName: joining.displayName }} prepared={joining.prepared} />;
  }

  const name = displayNameSchema.safeParse(displayName);
  const missing = !name.success ? t(displayName.trim() === '' ? 'prejoin.missingName' : 'prejoin.missingValidName') : !consented ? t('prejoin.missingConsent') : undefined;
  return (
    <PreJoinPanel
      title={t('prejoin.title')}
      canJoin={name.success && consented}
      missing={missing}
      requestNetworkPlan={requestNetworkPlan}
      onJoin={(prepared) => {
        if (name.success) setJoining({ displayName: name.data, prepared });
      }}
      intro={
        invite && (
          <section className="consult-summary" aria-label={t('prejoin.yourConsult')}>
            <p className="consult-description" dir="auto">{invite.consult.description ?? t('prejoin.defaultDescription', { doctor: invite.consult.doctorName })}</p>
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
        claims && (
          <>
            <CaseSection consultId={claims.consultId} credentials={caseCredentials} role={claims.role} signedAs={displayName} />
            {documentsApi && claims.role === 'patient' && (
              <DocumentsPanel api={documentsApi} version={0} role="patient" inCall={false} withInterpreter={false} presentation={null} isSelfPresenting={false} />
            )}
          </>
        )
      }
    >
      <TextField
        label={t('prejoin.displayName')}
        value={displayName}
        onChange={(value) => {
          nameTouched.current = true;
          setDisplayName(value);
        }}
        autoComplete="name"
        plainText
        required
        maxLength={64}
      />
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
