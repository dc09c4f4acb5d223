import { useEffect, useId, useState } from 'react';
import type { NetworkCheckPlan } from '../../shared/api';
import { apiRequest } from '../api/apiClient';
import { useTranslation } from 'react-i18next';
import { PreJoinPanel, type PreparedMedia } from '../prejoin/PreJoinPanel';
import { CallScreen } from './LazyCallScreen';
import { whenIdle } from './LazyPart';
import { PrivacyConsent } from './GuestJoinPage';

const requestNetworkPlan = () => apiRequest<NetworkCheckPlan>('POST', '/network-check');

function rememberedConsent(key: string): boolean {
  try {
    return window.localStorage.getItem(key) === 'yes';
  } catch {
    return false;
  }
}

function rememberConsent(key: string, consented: boolean): void {
  try {
    if (consented) window.localStorage.setItem(key, 'yes');
    else window.localStorage.removeItem(key);
  } catch {
    // Blocked storage only means being asked again next time.
  }
}

/** The doctor checks devices (their name comes from their account) before opening the consult. */
export function DoctorJoinPage({ consultId }: { consultId: string }) {
  const { t } = useTranslation();
  const consentId = useId();
  // Agreed once for this consult in this browser: not asked again on every return to it.
  const consentKey = `consilium.doctorConsent.${consultId}`;
  const [consented, setConsented] = useState(() => rememberedConsent(consentKey));
  const [prepared, setPrepared] = useState<PreparedMedia>();
  useEffect(() => whenIdle(CallScreen.preload), []);
  if (prepared) return <CallScreen join={{ as: 'doctor', consultId }} prepared={prepared} />;
  return (
    <PreJoinPanel title={t('prejoin.doctorTitle')} canJoin={consented} missing={t('prejoin.missingConsent')} onJoin={setPrepared} requestNetworkPlan={requestNetworkPlan}>
      <PrivacyConsent
        id={consentId}
        consented={consented}
        onChange={(value) => {
          rememberConsent(consentKey, value);
          setConsented(value);
        }}
      />
    </PreJoinPanel>
  );
}
