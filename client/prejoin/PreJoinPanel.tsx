import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { playArrivalChime } from '../call/arrivalChime';
import { acquireLocalMedia, listDevices, type DeviceChoice, type LocalMedia } from '../call/localMedia';
import { DeviceSelect } from '../components/DeviceSelect';
import { LanguageSelect } from '../i18n/LanguageSelect';
import { browserProblem } from './browserSupport';
import type { NetworkCheckPlan } from '../../shared/api';
import { MicrophoneMeter } from './MicrophoneMeter';
import { NetworkCheck } from './NetworkCheck';
import { PermissionHelp } from './PermissionHelp';

export interface PreparedMedia {
  media: LocalMedia;
  devices: DeviceChoice;
}

/**
 * The check before joining: browser support, camera preview, camera and
 * microphone choice, a microphone level meter, a speaker test, help when
 * access was refused, whether the network can carry the call, and the UI
 * language. `children` adds what a role needs
 * (a name, consent); the opened camera and microphone are handed to the call.
 */
export function PreJoinPanel({
  title,
  canJoin,
  onJoin,
  children,
  intro,
  after,
  requestNetworkPlan,
}: {
  title: string;
  /** Asks the server what the network check should try (a stable function: a new one checks again). */
  requestNetworkPlan: () => Promise<NetworkCheckPlan>;
  /** Under the title: what this consult is (for people arriving from a link). */
  intro?: ReactNode;
  canJoin: boolean;
  onJoin: (prepared: PreparedMedia) => void;
  children?: ReactNode;
  /** Shown below the check (a patient's records, for instance). */
  after?: ReactNode;
}) {
  const { t } = useTranslation();
  const unsupported = browserProblem();
  const [choice, setChoice] = useState<DeviceChoice>({});
  const [attempt, setAttempt] = useState(0);
  const [media, setMedia] = useState<LocalMedia>();
  const [devices, setDevices] = useState<{ cameras: MediaDeviceInfo[]; microphones: MediaDeviceInfo[] }>({
    cameras: [],
    microphones: [],
  });
  const handedOver = useRef(false);
  const preview = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (unsupported) return;
    let cancelled = false;
    let opened: LocalMedia | undefined;
    void acquireLocalMedia(choice).then(async (result) => {
      opened = result;
      if (cancelled) {
        result.stream.getTracks().forEach((track) => track.stop());
        return;
      }
      setMedia(result);
      setDevices(await listDevices());
    });
    return () => {
      cancelled = true;
      if (!handedOver.current) opened?.stream.getTracks().forEach((track) => track.stop());
    };
  }, [choice, attempt, unsupported]);

  useEffect(() => {
    if (preview.current && media) preview.current.srcObject = media.stream;
  }, [media]);

  if (unsupported) {
    return (
      <main className="notice">
        <h1>{t('prejoin.unsupportedTitle')}</h1>
        <p role="alert">{t(`prejoin.unsupported.${unsupported}`)}</p>
      </main>
    );
  }

  const camera = media?.stream.getVideoTracks()[0];
  const microphone = media?.stream.getAudioTracks()[0];
  const join = () => {
    if (!media) return;
    handedOver.current = true;
    onJoin({ media, devices: choice });
  };

  return (
    <main className="prejoin">
      <h1>{title}</h1>
      {intro}
      <div className="prejoin-grid">
        <section className="panel" aria-labelledby="prejoin-devices">
          <h2 id="prejoin-devices">{t('prejoin.checkTitle')}</h2>
          <div className="prejoin-preview">
            {camera ? (
              <video ref={preview} className="mirrored" autoPlay playsInline muted aria-label={t('prejoin.preview')} />
            ) : (
              <div className="tile-placeholder" aria-hidden="true" />
            )}
          </div>
          {media?.problem && <PermissionHelp problem={media.problem} onRetry={() => setAttempt((value) => value + 1)} />}
          <DeviceSelect
            label={t('devices.camera')}
            devices={devices.cameras}
            value={choice.cameraId ?? camera?.getSettings().deviceId}
            onChange={(cameraId) => setChoice((current) => ({ ...current, cameraId }))}
          />
          <DeviceSelect
            label={t('devices.microphone')}
            devices={devices.microphones}
            value={choice.microphoneId ?? microphone?.getSettings().deviceId}
            onChange={(microphoneId) => setChoice((current) => ({ ...current, microphoneId }))}
          />
          <MicrophoneMeter track={microphone} />
          <div className="speaker-test">
            <button type="button" onClick={playArrivalChime}>
              {t('prejoin.playTestSound')}
            </button>
            <small>{t('prejoin.testSoundHint')}</small>
          </div>
          <NetworkCheck requestPlan={requestNetworkPlan} />
        </section>
        <section className="panel stacked-form" aria-labelledby="prejoin-you">
          <h2 id="prejoin-you">{t('prejoin.aboutYou')}</h2>
          <LanguageSelect />
          {children}
          <button type="button" className="primary" disabled={!canJoin || !media} onClick={join}>
            {t('prejoin.join')}
          </button>
        </section>
      </div>
      {after}
    </main>
  );
}
