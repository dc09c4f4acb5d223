import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
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
import { keep, recalled } from './pageMemory';
import { z } from 'zod';

const deviceChoiceKey = 'consilium.prejoin.devices';
const deviceChoiceSchema = z.object({ cameraId: z.string().max(512).optional(), microphoneId: z.string().max(512).optional() });

export interface PreparedMedia {
  media: LocalMedia;
  devices: DeviceChoice;
}

/**
 * The check before joining, laid out so that a phone shows what matters in
 * its first screen: the page's language, what the consult is, the camera
 * preview with its microphone meter, what the role needs (`children`: a
 * name, consent) and Join, which says what is still missing while it cannot
 * be pressed. Below: camera and microphone choice, a speaker test and the
 * network check. The opened camera and microphone are handed to the call.
 */
export function PreJoinPanel({
  title,
  canJoin,
  missing,
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
  /** While `canJoin` is false: what the person still has to do, said under the Join button. */
  missing?: string | undefined;
  onJoin: (prepared: PreparedMedia) => void;
  children?: ReactNode;
  /** Shown below the check (a patient's records, for instance). */
  after?: ReactNode;
}) {
  const { t } = useTranslation();
  const unsupported = browserProblem();
  const [choice, setChoice] = useState<DeviceChoice>({});
  /** The devices chosen before a reload: used again once they are known to be still there. */
  const [recalledChoice] = useState(() => recalled(deviceChoiceKey, deviceChoiceSchema));
  const recalledAdopted = useRef(false);
  const [attempt, setAttempt] = useState(0);
  const [media, setMedia] = useState<LocalMedia>();
  const [devices, setDevices] = useState<{ cameras: MediaDeviceInfo[]; microphones: MediaDeviceInfo[] }>({
    cameras: [],
    microphones: [],
  });
  const handedOver = useRef(false);
  const joinHintId = useId();
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
      const listed = await listDevices();
      setDevices(listed);
      // After a reload: the camera and microphone chosen before, if both are still plugged in.
      if (recalledChoice && !recalledAdopted.current) {
        recalledAdopted.current = true;
        const present = (id: string | undefined, among: MediaDeviceInfo[]) => id === undefined || among.some((device) => device.deviceId === id);
        if (present(recalledChoice.cameraId, listed.cameras) && present(recalledChoice.microphoneId, listed.microphones)) setChoice(recalledChoice);
      }
    });
    return () => {
      cancelled = true;
      if (!handedOver.current) opened?.stream.getTracks().forEach((track) => track.stop());
    };
  }, [choice, attempt, unsupported, recalledChoice]);

  useEffect(() => keep(deviceChoiceKey, choice), [choice]);

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

  const hint = !media ? t('prejoin.missingDevices') : canJoin ? undefined : missing;

  return (
    <main className="prejoin">
      <header className="prejoin-header">
        <h1>{title}</h1>
        <LanguageSelect />
      </header>
      {intro}
      <div className="prejoin-grid">
        <section className="panel prejoin-essentials" aria-labelledby="prejoin-you">
          <h2 id="prejoin-you" className="visually-hidden">
            {t('prejoin.aboutYou')}
          </h2>
          <div className="prejoin-preview">
            {camera ? (
              <video ref={preview} className="mirrored" autoPlay playsInline muted aria-label={t('prejoin.preview')} />
            ) : (
              <div className="tile-placeholder" aria-hidden="true" />
            )}
          </div>
          <MicrophoneMeter track={microphone} />
          {media?.problem && <PermissionHelp problem={media.problem} onRetry={() => setAttempt((value) => value + 1)} />}
          {children}
          <button type="button" className="primary join-button" disabled={!canJoin || !media} onClick={join} aria-describedby={hint ? joinHintId : undefined}>
            {t('prejoin.join')}
          </button>
          {hint && (
            <p id={joinHintId} className="join-hint">
              {hint}
            </p>
          )}
        </section>
        <section className="panel" aria-labelledby="prejoin-devices">
          <h2 id="prejoin-devices">{t('prejoin.checkTitle')}</h2>
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
          <div className="speaker-test">
            <button type="button" onClick={playArrivalChime}>
              {t('prejoin.playTestSound')}
            </button>
            <small>{t('prejoin.testSoundHint')}</small>
          </div>
          <NetworkCheck requestPlan={requestNetworkPlan} />
        </section>
      </div>
      {after}
    </main>
  );
}
