import { useId, useState } from 'react';
import type { NetworkCheckPlan } from '../../shared/api';
import { apiRequest } from '../api/apiClient';
import { useTranslation } from 'react-i18next';
import { PreJoinPanel, type PreparedMedia } from '../prejoin/PreJoinPanel';
import { CallScreen } from './CallScreen';
import { PrivacyConsent } from './GuestJoinPage';

const requestNetworkPlan = () => apiRequest<NetworkCheckPlan>('POST', '/network-check');

/** The doctor checks devices (their name comes from their account) before opening the consult. */
export function DoctorJoinPage({ consultId }: { consultId: string }) {
  const { t } = useTranslation();
  const consentId = useId();
  const [consented, setConsented] = useState(false);
  const [prepared, setPrepared] = useState<PreparedMedia>();
  if (prepared) return <CallScreen join={{ as: 'doctor', consultId }} prepared={prepared} />;
  return (
    <PreJoinPanel title={t('prejoin.doctorTitle')} canJoin={consented} onJoin={setPrepared} requestNetworkPlan={requestNetworkPlan}>
      <PrivacyConsent id={consentId} consented={consented} onChange={setConsented} />
    </PreJoinPanel>
  );
}
