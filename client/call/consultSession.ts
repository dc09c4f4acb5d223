// The client side of one consult, as the screens use it: it joins through the
// signalling connection, hands media to the media session once we are let
// in, follows what the server tells us (people, chat, the document shown, the
// interpretation floor) into the session state, and sends what the person
// does. React reads the state through subscribe()/getState().
import type { AddAnnotationRequest, DocumentView, PagePoint } from '../../shared/documents';
import type { JoinResponse, MediaSource, ResumeResponse } from '../../shared/protocol';
import type { FloorCueRequest, JoinRequest } from '../../shared/schemas';
import { failureCodeOf, isPassingFailure, RequestFailure } from '../api/requestFailure';
import type { ConsultCredentials } from '../api/consultCredentials';
import { acquireLocalMedia, type DeviceChoice, type LocalMedia } from './localMedia';
import { MediaSession, type MediaStart } from './mediaSession';
import { PresentationFollower } from './presentationFollower';
import { SessionStore, type SessionFailure, type SessionState } from './sessionState';
import { request, type ConsiliumSocket, type Requester } from './signallingClient';
import { retryMs, SignallingConnection, sleep } from './signallingConnection';

export type { RemoteParticipant, SessionFailure, SessionPhase, SessionState } from './sessionState';

export type JoinDetails = JoinRequest;

export class ConsultSession {
  readonly #details: JoinDetails;
  readonly #store = new SessionStore();
  readonly #preparedMedia: LocalMedia | undefined;
  readonly #devices: DeviceChoice;
  #connection: SignallingConnection | undefined;
  #media: MediaSession | undefined;
  /** The newest making of our media (#makeMedia): an older one gives way. */
  #making: object | undefined;
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
    this.#store.addChat(message);
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
    this.#store.setParticipants(joined.participants);
    await this.#makeMedia(joined);
  }

  #newMediaSession(): MediaSession {
    const connection = this.#connection;
    if (!connection) throw new Error('not connected');
    return new MediaSession({ store: this.#store, send: connection.request, devices: this.#devices });
  }

  /** What the server tells us, into the state (and the media session). */
  #follow(socket: ConsiliumSocket): void {
    const store = this.#store;
    socket.on('participantJoined', (participant) => store.upsertParticipant(participant));
    socket.on('participantUpdated', (participant) => store.upsertParticipant(participant));
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
    socket.on('chatMessage', (message) => store.addChat(message));
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
    socket.on('linkTrialEnded', () => this.#media?.linkTrialEnded());
    socket.on('admitted', ({ participants, presentation, floor, chat, mediaAccess }) => {
      store.update({ presentation, floor, chat });
      this.#store.setParticipants(participants);
      const joined = this.#connection?.joined;
      if (joined) void this.#makeMedia({ ...joined, mediaAccess });
    });
  }

  /** Back on a new connection as the same participant: catch up, then restart ICE. */
  async #resumed(view: ResumeResponse): Promise<void> {
    this.#media?.keepOnlyConsumers(view.consumerIds);
    this.#store.setParticipants(view.participants);
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
      // An attempt cut short by the drop may have left half-made media on the server.
      void this.#makeMedia(view, { reset: true });
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
    this.#media = this.#newMediaSession();
    void this.#makeMedia({ routerRtpCapabilities }, { restart: true });
  }

  /**
   * Makes our media on the current media session. A request that gets no answer (or a server
   * too busy to give one) does not end the call: the half-made media is dropped on both sides
   * and made afresh a moment later, "reconnecting" meanwhile. `reset`: the server may hold
   * half-made media of ours (an attempt cut short), to forget first. A newer call (a rejoin, a
   * resume, a media restart) supersedes this one.
   */
  async #makeMedia(start: MediaStart, { restart = false, reset = false } = {}): Promise<void> {
    const making = {};
    this.#making = making;
    const current = () => this.#making === making && !this.#ended;
    const media = this.#media;
    if (!media) return;
    try {
      if (reset) await this.#send('resetMedia');
      if (!current()) return;
      await media.start(start, { restart });
      if (restart || reset) this.#store.update({ reconnecting: false });
    } catch (error) {
      if (!current()) return;
      if (!(error instanceof RequestFailure && isPassingFailure(error.code))) return this.#fail(failureOf(error), error);
      console.warn('could not make media; making it again after', error.code);
      media.close();
      this.#media = this.#newMediaSession();
      this.#store.update({ reconnecting: true });
      await sleep(retryMs);
      // TURN credentials are short-lived: the next attempt asks for fresh ones.
      if (current()) await this.#makeMedia({ routerRtpCapabilities: start.routerRtpCapabilities }, { restart, reset: true });
    }
  }

  #removeParticipant(participantId: string): void {
    this.#media?.dropConsumersOf(participantId);
    this.#store.removeParticipant(participantId);
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
