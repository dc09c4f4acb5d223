// The client side of one consult, as the screens use it: it joins through the
// signalling connection, hands media to the media session once we are let
// in, follows what the server tells us (people, chat, the document shown, the
// interpretation floor) into the session state, and sends what the person
// does. React reads the state through subscribe()/getState().
import type { AddAnnotationRequest, DocumentView, PagePoint } from '../../shared/documents';
import type { ChatMessage, JoinResponse, MediaSource, ParticipantInfo, ResumeResponse } from '../../shared/protocol';
import type { FloorCueRequest, JoinRequest } from '../../shared/schemas';
import { failureCodeOf } from '../api/requestFailure';
import type { ConsultCredentials } from '../api/consultCredentials';
import { acquireLocalMedia, type DeviceChoice, type LocalMedia } from './localMedia';
import { MediaSession } from './mediaSession';
import { PresentationFollower } from './presentationFollower';
import { SessionStore, type SessionFailure, type SessionState } from './sessionState';
import { request, type ConsiliumSocket, type Requester } from './signallingClient';
import { SignallingConnection } from './signallingConnection';

export type { RemoteParticipant, SessionFailure, SessionPhase, SessionState } from './sessionState';

export type JoinDetails = JoinRequest;

export class ConsultSession {
  readonly #details: JoinDetails;
  readonly #store = new SessionStore();
  readonly #preparedMedia: LocalMedia | undefined;
  readonly #devices: DeviceChoice;
  #connection: SignallingConnection | undefined;
  #media: MediaSession | undefined;
  readonly #presentation: PresentationFollower;
  #ended = false;
  readonly #leaveOnPageHide = (): void => this.#connection?.leaveQuietly();

  /** `prepared`: camera and microphone already opened on the pre-join page, handed over. */
  constructor(details: JoinDetails, prepared?: { media: LocalMedia; devices: DeviceChoice }) {
    this.#details = details;
    this.#preparedMedia = prepared?.media;
    this.#devices = prepared?.devices ?? {};
    this.#presentation = new PresentationFollower(this.#store, (event, ...args) => this.#send(event, ...args));
  }

  subscribe = (listener: () => void): (() => void) => this.#store.subscribe(listener);

  getState = (): SessionState => this.#store.getState();

  async start(): Promise<void> {
    try {
      const local = this.#preparedMedia ?? (await acquireLocalMedia(this.#devices));
      if (this.#ended) {
        // Disposed before it began (React's development double mount): media
        // opened on the pre-join page is left for the session that adopts it.
        if (!this.#preparedMedia) local.stream.getTracks().forEach((track) => track.stop());
        return;
      }
      this.#store.update({
        localStream: local.stream,
        mediaProblem: local.problem,
        microphoneMuted: local.stream.getAudioTracks().length === 0,
        cameraOff: local.stream.getVideoTracks().length === 0,
      });
      await this.#join();
    } catch (error) {
      this.#fail(failureOf(error), error);
    }
  }

  setMicrophoneMuted(muted: boolean): Promise<void> {
    return this.#media?.setMicrophoneMuted(muted) ?? Promise.resolve();
  }

  /** Turning the camera off releases it (the camera light goes out), not just pauses it. */
  setCameraOff(off: boolean): Promise<void> {
    return this.#media?.setCameraOff(off) ?? Promise.resolve();
  }

  /** Audio only: no video out or in (mobile data, an old phone); the others see that we chose it. */
  setAudioOnly(on: boolean): Promise<void> {
    return this.#media?.setAudioOnly(on) ?? Promise.resolve();
  }

  /** Switches to another camera or microphone mid-call without renegotiating. */
  switchDevice(kind: MediaSource, deviceId: string): Promise<void> {
    return this.#media?.switchDevice(kind, deviceId) ?? Promise.resolve();
  }

  async leave(): Promise<void> {
    const socket = this.#connection?.socket;
    if (socket?.connected) await request(socket, 'leave').catch(() => undefined);
    this.#teardown();
    this.#store.update({ phase: 'left' });
  }

  /** To everyone in the call; from someone waiting, to the doctor; a doctor may write `to` someone waiting. */
  async sendChat(text: string, to?: string): Promise<void> {
    const { message } = await this.#send('sendChat', to === undefined ? { text } : { text, to });
    this.#addChat(message);
  }

  dismissDoctorNotice(): void {
    this.#store.update({ doctorNotice: undefined });
  }

  /** Doctor: mute someone's microphone. */
  async muteParticipant(participantId: string): Promise<void> {
    await this.#send('muteParticipant', { participantId });
  }

  /** Doctor: ask someone muted to unmute. */
  async askToUnmute(participantId: string): Promise<void> {
    await this.#send('askToUnmute', { participantId });
  }

  /** Doctor: let a waiting participant in. */
  async admit(participantId: string): Promise<void> {
    await this.#send('admit', { participantId });
  }

  /** Doctor: turn a waiting participant away. */
  async deny(participantId: string): Promise<void> {
    await this.#send('deny', { participantId });
  }

  /** Doctor: take a participant out of the call. */
  async remove(participantId: string): Promise<void> {
    await this.#send('remove', { participantId });
  }

  /** Doctor: whether someone let in may come back without waiting again (after a drop or a restart). */
  async allowReturn(participantId: string, allowed: boolean): Promise<void> {
    await this.#send('allowReturn', { participantId, allowed });
  }

  /** Doctor: end the consult for everyone. */
  async endConsult(): Promise<void> {
    await this.#send('endConsult');
  }

  /** How this participant proves who they are to the HTTP API (documents, the case). */
  get httpCredentials(): ConsultCredentials {
    const joined = this.#connection?.joined;
    return {
      inviteToken: this.#details.as === 'guest' ? this.#details.inviteToken : undefined,
      participant: joined ? { id: joined.participantId, secret: joined.resumeToken } : undefined,
    };
  }

  get consultId(): string | undefined {
    return this.#store.getState().consult?.id;
  }

  /** Shows a document to everyone (a doctor takes over from another presenter this way). */
  presentDocument(documentId: string): Promise<void> {
    return this.#presentation.present(documentId);
  }

  /** How big the page draws `participantId`'s video (device pixels; 0: not seen): the server forwards what that needs. */
  setViewHeight(participantId: string, height: number): void {
    this.#media?.setViewHeight(participantId, height);
  }

  /** Presenter: our view changes at once; the others follow within a fraction of a second. */
  updateView(view: DocumentView): void {
    this.#presentation.updateView(view);
  }

  /** Presenter: where our pointer is on the page (null: it left the page). */
  movePointer(pointer: PagePoint | null): void {
    this.#presentation.movePointer(pointer);
  }

  stopPresenting(): Promise<void> {
    return this.#presentation.stop();
  }

  addAnnotation(annotation: AddAnnotationRequest): Promise<void> {
    return this.#presentation.addAnnotation(annotation);
  }

  removeAnnotation(annotationId: string): Promise<void> {
    return this.#presentation.removeAnnotation(annotationId);
  }

  /** Consecutive interpretation: hand the floor to or from the interpreter. */
  async floorCue(cue: FloorCueRequest['cue']): Promise<void> {
    const { floor } = await this.#send('floorCue', { cue });
    this.#store.update({ floor });
  }

  /** Releases everything without telling the server (it sees the disconnect). */
  dispose(): void {
    this.#teardown();
  }

  async #join(): Promise<void> {
    const connection = new SignallingConnection(this.#store, {
      resumed: (view) => this.#resumed(view),
      rejoined: (joined) => this.#rejoined(joined),
      failed: (failure, cause) => this.#fail(failure, cause),
    });
    this.#connection = connection;
    window.addEventListener('pagehide', this.#leaveOnPageHide);
    this.#follow(connection.socket);
    const joined = await connection.join(this.#details);
    if (joined) await this.#enter(joined);
  }

  /** Into the consult with what the server told us at join: waiting, or straight into the call. */
  async #enter(joined: JoinResponse): Promise<void> {
    this.#media = this.#newMediaSession();
    this.#store.update({
      self: { id: joined.participantId, role: joined.role, displayName: joined.displayName },
      consult: joined.consult,
      waiting: joined.waiting,
      waitingStatus: joined.waitingStatus ?? undefined,
      chat: joined.chat,
      presentation: joined.presentation,
      floor: joined.floor,
      participants: [],
      mayReturn: Object.fromEntries(joined.mayReturn.map((id) => [id, true])),
    });
    if (!joined.admitted) {
      this.#store.update({ phase: 'waiting' });
      return;
    }
    this.#setParticipants(joined.participants);
    await this.#media.start(joined);
  }

  #newMediaSession(): MediaSession {
    const connection = this.#connection;
    if (!connection) throw new Error('not connected');
    return new MediaSession({ store: this.#store, send: connection.request, devices: this.#devices });
  }

  /** What the server tells us, into the state (and the media session). */
  #follow(socket: ConsiliumSocket): void {
    const store = this.#store;
    socket.on('participantJoined', (participant) => this.#upsertParticipant(participant));
    socket.on('participantUpdated', (participant) => this.#upsertParticipant(participant));
    socket.on('participantLeft', ({ participantId }) => this.#removeParticipant(participantId));
    socket.on('producerAdded', (announcement) => {
      this.#media?.consume(announcement).catch((error: unknown) => console.warn('could not receive media', error));
    });
    socket.on('consumerClosed', ({ consumerId }) => this.#media?.dropConsumer(consumerId));
    socket.on('mediaRestarted', ({ routerRtpCapabilities }) => this.#restartMedia(routerRtpCapabilities));
    socket.on('consultClosed', ({ reason }) => {
      // A restart is not an end: we come back by ourselves once the service is up again.
      if (reason === 'server-shutdown') this.#connection?.serverRestarting();
      else this.#end(reason === 'ended' ? 'ended' : 'failed', reason);
    });
    // Replaced by our own other window: not an end of the consult, only of this page's part in it.
    socket.on('removed', ({ reason }) => this.#end(reason === 'replaced' ? 'failed' : 'ended', reason));
    socket.on('waitingStatus', (waitingStatus) => store.update({ waitingStatus }));
    socket.on('chatMessage', (message) => this.#addChat(message));
    socket.on('activeSpeaker', ({ participantId }) => store.update({ activeSpeakerId: participantId }));
    socket.on('mutedByDoctor', ({ by }) => {
      this.#media?.mutedByDoctor();
      store.update({ microphoneMuted: true, doctorNotice: { kind: 'muted', by } });
    });
    socket.on('unmuteRequested', ({ by }) => store.update({ doctorNotice: { kind: 'unmute-requested', by } }));
    socket.on('waitingRoomChanged', ({ waiting }) => store.update({ waiting }));
    socket.on('returnChanged', ({ participantId, mayReturn }) => store.update({ mayReturn: { ...store.getState().mayReturn, [participantId]: mayReturn } }));
    socket.on('participantArrived', (arrival) => store.update({ arrivals: [...store.getState().arrivals, arrival] }));
    this.#presentation.follow(socket);
    socket.on('documentsChanged', () => store.update({ documentsVersion: store.getState().documentsVersion + 1 }));
    socket.on('floorChanged', ({ floor }) => store.update({ floor }));
    socket.on('videoForwarded', ({ consumerId, forwarded }) => this.#media?.videoForwarded(consumerId, forwarded));
    socket.on('admitted', ({ participants, presentation, floor, chat, mediaAccess }) => {
      store.update({ presentation, floor, chat });
      this.#setParticipants(participants);
      const joined = this.#connection?.joined;
      if (joined) this.#startMedia({ ...joined, mediaAccess });
    });
  }

  /** Back on a new connection as the same participant: catch up, then restart ICE. */
  async #resumed(view: ResumeResponse): Promise<void> {
    this.#media?.keepOnlyConsumers(view.consumerIds);
    this.#setParticipants(view.participants);
    this.#store.update({
      waiting: view.waiting,
      waitingStatus: view.waitingStatus ?? undefined,
      chat: view.chat,
      presentation: view.presentation,
      floor: view.floor,
      mayReturn: Object.fromEntries(view.mayReturn.map((id) => [id, true])),
      // Whatever changed while we were away, the list is fetched again.
      documentsVersion: this.#store.getState().documentsVersion + 1,
    });
    if (view.admitted && !this.#media?.started) {
      this.#startMedia(view);
      return;
    }
    await this.#media?.restartIce();
  }

  /** Our old place was gone: we are a new connection in the consult, with media made afresh. */
  async #rejoined(joined: JoinResponse): Promise<void> {
    this.#media?.close();
    this.#store.update({ documentsVersion: this.#store.getState().documentsVersion + 1 });
    await this.#enter(joined);
  }

  /** The consult moved to another media server: the same call, with media made again. */
  #restartMedia(routerRtpCapabilities: JoinResponse['routerRtpCapabilities']): void {
    const joined = this.#connection?.joined;
    if (!joined || this.#ended) return;
    this.#media?.close();
    // Every track died with the old transports; the others' come back as they are announced again.
    const participants = this.#store.getState().participants.map((participant) => ({ ...participant, audioTrack: undefined, videoTrack: undefined }));
    this.#store.update({ participants, reconnecting: true });
    const media = this.#newMediaSession();
    this.#media = media;
    media
      .start({ routerRtpCapabilities }, { restart: true })
      .then(() => this.#store.update({ reconnecting: false }))
      .catch((error: unknown) => this.#fail(failureOf(error), error));
  }

  #startMedia(joined: Pick<JoinResponse, 'routerRtpCapabilities' | 'mediaAccess'>): void {
    this.#media?.start(joined).catch((error: unknown) => this.#fail(failureOf(error), error));
  }

  #addChat(message: ChatMessage): void {
    const { chat } = this.#store.getState();
    if (chat.some((known) => known.id === message.id)) return;
    this.#store.update({ chat: [...chat, message] });
  }

  /** Keeps the tracks of participants still present; drops the rest. */
  #setParticipants(participants: ParticipantInfo[]): void {
    const previous = new Map(this.#store.getState().participants.map((participant) => [participant.id, participant]));
    this.#store.update({
      participants: participants.map((participant) => ({
        ...participant,
        audioTrack: previous.get(participant.id)?.audioTrack,
        videoTrack: previous.get(participant.id)?.videoTrack,
      })),
    });
  }

  #upsertParticipant(info: ParticipantInfo): void {
    const current = this.#store.getState().participants;
    const participants = current.some((participant) => participant.id === info.id)
      ? current.map((participant) => (participant.id === info.id ? { ...participant, ...info } : participant))
      : [...current, { ...info, audioTrack: undefined, videoTrack: undefined }];
    this.#store.update({ participants });
  }

  #removeParticipant(participantId: string): void {
    this.#media?.dropConsumersOf(participantId);
    this.#store.update({ participants: this.#store.getState().participants.filter((participant) => participant.id !== participantId) });
  }

  /** Requests wait while we are reconnecting (see SignallingConnection). */
  #send: Requester = (event, ...args) => {
    const connection = this.#connection;
    if (!connection) return Promise.reject(new Error('not connected'));
    return connection.request(event, ...args);
  };

  #fail(failure: SessionFailure, cause: unknown): void {
    if (this.#ended) return;
    console.warn('consult session failed:', failure, cause);
    this.#end('failed', failure);
  }

  #end(phase: 'ended' | 'failed', failure: SessionFailure): void {
    if (this.#ended) return;
    this.#teardown();
    this.#store.update({ phase, failure });
  }

  #teardown(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#presentation.cancel();
    window.removeEventListener('pagehide', this.#leaveOnPageHide);
    this.#media?.close();
    this.#store.getState().localStream?.getTracks().forEach((track) => track.stop());
    this.#connection?.close();
    this.#store.update({ localStream: undefined, participants: [] });
  }
}

/** Why a failed step ends the session. */
function failureOf(error: unknown): SessionFailure {
  // mediasoup-client's Device throws this where the browser lacks WebRTC support.
  if (error instanceof Error && error.name === 'UnsupportedError') return 'unsupported-browser';
  const code = failureCodeOf(error);
  return code === 'internal-error' ? 'generic' : code;
}
