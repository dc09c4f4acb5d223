// The Socket.IO protocol between client and signalling server, typed once.
//
// Flow: the client emits `join`. A patient or interpreter then waits until
// the doctor admits them (`admitted`); an admitted participant loads a mediasoup Device with the router's
// capabilities, creates a send and a receive transport, produces its
// microphone and camera, sends `setRtpCapabilities`, and from then on is told
// of every remote producer (`producerAdded`) and asks to `consume` it.
// Every client request is answered through a Socket.IO acknowledgement with
// either `{ ok: true, ... }` or `{ ok: false, error }`.
import type { DtlsParameters, IceCandidate, IceParameters, MediaKind, RtpCapabilities, RtpParameters } from 'mediasoup-client/types';
import type {
  AddAnnotationRequest,
  Annotation,
  DocumentView,
  MovePointerRequest,
  PagePoint,
  PresentationState,
  PresentDocumentRequest,
  RemoveAnnotationRequest,
  UpdateViewRequest,
} from './documents';
import type {
  ConnectTransportRequest,
  ConsumeRequest,
  ConsumerRequest,
  ConsumerViewRequest,
  VideoLimitsRequest,
  CreateTransportRequest,
  JoinRequest,
  MediaSource,
  ParticipantRequest,
  ProduceRequest,
  ProducerRequest,
  RestartIceRequest,
  ResumeRequest,
  AllowReturnRequest,
  ConnectionPathReport,
  SendChatRequest,
  FloorCueRequest,
  Role,
  SetRtpCapabilitiesRequest,
} from './schemas';
import type { RefusalReason } from './refusals';

export type { MediaSource, Role } from './schemas';

export const removalReasons = ['denied', 'removed', 'link-revoked', 'replaced'] as const;
export type RemovalReason = (typeof removalReasons)[number];

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: RefusalReason };
export type AckCallback<T extends object = object> = (response: Ack<T>) => void;

/** What a participant may know about another participant. */
export type ForwardedVideo = 'whole' | 'lower' | 'none';

export interface ParticipantInfo {
  id: string;
  role: Role;
  displayName: string;
  /** True when the participant has no live microphone (muted or none). */
  audioMuted: boolean;
  /** True when the participant has no live camera (off or none). */
  videoOff: boolean;
  /** Their connection dropped; they have a minute to come back before they count as gone. */
  reconnecting: boolean;
  /** How their media reaches the server, as their browser reported it; 'none' when it found no path; null until it reported. */
  path: ConnectionPath | 'none' | null;
  /** They chose audio only (mobile data, an old phone): they send and receive no video. */
  audioOnly: boolean;
  /** Their own link cannot carry video now: their camera is paused to keep the sound clear, and resumes by itself. */
  videoHeldBack: boolean;
  /** Their own link cannot carry video to them now: they receive none, and everyone's voice is sent compact so theirs fits. */
  downlinkWeak: boolean;
}

/** Someone in the waiting room, as the doctor sees them. */
export interface WaitingParticipantInfo {
  id: string;
  role: Role;
  displayName: string;
  arrivedAt: string;
}

/** What a waiting patient or interpreter is told. */
export interface WaitingStatus {
  /** 1 for the next person to be let in. */
  position: number;
  doctorOnline: boolean;
}

export interface ChatMessage {
  id: string;
  at: string;
  from: { participantId: string; displayName: string; role: Role };
  /** null: to everyone in the call; otherwise the private thread with this waiting participant. */
  thread: string | null;
  /**
   * Written in the call while no patient was in it (the doctor's pre-brief
   * with the interpreter): for doctors and interpreters only, never shown to
   * the patient later.
   */
  careTeam: boolean;
  text: string;
}

/**
 * Consecutive interpretation: who has the floor. A speaker hands it to the
 * interpreter ("please interpret"), or the interpreter takes it by asking the
 * speaker to pause; the interpreter hands it back ("go on"). A cue only:
 * nothing is muted or blocked.
 */
export interface FloorState {
  holderId: string;
  /** Who spoke before the interpreter took the floor: "go on" hands it back to them. */
  speakerId: string | null;
  /** The interpreter asked the speaker to pause. */
  pauseRequested: boolean;
  since: string;
}

export interface ConsultInfo {
  id: string;
  /** The doctor's own title for the consult; null for patients and interpreters (it is internal). */
  title: string | null;
  /** What the patient and interpreter read about it, in the doctor's words; null: a neutral default. */
  description: string | null;
  doctorName: string;
  /** The patient's language (BCP 47), as the doctor recorded it. */
  patientLanguage: string;
  /** The language pair the interpreter bridges; null when no interpreter is needed. */
  interpretation: { from: string; to: string } | null;
  scheduledAt: string;
  /** Where the doctor is (IANA zone), to show the time on both sides; null if unknown. */
  doctorTimeZone: string | null;
}

/** A TURN server for the browser, with credentials valid for a limited time (RTCIceServer's shape). */
export interface IceServer {
  urls: string[];
  username: string;
  credential: string;
}

/**
 * How media may reach the server: the TURN servers to relay through (none
 * when the operator runs no TURN), and whether only relayed paths may be
 * used. Given only to someone allowed media (never while waiting).
 */
export interface MediaAccess {
  iceServers: IceServer[];
  iceTransportPolicy: 'all' | 'relay';
}

/** How someone's media reaches the server: directly over UDP or TCP, or relayed by TURN (over UDP, TCP or TLS). */
export const connectionPaths = ['udp', 'tcp', 'relay-udp', 'relay-tcp', 'relay-tls'] as const;
export type ConnectionPath = (typeof connectionPaths)[number];

export interface JoinResponse {
  participantId: string;
  role: Role;
  displayName: string;
  consult: ConsultInfo;
  /** Doctors are admitted at once, and so is anyone the doctor let in before (coming back); others wait for the doctor. */
  admitted: boolean;
  routerRtpCapabilities: RtpCapabilities;
  /** How to reach the media server; null while waiting (no TURN credentials for anyone not let in). */
  mediaAccess: MediaAccess | null;
  /** How long the server keeps this participant's place after their connection drops: resume within it. */
  reconnectGraceMs: number;
  /**
   * For doctors: who in the call may come back without waiting to be let in
   * (after a drop longer than the grace period, or a restart); the doctor's
   * choice, on by default. Empty for everyone else.
   */
  mayReturn: string[];
  /** Everyone admitted, the joining participant excluded; empty while waiting. */
  participants: ParticipantInfo[];
  /** The waiting room, for doctors; empty for everyone else. */
  waiting: WaitingParticipantInfo[];
  /** Present while this participant waits. */
  waitingStatus: WaitingStatus | null;
  /** Send it with `resume` after a lost connection to come back as the same participant. */
  resumeToken: string;
  /** The chat this participant may read, oldest first. */
  chat: ChatMessage[];
  /** The document being presented, as this participant sees it; null while waiting or when none is. */
  presentation: PresentationState | null;
  /** Who has the floor in consecutive interpretation; null while waiting or when nobody does. */
  floor: FloorState | null;
}

export interface ResumeResponse extends Omit<JoinResponse, 'resumeToken'> {
  /** The server-side consumers still alive; the client drops any others it holds. */
  consumerIds: string[];
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
  /**
   * How big the receiver draws this video: the server forwards the simulcast layer that size needs,
   * and nothing while it is not seen (height 0: a hidden page).
   */
  setConsumerView: (request: ConsumerViewRequest, ack: AckCallback) => void;
  /** Audio only by choice, or video paused one way or both because our link cannot carry it (see the schema). */
  setVideoLimits: (request: VideoLimitsRequest, ack: AckCallback) => void;
  leave: (ack: AckCallback) => void;
  /** On a new connection after the old one dropped: become the same participant again. */
  resume: (request: ResumeRequest, ack: AckCallback<ResumeResponse>) => void;
  sendChat: (request: SendChatRequest, ack: AckCallback<{ message: ChatMessage }>) => void;
  /** Doctor only: let a waiting participant in. */
  admit: (request: ParticipantRequest, ack: AckCallback) => void;
  /** Doctor only: turn a waiting participant away; their link stops working. */
  deny: (request: ParticipantRequest, ack: AckCallback) => void;
  /** Doctor only: remove someone from the call; their link stops working. */
  remove: (request: ParticipantRequest, ack: AckCallback) => void;
  /** Doctor only: mute someone's microphone (only they can turn it back on). */
  muteParticipant: (request: ParticipantRequest, ack: AckCallback) => void;
  /** Doctor only: ask someone muted to unmute. */
  askToUnmute: (request: ParticipantRequest, ack: AckCallback) => void;
  /** Doctor only: end the consult for everyone. */
  endConsult: (ack: AckCallback) => void;
  /**
   * In the call: forget our media (transports, what we send and receive) so
   * we can make it again from nothing, after making it failed half-way.
   */
  resetMedia: (ack: AckCallback) => void;
  /** In the call: fresh TURN credentials (before an ICE restart, after a long drop). */
  mediaAccess: (ack: AckCallback<{ mediaAccess: MediaAccess }>) => void;
  /** In the call: the path our media found to the server, for the doctor to see. */
  reportConnectionPath: (request: ConnectionPathReport, ack: AckCallback) => void;
  /** Doctor only: whether someone they let in may come back without waiting again. */
  allowReturn: (request: AllowReturnRequest, ack: AckCallback) => void;
  /** Open a document for everyone in the call (a doctor may take over from another presenter). */
  presentDocument: (request: PresentDocumentRequest, ack: AckCallback<{ presentation: PresentationState }>) => void;
  /** Presenter only: the page, zoom, position (and DICOM slice and window) everyone follows. */
  updateView: (request: UpdateViewRequest, ack: AckCallback) => void;
  /** Presenter only: where their pointer is on the page, or null when it left it. */
  movePointer: (request: MovePointerRequest, ack: AckCallback) => void;
  /** The presenter, or a doctor, ends the presentation. */
  stopPresenting: (ack: AckCallback) => void;
  addAnnotation: (request: AddAnnotationRequest, ack: AckCallback<{ annotation: Annotation }>) => void;
  /** Its author or a doctor. */
  removeAnnotation: (request: RemoveAnnotationRequest, ack: AckCallback) => void;
  /** Consecutive interpretation cues (see FloorState). */
  floorCue: (request: FloorCueRequest, ack: AckCallback<{ floor: FloorState | null }>) => void;
}

export interface ServerToClientEvents {
  participantJoined: (participant: ParticipantInfo) => void;
  participantUpdated: (participant: ParticipantInfo) => void;
  participantLeft: (event: { participantId: string }) => void;
  producerAdded: (producer: ProducerAnnouncement) => void;
  consumerClosed: (event: { consumerId: string }) => void;
  /** The consult ended for this participant. */
  consultClosed: (event: { reason: 'ended' | 'server-shutdown' | 'media-failure' }) => void;
  /** To doctors, once per arrival: someone is waiting to be let in. */
  participantArrived: (participant: WaitingParticipantInfo) => void;
  /** To doctors: the whole waiting room, whenever it changes. */
  waitingRoomChanged: (event: { waiting: WaitingParticipantInfo[] }) => void;
  /** To a waiting participant, whenever their place or the doctor's presence changes. */
  waitingStatus: (status: WaitingStatus) => void;
  /** To a waiting participant: the doctor let them in. */
  /** Let in: who is in the call, what is shown, who has the floor, and the call's chat so far (what they may read). */
  admitted: (event: {
    participants: ParticipantInfo[];
    presentation: PresentationState | null;
    floor: FloorState | null;
    chat: ChatMessage[];
    mediaAccess: MediaAccess;
  }) => void;
  chatMessage: (message: ChatMessage) => void;
  /** Whose microphone dominates now (for the speaker highlight). */
  activeSpeaker: (event: { participantId: string }) => void;
  /** The doctor muted this participant's microphone. */
  mutedByDoctor: (event: { by: string }) => void;
  /** The doctor asks this participant to unmute. */
  unmuteRequested: (event: { by: string }) => void;
  /**
   * The participant is out; the connection closes next. 'denied' or 'removed'
   * by the doctor; 'link-revoked': the doctor withdrew the link they came
   * with; 'replaced': the same person joined again elsewhere (a doctor's
   * second window).
   */
  removed: (event: { reason: RemovalReason }) => void;
  /**
   * The media server process behind this consult failed and the consult moved
   * to another one: make the Device and transports again with these
   * capabilities. Everyone stays in the call; nobody is admitted again.
   */
  mediaRestarted: (event: { routerRtpCapabilities: RtpCapabilities }) => void;
  /** To doctors: whether someone may come back without waiting changed (they were let in, or a doctor chose). */
  returnChanged: (event: { participantId: string; mayReturn: boolean }) => void;
  /** A document was uploaded, removed or shared differently: fetch the list again. */
  documentsChanged: (event: { documentId: string; change: 'added' | 'removed' | 'access' }) => void;
  /** Someone started or stopped presenting, or took over, or what you may see of it changed. */
  presentationChanged: (event: { presentation: PresentationState | null }) => void;
  /** The presenter moved: follow. */
  viewChanged: (event: { view: DocumentView }) => void;
  pointerMoved: (event: { pointer: PagePoint | null }) => void;
  annotationAdded: (annotation: Annotation) => void;
  annotationRemoved: (event: { annotationId: string; documentId: string }) => void;
  floorChanged: (event: { floor: FloorState | null }) => void;
  /**
   * What the server forwards of this video: what your tile needs ('whole'), a lower layer because
   * of your link ('lower'), or nothing for now ('none': congestion control found no room on your
   * link for even the smallest layer, or none arrives from its sender, whose link holds it back).
   */
  videoForwarded: (event: { consumerId: string; forwarded: ForwardedVideo }) => void;
  /** The trial of your downlink ran out with no word from you: video to you is held back again (shared/videoLinkGuard.ts). */
  linkTrialEnded: () => void;
}
