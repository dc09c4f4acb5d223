import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultSession, SessionState } from '../call/consultSession';
import { listDevices } from '../call/localMedia';
import { DeviceSelect } from './DeviceSelect';

/** Switch camera or microphone during the call (e.g. to a headset plugged in mid-consult). */
export function DeviceSettings({ session, state }: { session: ConsultSession; state: SessionState }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [devices, setDevices] = useState<{ cameras: MediaDeviceInfo[]; microphones: MediaDeviceInfo[] }>({
    cameras: [],
    microphones: [],
  });

  useEffect(() => {
    const refresh = () => void listDevices().then(setDevices);
    refresh();
    navigator.mediaDevices?.addEventListener('devicechange', refresh);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', refresh);
  }, []);

  const current = (kind: 'video' | 'audio') =>
    (kind === 'video' ? state.localStream?.getVideoTracks() : state.localStream?.getAudioTracks())?.[0]?.getSettings().deviceId;
  const choose = (kind: 'camera' | 'microphone') => (deviceId: string) => {
    session.switchDevice(kind, deviceId).catch((error: unknown) => console.warn('could not switch device', error));
  };

  return (
    <section className="device-settings" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('devices.settings')}</h3>
      <DeviceSelect label={t('devices.camera')} devices={devices.cameras} value={current('video')} onChange={choose('camera')} />
      <DeviceSelect label={t('devices.microphone')} devices={devices.microphones} value={current('audio')} onChange={choose('microphone')} />
    </section>
  );
}
