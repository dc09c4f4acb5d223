import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../shared/protocol';
import { playRemoteAudio } from '../call/audioPlayback';
import type { ConnectionQuality } from '../call/connectionQuality';
import { Icon } from './icons';
import { ParticipantActions } from './ParticipantActions';
import { QualityIndicator } from './QualityIndicator';
import { videoFit } from './tileLayout';
import { hidesVideo, videoFactIcons, type VideoFact } from './videoFacts';

export interface ParticipantTileProps {
  participantId: string;
  label: string;
  displayName: string;
  role: Role;
  audioMuted: boolean;
  videoOff: boolean;
  /** Their connection dropped; they may come back within a minute. */
  reconnecting?: boolean;
  /** Their network lets no media through (their browser found no path to the server). */
  noMediaPath?: boolean;
  /** For the doctor: how their media reaches the server ("relayed (TLS)"). */
  pathNote?: string | undefined;
  /** Their microphone dominates right now. */
  speaking?: boolean;
  quality?: ConnectionQuality | undefined;
  /** Why the video is missing or lower (audio only, held back on a weak link): said on the tile and by its connection indicator. */
  videoFact?: VideoFact | undefined;
  videoTrack: MediaStreamTrack | undefined;
  audioTrack: MediaStreamTrack | undefined;
  /** The local preview: mirrored, never plays its own audio. */
  self?: boolean;
  /** Their languages as the others should know them ("Arabic ↔ German" for the interpreter). */
  languageNote?: string | undefined;
  /** They have the floor in consecutive interpretation. */
  hasFloor?: boolean;
  /** 0..1: lowered while the interpreter speaks, when this listener asked for it. */
  volume?: number;
  /** Offered to the doctor for everyone else. */
  onRemove?: (() => Promise<void>) | undefined;
  /** Offered to the doctor: mute them, or ask them to unmute when muted. */
  onMute?: (() => Promise<void>) | undefined;
  onAskToUnmute?: (() => Promise<void>) | undefined;
}

export function ParticipantTile(props: ParticipantTileProps) {
  const { t } = useTranslation();
  const covered = hidesVideo(props.videoFact);
  // The others' paused video would freeze on its last frame: it gives way to the notice. Our own preview is
  // live even while it is not sent, so it stays, dimmed under the notice (one can still see how one is framed).
  const showVideo = props.videoTrack !== undefined && !props.videoOff && (props.self === true || !covered);
  return (
    <figure
      className={['tile', props.self ? 'tile-self' : '', props.speaking ? 'tile-speaking' : '', props.hasFloor ? 'tile-floor' : '']
        .filter(Boolean)
        .join(' ')}
      data-participant-id={props.participantId}
      data-role={props.role}
      aria-label={props.label}
    >
      {showVideo && props.videoTrack && <TrackVideo track={props.videoTrack} mirrored={props.self === true} dimmed={covered} />}
      {(!showVideo || covered) && (
        <div className={showVideo ? 'tile-placeholder tile-over-video' : 'tile-placeholder'}>
          {!showVideo && (
            <span className="tile-initials" aria-hidden="true">
              {initials(props.displayName)}
            </span>
          )}
          {covered && props.videoFact && (
            <p className="tile-notice" data-fact={props.videoFact}>
              <Icon name={videoFactIcons[props.videoFact]} />
              <span>{t(`call.video.${props.videoFact}`)}</span>
            </p>
          )}
        </div>
      )}
      {props.audioTrack && <TrackAudio track={props.audioTrack} volume={props.volume ?? 1} />}
      <figcaption className="tile-caption">
        <span className="tile-name" dir="auto">{props.self ? props.label : props.displayName}</span>
        <span className="tile-role">{t(`role.${props.role}`)}</span>
        {props.languageNote && <span className="tile-languages">{props.languageNote}</span>}
        {props.hasFloor && <span className="tile-state tile-has-floor">{t('interpretation.hasFloor')}</span>}
        {props.quality && <QualityIndicator quality={props.quality} fact={props.videoFact} />}
        {props.audioMuted && <span className="tile-state">{t('call.microphoneOff')}</span>}
        {props.videoOff && !covered && <span className="tile-state">{t('call.cameraOff')}</span>}
        {props.reconnecting ? (
          <span className="tile-state tile-reconnecting">{t('call.participantReconnecting')}</span>
        ) : props.noMediaPath ? (
          <span className="tile-state tile-reconnecting">{t('call.participantNoPath')}</span>
        ) : (
          props.quality === 'lost' && <span className="tile-state tile-reconnecting">{t('call.connectionInterrupted')}</span>
        )}
        {props.pathNote && <span className="tile-path">{props.pathNote}</span>}
      </figcaption>
      {(props.onRemove || props.onMute) && (
        <ParticipantActions
          className="tile-actions"
          name={props.displayName}
          audioMuted={props.audioMuted}
          onMute={props.onMute}
          onAskToUnmute={props.onAskToUnmute}
          onRemove={props.onRemove}
        />
      )}
    </figure>
  );
}

function TrackVideo({ track, mirrored, dimmed }: { track: MediaStreamTrack; mirrored: boolean; dimmed: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  const [fit, setFit] = useState<'cover' | 'contain'>('cover');
  useEffect(() => {
    // The picture's shape is known once frames arrive, and changes (a phone turned); the tile's changes with the layout.
    const element = ref.current;
    if (!element) return;
    const update = () => {
      if (element.videoHeight > 0 && element.clientHeight > 0) {
        setFit(videoFit(element.videoWidth / element.videoHeight, element.clientWidth / element.clientHeight));
      }
    };
    const observer = new ResizeObserver(update);
    observer.observe(element);
    element.addEventListener('resize', update);
    return () => {
      observer.disconnect();
      element.removeEventListener('resize', update);
    };
  }, []);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.srcObject = new MediaStream([track]);
    // Muted video may always autoplay; sound comes from the separate <audio>.
    element.play().catch(() => undefined);
    return () => {
      element.srcObject = null;
    };
  }, [track]);
  const className = [mirrored ? 'mirrored' : '', dimmed ? 'dimmed' : ''].filter(Boolean).join(' ');
  return <video ref={ref} className={className || undefined} data-fit={fit} autoPlay playsInline muted />;
}

function TrackAudio({ track, volume }: { track: MediaStreamTrack; volume: number }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.volume = volume;
  }, [volume]);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.srcObject = new MediaStream([track]);
    const unregister = playRemoteAudio(element);
    return () => {
      unregister();
      element.srcObject = null;
    };
  }, [track]);
  return <audio ref={ref} autoPlay />;
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
}
