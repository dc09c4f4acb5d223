// What the screens see of a consult session, in parts by feature, and the
// store React reads it from (useSyncExternalStore): a new object on every
// change, so a screen re-renders exactly when something it shows changed.
import type { PresentationState } from '../../shared/documents';
import type {
  ChatMessage,
  ConsultInfo,
  ForwardedVideo,
  FloorState,
  ParticipantInfo,
  RemovalReason,
  Role,
  ServerToClientEvents,
  WaitingParticipantInfo,
  WaitingStatus,
} from '../../shared/protocol';
import type { ConnectionPathReport } from '../../shared/schemas';
import type { FailureCode } from '../api/requestFailure';
import type { ConnectionQuality } from './connectionQuality';
import type { LocalMediaProblem } from './localMedia';

export interface RemoteParticipant extends ParticipantInfo {
  audioTrack: MediaStreamTrack | undefined;
  videoTrack: MediaStreamTrack | undefined;
}

export type SessionPhase = 'joining' | 'waiting' | 'in-call' | 'left' | 'ended' | 'failed';

type ConsultClosedReason = Parameters<ServerToClientEvents['consultClosed']>[0]['reason'];

/**
 * Why a session is over: a request refused or lost (a refusal code,
 * 'network', 'timeout'), the server's reason for ending it (removed, denied,
 * replaced, the consult ended or the service restarted), or what went wrong
 * here.
 */
export type SessionFailure = FailureCode | RemovalReason | ConsultClosedReason | 'connection-lost' | 'unsupported-browser' | 'generic';

/** Where we are, and who we are in the consult. */
interface ConnectionPart {
  phase: SessionPhase;
  failure: SessionFailure | undefined;
  self: { id: string; role: Role; displayName: string } | undefined;
  consult: ConsultInfo | undefined;
  /** Our connection dropped and we are trying to get back (media keeps its state). */
  reconnecting: boolean;
  /** Our link is open in another window or on another device: we wait behind it and try again. */
  linkInUse: boolean;
  /** The service said it is restarting: we come back by ourselves when it is up again. */
  restarting: boolean;
}

/** The waiting room, from either side. */
interface WaitingPart {
  /** While this participant waits to be let in. */
  waitingStatus: WaitingStatus | undefined;
  /** For doctors: who is waiting, in order of arrival. */
  waiting: WaitingParticipantInfo[];
  /** For doctors: every arrival since joining, newest last (each one alerts). */
  arrivals: WaitingParticipantInfo[];
  /** For doctors: who in the call may come back without waiting to be let in again. */
  mayReturn: Record<string, boolean>;
}

/** The people in the call and their media, and ours. */
interface MediaPart {
  participants: RemoteParticipant[];
  /** Whose microphone dominates now. */
  activeSpeakerId: string | undefined;
  /** Connection quality by participant id ('self' for our own sending). */
  quality: Record<string, ConnectionQuality>;
  localStream: MediaStream | undefined;
  mediaProblem: LocalMediaProblem | undefined;
  microphoneMuted: boolean;
  cameraOff: boolean;
  /** We chose audio only: no video out, none in. */
  audioOnly: boolean;
  /** Our uplink cannot carry our camera now: it is paused to keep our voice clear, and tried again by itself. */
  sendingHeldBack: boolean;
  /** Our downlink cannot carry video now: the server holds back the others' video to keep their voices clear. */
  receivingHeldBack: boolean;
  /** By participant id: what our link lets the server forward of their video (absent: all our tile needs). */
  forwardedVideo: Record<string, ForwardedVideo>;
  /** Something the doctor did to or asked of us, shown until dismissed. */
  doctorNotice: { kind: 'muted' | 'unmute-requested'; by: string } | undefined;
  /** The path our media found to the server ('none': the network blocks it); undefined while looking. */
  mediaPath: ConnectionPathReport['path'] | undefined;
}

/** The chat we may read, oldest first. */
interface ChatPart {
  chat: ChatMessage[];
}

interface DocumentsPart {
  /** The document shown to everyone, as we may see it; null when none is. */
  presentation: PresentationState | null;
  /** Goes up whenever the consult's documents change (uploaded, removed, shared). */
  documentsVersion: number;
}

interface InterpretationPart {
  /** Consecutive interpretation: who has the floor. */
  floor: FloorState | null;
}

export type SessionState = ConnectionPart & WaitingPart & MediaPart & ChatPart & DocumentsPart & InterpretationPart;

export const initialSessionState: SessionState = {
  phase: 'joining',
  failure: undefined,
  self: undefined,
  consult: undefined,
  reconnecting: false,
  linkInUse: false,
  restarting: false,
  waitingStatus: undefined,
  waiting: [],
  arrivals: [],
  mayReturn: {},
  participants: [],
  activeSpeakerId: undefined,
  quality: {},
  localStream: undefined,
  mediaProblem: undefined,
  microphoneMuted: false,
  cameraOff: false,
  audioOnly: false,
  sendingHeldBack: false,
  receivingHeldBack: false,
  forwardedVideo: {},
  doctorNotice: undefined,
  mediaPath: undefined,
  chat: [],
  presentation: null,
  documentsVersion: 0,
  floor: null,
};

type Listener = () => void;

export class SessionStore {
  readonly #listeners = new Set<Listener>();
  #state: SessionState = initialSessionState;

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getState = (): SessionState => this.#state;

  update(patch: Partial<SessionState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener();
  }

  /** The roster as the server sent it: the tracks of those still present are kept. */
  setParticipants(participants: ParticipantInfo[]): void {
    const previous = new Map(this.#state.participants.map((participant) => [participant.id, participant]));
    this.update({
      participants: participants.map((participant) => ({
        ...participant,
        audioTrack: previous.get(participant.id)?.audioTrack,
        videoTrack: previous.get(participant.id)?.videoTrack,
      })),
    });
  }

  /** Someone joined, or what we know of them changed. */
  upsertParticipant(info: ParticipantInfo): void {
    const current = this.#state.participants;
    const participants = current.some((participant) => participant.id === info.id)
      ? current.map((participant) => (participant.id === info.id ? { ...participant, ...info } : participant))
      : [...current, { ...info, audioTrack: undefined, videoTrack: undefined }];
    this.update({ participants });
  }

  removeParticipant(participantId: string): void {
    this.update({ participants: this.#state.participants.filter((participant) => participant.id !== participantId) });
  }

  /** A chat message, once (it may come again with a catch-up after a reconnection). */
  addChat(message: ChatMessage): void {
    if (this.#state.chat.some((known) => known.id === message.id)) return;
    this.update({ chat: [...this.#state.chat, message] });
  }

  /** A remote participant's track arrived or went. */
  setTrack(participantId: string, kind: 'audio' | 'video', track: MediaStreamTrack | undefined): void {
    const key = kind === 'audio' ? 'audioTrack' : 'videoTrack';
    this.update({
      participants: this.#state.participants.map((participant) => (participant.id === participantId ? { ...participant, [key]: track } : participant)),
    });
  }
}
