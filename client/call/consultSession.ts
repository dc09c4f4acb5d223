// The client side of one consult: signalling, the mediasoup Device and its
// two transports, local media and the remote participants' tracks. React
// reads it through subscribe()/getState() (useSyncExternalStore).
import { Device } from 'mediasoup-client';
import type { AddAnnotationRequest, Annotation, DocumentView, PagePoint, PresentationState } from '../../shared/documents';
import type { Consumer, Producer, Transport } from 'mediasoup-client/types';
import type {
  ChatMessage,
  ConsultInfo,
  FloorState,
  JoinResponse,
  MediaSource,
  ParticipantInfo,
  ProducerAnnouncement,
  Role,
  TransportOptions,
  WaitingParticipantInfo,
  WaitingStatus,
} from '../../shared/protocol';
import type { FloorCueRequest, JoinRequest, ProduceRequest, SetRtpCapabilitiesRequest } from '../../shared/schemas';
import type { DocumentCredentials } from '../documents/documentsApi';
import { receiveQuality, sendQuality, statsOfType, type ConnectionQuality, type ReceiveSample } from './connectionQuality';
import { LatestOnly } from './latestOnly';
import {
  acquireCamera,
  acquireLocalMedia,
  acquireMicrophone,
  type DeviceChoice,
  type LocalMedia,
  type LocalMediaProblem,
} from './localMedia';
import { connectSignalling, reconnectWindowMs, RequestError, request, type ConsiliumSocket } from './signallingClient';

export interface RemoteParticipant extends ParticipantInfo {
  audioTrack: MediaStreamTrack | undefined;
  videoTrack: MediaStreamTrack | undefined;
}

export type SessionPhase = 'joining' | 'waiting' | 'in-call' | 'left' | 'ended' | 'failed';

export interface SessionState {
  phase: SessionPhase;
  /**
   * Why the session is over: a protocol error code, 'connection-lost',
   * 'unsupported-browser', or a reason the server gave ('denied', 'removed',
   * 'ended', 'server-shutdown', 'media-failure').
   */
  failure: string | undefined;
  self: { id: string; role: Role; displayName: string } | undefined;
  consult: ConsultInfo | undefined;
  /** While this participant waits to be let in. */
  waitingStatus: WaitingStatus | undefined;
  /** For doctors: who is waiting, in order of arrival. */
  waiting: WaitingParticipantInfo[];
  /** For doctors: every arrival since joining, newest last (each one alerts). */
  arrivals: WaitingParticipantInfo[];
  /** Our connection dropped and we are trying to get back (media keeps its state). */
  reconnecting: boolean;
  /** Our link is open in another window or on another device: we wait behind it and try again. */
  linkInUse: boolean;
  /** The chat we may read, oldest first. */
  chat: ChatMessage[];
  /** Whose microphone dominates now. */
  activeSpeakerId: string | undefined;
  /** Connection quality by participant id ('self' for our own sending). */
  quality: Record<string, ConnectionQuality>;
  /** Something the doctor did to or asked of us, shown until dismissed. */
  doctorNotice: { kind: 'muted' | 'unmute-requested'; by: string } | undefined;
  localStream: MediaStream | undefined;
  mediaProblem: LocalMediaProblem | undefined;
  microphoneMuted: boolean;
  cameraOff: boolean;
  participants: RemoteParticipant[];
  /** The document shown to everyone, as we may see it; null when none is. */
  presentation: PresentationState | null;
  /** Goes up whenever the consult's documents change (uploaded, removed, shared). */
  documentsVersion: number;
  /** Consecutive interpretation: who has the floor. */
  floor: FloorState | null;
}

export type JoinDetails = JoinRequest;

/** How often to ask again while our link is open elsewhere. */
const linkInUseRetryMs = 3000;

type Listener = () => void;

export class ConsultSession {
  readonly #details: JoinDetails;
  readonly #listeners = new Set<Listener>();
  #state: SessionState = {
    phase: 'joining',
    failure: undefined,
    self: undefined,
    consult: undefined,
    waitingStatus: undefined,
    waiting: [],
    arrivals: [],
    reconnecting: false,
    linkInUse: false,
    chat: [],
    doctorNotice: undefined,
    activeSpeakerId: undefined,
    quality: {},
    localStream: undefined,
    mediaProblem: undefined,
    microphoneMuted: false,
    cameraOff: false,
    participants: [],
    presentation: null,
    documentsVersion: 0,
    floor: null,
  };
  #socket: ConsiliumSocket | undefined;
  #device: Device | undefined;
  #sendTransport: Transport | undefined;
  #receiveTransport: Transport | undefined;
  readonly #producers = new Map<MediaSource, Producer>();
  readonly #consumers = new Map<string, { consumer: Consumer; participantId: string; source: MediaSource }>();
  #ended = false;
  #localStream: MediaStream | undefined;
  /** Kept while waiting: media starts from it once the doctor admits us. */
  #lastJoin: JoinResponse | undefined;
  #giveUpTimer: ReturnType<typeof setTimeout> | undefined;
  #qualityTimer: ReturnType<typeof setInterval> | undefined;
  readonly #lastReceiveSamples = new Map<string, ReceiveSample>();
  readonly #leaveOnPageHide = (): void => {
    // Best effort, so the others do not see a minute of "reconnecting" after a closed tab.
    this.#socket?.emit('leave', () => undefined);
  };

  /** A presenter's view and pointer change many times a second; the others need the latest. */
  readonly #viewUpdates = new LatestOnly<DocumentView>(60, (view) => request(this.#requireSocket(), 'updateView', { view }));
  readonly #pointerUpdates = new LatestOnly<PagePoint | null>(40, (pointer) => request(this.#requireSocket(), 'movePointer', { pointer }));
  readonly #preparedMedia: LocalMedia | undefined;
  #devices: DeviceChoice;

  /** `prepared`: camera and microphone already opened on the pre-join page, handed over. */
  constructor(details: JoinDetails, prepared?: { media: LocalMedia; devices: DeviceChoice }) {
    this.#details = details;
    this.#preparedMedia = prepared?.media;
    this.#devices = prepared?.devices ?? {};
  }

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getState = (): SessionState => this.#state;

  async start(): Promise<void> {
    try {
      const local = this.#preparedMedia ?? (await acquireLocalMedia(this.#devices));
      if (this.#ended) {
        // Disposed before it began (React's development double mount): media
        // opened on the pre-join page is left for the session that adopts it.
        if (!this.#preparedMedia) local.stream.getTracks().forEach((track) => track.stop());
        return;
      }
      this.#localStream = local.stream;
      this.#update({
        localStream: local.stream,
        mediaProblem: local.problem,
        microphoneMuted: local.stream.getAudioTracks().length === 0,
        cameraOff: local.stream.getVideoTracks().length === 0,
      });
      await this.#join();
    } catch (error) {
      this.#fail(failureCode(error), error);
    }
  }

  async setMicrophoneMuted(muted: boolean): Promise<void> {
    const producer = this.#producers.get('microphone');
    if (!producer || !this.#socket) return;
    if (muted) {
      producer.pause();
      await request(this.#socket, 'pauseProducer', { producerId: producer.id });
    } else {
      producer.resume();
      await request(this.#socket, 'resumeProducer', { producerId: producer.id });
    }
    this.#update({ microphoneMuted: muted });
  }

  /** Turning the camera off releases it (the camera light goes out), not just pauses it. */
  async setCameraOff(off: boolean): Promise<void> {
    const socket = this.#socket;
    if (!socket || !this.#sendTransport) return;
    const stream = this.#state.localStream ?? new MediaStream();
    if (off) {
      const producer = this.#producers.get('camera');
      this.#producers.delete('camera');
      if (producer) {
        producer.close();
        await request(socket, 'closeProducer', { producerId: producer.id });
      }
      for (const track of stream.getVideoTracks()) {
        track.stop();
        stream.removeTrack(track);
      }
      this.#update({ cameraOff: true, localStream: new MediaStream(stream.getTracks()) });
      return;
    }
    const track = await acquireCamera(this.#devices.cameraId);
    stream.addTrack(track);
    this.#update({ cameraOff: false, localStream: new MediaStream(stream.getTracks()) });
    await this.#produce(track, 'camera');
  }

  /** Switches to another camera or microphone mid-call without renegotiating. */
  async switchDevice(kind: MediaSource, deviceId: string): Promise<void> {
    this.#devices = { ...this.#devices, [kind === 'camera' ? 'cameraId' : 'microphoneId']: deviceId };
    // A camera turned off stays off (and dark): the choice applies when it is turned on.
    if (kind === 'camera' && this.#state.cameraOff) return;
    const track = kind === 'camera' ? await acquireCamera(deviceId) : await acquireMicrophone(deviceId);
    const stream = this.#state.localStream ?? new MediaStream();
    const replaced = kind === 'camera' ? stream.getVideoTracks() : stream.getAudioTracks();
    const producer = this.#producers.get(kind);
    // mediasoup-client keeps a paused (muted) producer's new track disabled.
    if (producer) await producer.replaceTrack({ track });
    else if (this.#sendTransport) await this.#produce(track, kind);
    for (const old of replaced) {
      old.stop();
      stream.removeTrack(old);
    }
    stream.addTrack(track);
    this.#update({ localStream: new MediaStream(stream.getTracks()) });
  }

  async leave(): Promise<void> {
    const socket = this.#socket;
    if (socket?.connected) {
      await request(socket, 'leave').catch(() => undefined);
    }
    this.#teardown();
    this.#update({ phase: 'left' });
  }

  /** To everyone in the call; from someone waiting, to the doctor; a doctor may write `to` someone waiting. */
  async sendChat(text: string, to?: string): Promise<void> {
    const { message } = await request(this.#requireSocket(), 'sendChat', to === undefined ? { text } : { text, to });
    this.#addChat(message);
  }

  #addChat(message: ChatMessage): void {
    if (this.#state.chat.some((known) => known.id === message.id)) return;
    this.#update({ chat: [...this.#state.chat, message] });
  }

  dismissDoctorNotice(): void {
    this.#update({ doctorNotice: undefined });
  }

  /** Doctor: mute someone's microphone. */
  async muteParticipant(participantId: string): Promise<void> {
    await request(this.#requireSocket(), 'muteParticipant', { participantId });
  }

  /** Doctor: ask someone muted to unmute. */
  async askToUnmute(participantId: string): Promise<void> {
    await request(this.#requireSocket(), 'askToUnmute', { participantId });
  }

  /** Doctor: let a waiting participant in. */
  async admit(participantId: string): Promise<void> {
    await request(this.#requireSocket(), 'admit', { participantId });
  }

  /** Doctor: turn a waiting participant away. */
  async deny(participantId: string): Promise<void> {
    await request(this.#requireSocket(), 'deny', { participantId });
  }

  /** Doctor: take a participant out of the call. */
  async remove(participantId: string): Promise<void> {
    await request(this.#requireSocket(), 'remove', { participantId });
  }

  /** Doctor: end the consult for everyone. */
  async endConsult(): Promise<void> {
    await request(this.#requireSocket(), 'endConsult');
  }

  /** How this participant fetches the consult's documents over HTTP. */
  get documentCredentials(): DocumentCredentials {
    const joined = this.#lastJoin;
    return {
      inviteToken: this.#details.as === 'guest' ? this.#details.inviteToken : undefined,
      participant: joined ? { id: joined.participantId, secret: joined.resumeToken } : undefined,
    };
  }

  get consultId(): string | undefined {
    return this.#state.consult?.id;
  }

  /** Shows a document to everyone (a doctor takes over from another presenter this way). */
  async presentDocument(documentId: string): Promise<void> {
    const { presentation } = await request(this.#requireSocket(), 'presentDocument', { documentId });
    this.#update({ presentation });
  }

  /** Presenter: our view changes at once; the others follow within a fraction of a second. */
  updateView(view: DocumentView): void {
    const presentation = this.#state.presentation;
    if (!presentation || presentation.presenterId !== this.#state.self?.id) return;
    this.#update({ presentation: { ...presentation, view } });
    this.#viewUpdates.push(view);
  }

  /** Presenter: where our pointer is on the page (null: it left the page). */
  movePointer(pointer: PagePoint | null): void {
    if (this.#state.presentation?.presenterId !== this.#state.self?.id) return;
    this.#pointerUpdates.push(pointer);
  }

  async stopPresenting(): Promise<void> {
    this.#viewUpdates.cancel();
    this.#pointerUpdates.cancel();
    await request(this.#requireSocket(), 'stopPresenting');
    this.#update({ presentation: null });
  }

  async addAnnotation(annotation: AddAnnotationRequest): Promise<void> {
    const { annotation: added } = await request(this.#requireSocket(), 'addAnnotation', annotation);
    this.#addAnnotation(added);
  }

  async removeAnnotation(annotationId: string): Promise<void> {
    await request(this.#requireSocket(), 'removeAnnotation', { annotationId });
    this.#dropAnnotation(annotationId);
  }

  #addAnnotation(annotation: Annotation): void {
    const presentation = this.#state.presentation;
    if (!presentation || presentation.document?.id !== annotation.documentId) return;
    if (presentation.annotations.some((known) => known.id === annotation.id)) return;
    this.#update({ presentation: { ...presentation, annotations: [...presentation.annotations, annotation] } });
  }

  #dropAnnotation(annotationId: string): void {
    const presentation = this.#state.presentation;
    if (!presentation) return;
    this.#update({ presentation: { ...presentation, annotations: presentation.annotations.filter((known) => known.id !== annotationId) } });
  }

  /** Consecutive interpretation: hand the floor to or from the interpreter. */
  async floorCue(cue: FloorCueRequest['cue']): Promise<void> {
    const { floor } = await request(this.#requireSocket(), 'floorCue', { cue });
    this.#update({ floor });
  }

  /** Releases everything without telling the server (it sees the disconnect). */
  dispose(): void {
    this.#teardown();
  }

  async #join(): Promise<void> {
    const socket = connectSignalling();
    this.#socket = socket;
    socket.on('disconnect', (reason) => this.#connectionLost(reason));
    socket.on('connect', () => {
      if (this.#lastJoin) this.#resume().catch((error: unknown) => this.#fail(failureCode(error), error));
    });
    socket.on('connect_error', (error) => {
      // Before the first join there is nothing to come back to.
      if (!this.#lastJoin) this.#fail('connection-lost', error);
    });
    window.addEventListener('pagehide', this.#leaveOnPageHide);
    socket.on('participantJoined', (participant) => this.#upsertParticipant(participant));
    socket.on('participantUpdated', (participant) => this.#upsertParticipant(participant));
    socket.on('participantLeft', ({ participantId }) => this.#removeParticipant(participantId));
    socket.on('producerAdded', (announcement) => {
      this.#consume(announcement).catch((error: unknown) => console.warn('could not receive media', error));
    });
    socket.on('consumerClosed', ({ consumerId }) => this.#dropConsumer(consumerId));
    socket.on('consultClosed', ({ reason }) => this.#end(reason === 'ended' ? 'ended' : 'failed', reason));
    // Replaced by our own other window: not an end of the consult, only of this page's part in it.
    socket.on('removed', ({ reason }) => this.#end(reason === 'replaced' ? 'failed' : 'ended', reason));
    socket.on('waitingStatus', (waitingStatus) => this.#update({ waitingStatus }));
    socket.on('chatMessage', (message) => this.#addChat(message));
    socket.on('activeSpeaker', ({ participantId }) => this.#update({ activeSpeakerId: participantId }));
    socket.on('mutedByDoctor', ({ by }) => {
      // The server already stopped forwarding it; keep our own producer in step.
      this.#producers.get('microphone')?.pause();
      this.#update({ microphoneMuted: true, doctorNotice: { kind: 'muted', by } });
    });
    socket.on('unmuteRequested', ({ by }) => this.#update({ doctorNotice: { kind: 'unmute-requested', by } }));
    socket.on('waitingRoomChanged', ({ waiting }) => this.#update({ waiting }));
    socket.on('participantArrived', (arrival) => this.#update({ arrivals: [...this.#state.arrivals, arrival] }));
    socket.on('presentationChanged', ({ presentation }) => this.#update({ presentation }));
    socket.on('viewChanged', ({ view }) => {
      const presentation = this.#state.presentation;
      if (presentation && presentation.presenterId !== this.#state.self?.id) this.#update({ presentation: { ...presentation, view } });
    });
    socket.on('pointerMoved', ({ pointer }) => {
      const presentation = this.#state.presentation;
      if (presentation) this.#update({ presentation: { ...presentation, pointer } });
    });
    socket.on('annotationAdded', (annotation) => this.#addAnnotation(annotation));
    socket.on('annotationRemoved', ({ annotationId }) => this.#dropAnnotation(annotationId));
    socket.on('documentsChanged', () => this.#update({ documentsVersion: this.#state.documentsVersion + 1 }));
    socket.on('floorChanged', ({ floor }) => this.#update({ floor }));
    socket.on('admitted', ({ participants, presentation, floor }) => {
      this.#update({ presentation, floor });
      this.#setParticipants(participants);
      this.#startMedia(this.#lastJoin).catch((error: unknown) => this.#fail(failureCode(error), error));
    });

    const joined = await this.#joinWhenLinkIsFree(socket);
    if (!joined) return;
    this.#lastJoin = joined;
    this.#update({
      self: { id: joined.participantId, role: joined.role, displayName: joined.displayName },
      consult: joined.consult,
      waiting: joined.waiting,
      waitingStatus: joined.waitingStatus ?? undefined,
      chat: joined.chat,
      presentation: joined.presentation,
      floor: joined.floor,
    });
    if (!joined.admitted) {
      this.#update({ phase: 'waiting' });
      return;
    }
    this.#setParticipants(joined.participants);
    await this.#startMedia(joined);
  }

  /**
   * One link is one person: while it is open elsewhere the server answers
   * `link-in-use`, and we wait behind it, asking again every few seconds,
   * until that window closes (or its connection is lost). Undefined when the
   * session ended meanwhile.
   */
  async #joinWhenLinkIsFree(socket: ConsiliumSocket): Promise<JoinResponse | undefined> {
    while (!this.#ended) {
      try {
        const joined = await request(socket, 'join', this.#details);
        this.#update({ linkInUse: false });
        return joined;
      } catch (error) {
        if (!(error instanceof RequestError && error.code === 'link-in-use')) throw error;
        this.#update({ linkInUse: true });
        await new Promise((resolve) => setTimeout(resolve, linkInUseRetryMs));
      }
    }
    return undefined;
  }

  /** Keeps the tracks of participants still present; drops the rest. */
  #setParticipants(participants: ParticipantInfo[]): void {
    const previous = new Map(this.#state.participants.map((participant) => [participant.id, participant]));
    this.#update({
      participants: participants.map((participant) => ({
        ...participant,
        audioTrack: previous.get(participant.id)?.audioTrack,
        videoTrack: previous.get(participant.id)?.videoTrack,
      })),
    });
  }

  #connectionLost(reason: string): void {
    if (this.#ended || reason === 'io client disconnect') return;
    // The server closes a connection itself only after telling us why (removed,
    // ended) or when a newer connection of ours took over: nothing to retry.
    if (reason === 'io server disconnect') {
      this.#fail('connection-lost', reason);
      return;
    }
    this.#update({ reconnecting: true });
    clearTimeout(this.#giveUpTimer);
    this.#giveUpTimer = setTimeout(() => this.#fail('connection-lost', 'gave up reconnecting'), reconnectWindowMs);
  }

  /** Back on a new connection: become the same participant, then restart ICE. */
  async #resume(): Promise<void> {
    const joined = this.#lastJoin;
    if (!joined || this.#ended) return;
    const socket = this.#requireSocket();
    const resumed = await request(socket, 'resume', { participantId: joined.participantId, resumeToken: joined.resumeToken });
    clearTimeout(this.#giveUpTimer);
    this.#lastJoin = { ...resumed, resumeToken: joined.resumeToken };
    const alive = new Set(resumed.consumerIds);
    for (const consumerId of [...this.#consumers.keys()]) {
      if (!alive.has(consumerId)) this.#dropConsumer(consumerId);
    }
    this.#setParticipants(resumed.participants);
    this.#update({
      reconnecting: false,
      waiting: resumed.waiting,
      waitingStatus: resumed.waitingStatus ?? undefined,
      chat: resumed.chat,
      presentation: resumed.presentation,
      floor: resumed.floor,
      // Whatever changed while we were away, the list is fetched again.
      documentsVersion: this.#state.documentsVersion + 1,
    });
    if (resumed.admitted && !this.#device) {
      await this.#startMedia(this.#lastJoin);
      return;
    }
    for (const transport of [this.#sendTransport, this.#receiveTransport]) {
      if (!transport) continue;
      const { iceParameters } = await request(socket, 'restartIce', { transportId: transport.id });
      await transport.restartIce({ iceParameters });
    }
  }

  /** Once admitted: device, transports, our tracks out, others' tracks in. */
  async #startMedia(joined: JoinResponse | undefined): Promise<void> {
    if (!joined || this.#device) return;
    const socket = this.#requireSocket();
    const localStream = this.#localStream ?? new MediaStream();
    this.#update({ phase: 'joining', waitingStatus: undefined });
    const device = new Device();
    await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities });
    this.#device = device;
    this.#sendTransport = await this.#createTransport('send');
    this.#receiveTransport = await this.#createTransport('receive');

    for (const track of localStream.getTracks()) {
      await this.#produce(track, track.kind === 'audio' ? 'microphone' : 'camera');
    }
    await request(socket, 'setRtpCapabilities', {
      rtpCapabilities: device.recvRtpCapabilities as SetRtpCapabilitiesRequest['rtpCapabilities'],
    });
    this.#update({ phase: 'in-call' });
    this.#qualityTimer = setInterval(() => {
      this.#measureQuality().catch((error: unknown) => console.warn('could not read connection statistics', error));
    }, 2000);
  }

  async #createTransport(direction: 'send' | 'receive'): Promise<Transport> {
    const socket = this.#requireSocket();
    const device = this.#device;
    if (!device) throw new Error('device not loaded');
    const { transport: options } = await request(socket, 'createTransport', { direction });
    const transport = direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      request(socket, 'connectTransport', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        const source = appData['source'] as MediaSource;
        request(socket, 'produce', {
          transportId: transport.id,
          kind,
          source,
          rtpParameters: rtpParameters as ProduceRequest['rtpParameters'],
        }).then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    transport.on('connectionstatechange', (state) => {
      if (state !== 'failed') return;
      this.#restartIce(transport, options).catch((error: unknown) => {
        // While reconnecting, resuming restarts ICE anyway.
        if (!this.#state.reconnecting) this.#fail('connection-lost', error);
      });
    });
    return transport;
  }

  async #restartIce(transport: Transport, options: TransportOptions): Promise<void> {
    const { iceParameters } = await request(this.#requireSocket(), 'restartIce', { transportId: options.id });
    await transport.restartIce({ iceParameters });
  }

  async #produce(track: MediaStreamTrack, source: MediaSource): Promise<void> {
    const transport = this.#sendTransport;
    if (!transport) return;
    const producer = await transport.produce({
      track,
      appData: { source },
      // Speech: Opus with in-band FEC and DTX keeps audio intelligible on lossy links.
      ...(source === 'microphone' ? { codecOptions: { opusFec: true, opusDtx: true } } : {}),
      stopTracks: false,
    });
    this.#producers.set(source, producer);
    if (source === 'microphone' && this.#state.microphoneMuted) {
      producer.pause();
      await request(this.#requireSocket(), 'pauseProducer', { producerId: producer.id });
    }
  }

  async #consume(announcement: ProducerAnnouncement): Promise<void> {
    const socket = this.#requireSocket();
    const transport = this.#receiveTransport;
    if (!transport) return;
    const { consumer: options } = await request(socket, 'consume', { producerId: announcement.producerId });
    const consumer = await transport.consume({
      id: options.id,
      producerId: options.producerId,
      kind: options.kind,
      rtpParameters: options.rtpParameters,
    });
    this.#consumers.set(consumer.id, { consumer, participantId: options.participantId, source: options.source });
    this.#setTrack(options.participantId, options.source, consumer.track);
    await request(socket, 'resumeConsumer', { consumerId: consumer.id });
  }

  #dropConsumer(consumerId: string): void {
    const entry = this.#consumers.get(consumerId);
    if (!entry) return;
    this.#consumers.delete(consumerId);
    entry.consumer.close();
    this.#setTrack(entry.participantId, entry.source, undefined);
  }

  #setTrack(participantId: string, source: MediaSource, track: MediaStreamTrack | undefined): void {
    const key = source === 'microphone' ? 'audioTrack' : 'videoTrack';
    this.#update({
      participants: this.#state.participants.map((participant) =>
        participant.id === participantId ? { ...participant, [key]: track } : participant,
      ),
    });
  }

  #upsertParticipant(info: ParticipantInfo): void {
    const existing = this.#state.participants.find((participant) => participant.id === info.id);
    const participants = existing
      ? this.#state.participants.map((participant) => (participant.id === info.id ? { ...participant, ...info } : participant))
      : [...this.#state.participants, { ...info, audioTrack: undefined, videoTrack: undefined }];
    this.#update({ participants });
  }

  #removeParticipant(participantId: string): void {
    for (const [consumerId, entry] of this.#consumers) {
      if (entry.participantId === participantId) this.#dropConsumer(consumerId);
    }
    this.#update({ participants: this.#state.participants.filter((participant) => participant.id !== participantId) });
  }

  #requireSocket(): ConsiliumSocket {
    if (!this.#socket) throw new Error('not connected');
    return this.#socket;
  }

  #fail(failure: string, cause: unknown): void {
    if (this.#ended) return;
    console.warn('consult session failed:', failure, cause);
    this.#end('failed', failure);
  }

  #end(phase: 'ended' | 'failed', failure: string): void {
    if (this.#ended) return;
    this.#teardown();
    this.#update({ phase, failure });
  }

  /** Grades each remote participant by what we receive from them, and ourselves by what we send. */
  async #measureQuality(): Promise<void> {
    const quality: Record<string, ConnectionQuality> = {};
    for (const [consumerId, { consumer, participantId }] of this.#consumers) {
      const inbound = statsOfType(await consumer.getStats(), 'inbound-rtp')[0];
      if (!inbound) continue;
      const sample = { packetsReceived: Number(inbound['packetsReceived'] ?? 0), packetsLost: Number(inbound['packetsLost'] ?? 0) };
      const previous = this.#lastReceiveSamples.get(consumerId);
      this.#lastReceiveSamples.set(consumerId, sample);
      const graded = previous ? receiveQuality(previous, sample) : undefined;
      // A participant is as good as their worst stream.
      if (graded && (quality[participantId] === undefined || rank(graded) < rank(quality[participantId]))) quality[participantId] = graded;
    }
    if (this.#sendTransport) {
      const reports = statsOfType(await this.#sendTransport.getStats(), 'remote-inbound-rtp');
      const worstLoss = Math.max(...reports.map((report) => Number(report['fractionLost'] ?? 0)), 0);
      const rtts = reports.map((report) => report['roundTripTime']).filter((value): value is number => typeof value === 'number');
      const graded = sendQuality(reports.length ? worstLoss : undefined, rtts.length ? Math.max(...rtts) : undefined);
      if (graded) quality['self'] = graded;
    }
    for (const consumerId of this.#lastReceiveSamples.keys()) {
      if (!this.#consumers.has(consumerId)) this.#lastReceiveSamples.delete(consumerId);
    }
    if (!this.#ended) this.#update({ quality });
  }

  #teardown(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#qualityTimer);
    clearTimeout(this.#giveUpTimer);
    this.#viewUpdates.cancel();
    this.#pointerUpdates.cancel();
    window.removeEventListener('pagehide', this.#leaveOnPageHide);
    this.#sendTransport?.close();
    this.#receiveTransport?.close();
    this.#producers.clear();
    this.#consumers.clear();
    this.#state.localStream?.getTracks().forEach((track) => track.stop());
    this.#socket?.removeAllListeners();
    this.#socket?.disconnect();
    this.#update({ localStream: undefined, participants: [] });
  }

  #update(patch: Partial<SessionState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener();
  }
}

function failureCode(error: unknown): string {
  if (error instanceof RequestError) return error.code;
  // mediasoup-client's Device throws this where the browser lacks WebRTC support.
  if (error instanceof Error && error.name === 'UnsupportedError') return 'unsupported-browser';
  return 'generic';
}

function rank(quality: ConnectionQuality): number {
  return quality === 'poor' ? 0 : quality === 'fair' ? 1 : 2;
}
