// The Socket.IO protocol between client and signalling server, typed once.
//
// Flow: the client emits `join`, loads a mediasoup Device with the router's
// capabilities, creates a send and a receive transport, produces its
// microphone and camera, sends `setRtpCapabilities`, and from then on is told
// of every remote producer (`producerAdded`) and asks to `consume` it.
// Every client request is answered through a Socket.IO acknowledgement with
// either `{ ok: true, ... }` or `{ ok: false, error }`.
import type { DtlsParameters, IceCandidate, IceParameters, MediaKind, RtpCapabilities, RtpParameters } from 'mediasoup-client/types';
import type {
  ConnectTransportRequest,
  ConsumeRequest,
  ConsumerRequest,
  CreateTransportRequest,
  JoinRequest,
  MediaSource,
  ProduceRequest,
  ProducerRequest,
  RestartIceRequest,
  Role,
  SetRtpCapabilitiesRequest,
} from './schemas';

export type { MediaSource, Role } from './schemas';

export const errorCodes = [
  'invalid-payload',
  'not-joined',
  'already-joined',
  'consult-full',
  'consult-closed',
  'not-found',
  'already-exists',
  'not-ready',
  'cannot-consume',
  'media-error',
  'internal-error',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ProtocolError {
  code: ErrorCode;
  /** For logs and developers; the UI shows a translated text for `code`. */
  message: string;
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ProtocolError };
export type AckCallback<T extends object = object> = (response: Ack<T>) => void;

/** What a participant may know about another participant. */
export interface ParticipantInfo {
  id: string;
  role: Role;
  displayName: string;
  /** True when the participant has no live microphone (muted or none). */
  audioMuted: boolean;
  /** True when the participant has no live camera (off or none). */
  videoOff: boolean;
}

export interface JoinResponse {
  participantId: string;
  routerRtpCapabilities: RtpCapabilities;
  /** Everyone already in the consult, the joining participant excluded. */
  participants: ParticipantInfo[];
}

export interface TransportOptions {
  id: string;
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
}

export interface ConsumerOptions {
  id: string;
  producerId: string;
  participantId: string;
  kind: MediaKind;
  source: MediaSource;
  rtpParameters: RtpParameters;
}

export interface ProducerAnnouncement {
  producerId: string;
  participantId: string;
  kind: MediaKind;
  source: MediaSource;
}

export interface ClientToServerEvents {
  join: (request: JoinRequest, ack: AckCallback<JoinResponse>) => void;
  createTransport: (request: CreateTransportRequest, ack: AckCallback<{ transport: TransportOptions }>) => void;
  connectTransport: (request: ConnectTransportRequest, ack: AckCallback) => void;
  restartIce: (request: RestartIceRequest, ack: AckCallback<{ iceParameters: IceParameters }>) => void;
  produce: (request: ProduceRequest, ack: AckCallback<{ producerId: string }>) => void;
  pauseProducer: (request: ProducerRequest, ack: AckCallback) => void;
  resumeProducer: (request: ProducerRequest, ack: AckCallback) => void;
  closeProducer: (request: ProducerRequest, ack: AckCallback) => void;
  /** Sent once the receive transport exists; the server then announces producers. */
  setRtpCapabilities: (request: SetRtpCapabilitiesRequest, ack: AckCallback) => void;
  consume: (request: ConsumeRequest, ack: AckCallback<{ consumer: ConsumerOptions }>) => void;
  /** Consumers start paused (so no keyframe is lost before the client is ready). */
  resumeConsumer: (request: ConsumerRequest, ack: AckCallback) => void;
  leave: (ack: AckCallback) => void;
}

export interface ServerToClientEvents {
  participantJoined: (participant: ParticipantInfo) => void;
  participantUpdated: (participant: ParticipantInfo) => void;
  participantLeft: (event: { participantId: string }) => void;
  producerAdded: (producer: ProducerAnnouncement) => void;
  consumerClosed: (event: { consumerId: string }) => void;
  /** The consult ended for this participant (server shutdown, worker failure). */
  consultClosed: (event: { reason: 'server-shutdown' | 'media-failure' }) => void;
}
