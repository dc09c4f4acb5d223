// One live consult: its mediasoup router, its waiting room and the
// participants in it. Everything a participant does to media goes through
// here, so the rules (who may send or receive what, and when; who may admit
// whom) live in one place. Like mediasoup's own classes it has an
// explicit lifecycle: close() releases the router and everyone's transports.
import type { DtlsParameters, IceParameters, MediaKind, Producer, RtpCapabilities, RtpParameters, WebRtcTransport } from 'mediasoup/types';
import type { AddAnnotationRequest, Annotation, DocumentView, PagePoint, PresentationState } from '../../shared/documents';
import type {
  ChatMessage,
  ConsultInfo,
  FloorState,
  ConsumerOptions,
  JoinResponse,
  MediaSource,
  ParticipantInfo,
  ServerToClientEvents,
  TransportOptions,
  WaitingParticipantInfo,
  WaitingStatus,
} from '../../shared/protocol';
import type { AuditAction } from '../audit/auditLog';
import type { Logger } from '../logger';
import type { MediaSlot } from '../media/workerPool';
import { ProtocolFailure } from '../signalling/protocolFailure';
import type { FloorCueRequest } from '../../shared/schemas';
import { BurstLimiter } from './burstLimiter';
import { InterpretationFloor } from './interpretationFloor';
import {
  Participant,
  type ParticipantChannel,
  type ParticipantIdentity,
  type ProducerAppData,
  type TransportDirection,
} from './participant';
import { SharedViewing, type ConsultDocuments, type DocumentChange } from './sharedViewing';

/** Records what happened in a consult (the registry binds it to the audit log). */
export type ConsultAuditor = (action: AuditAction, actor: string | null, subject?: string | null) => void;

/** Where a consult's chat is kept (the registry binds it to the database). */
export interface ConsultChat {
  add(from: ChatMessage['from'], audience: Pick<ChatMessage, 'thread' | 'careTeam'>, text: string): ChatMessage;
  list(): ChatMessage[];
}

/** Told when someone enters the call (for metrics). */
export interface ConsultObserver {
  /** A doctor on joining, a guest when admitted; `participant` says when they asked and arrived. */
  participantAdmitted(participant: Participant): void;
}

export interface ConsultOptions {
  /** People in the call (admitted); doctors join even beyond it, guests are not admitted beyond it. */
  maxParticipants: number;
  /** People waiting to be admitted; more are refused with `waiting-room-full`. */
  maxWaiting: number;
  chat: ConsultChat;
  /** How long someone whose connection dropped stays in the consult, awaiting their return. */
  reconnectGraceMs: number;
  audit: ConsultAuditor;
  documents: ConsultDocuments;
  observer?: ConsultObserver | undefined;
}

export type ConsultCloseReason = Parameters<ServerToClientEvents['consultClosed']>[0]['reason'];


/** Camera video may use up to this much of a participant's upstream. */
const maxIncomingBitrate = 1_500_000;

export class Consult {
  readonly id: string;
  readonly info: ConsultInfo;
  readonly #slot: MediaSlot;
  readonly #options: ConsultOptions;
  readonly #logger: Logger;
  readonly #participants = new Map<string, Participant>();
  readonly #closeListeners = new Set<() => void>();
  /** Chat flood guard. */
  readonly #chatBurst = new BurstLimiter<Participant>(10, 10_000, 'messages');
  readonly #viewing: SharedViewing;
  readonly #floor = new InterpretationFloor();
  #closed = false;

  constructor(info: ConsultInfo, slot: MediaSlot, options: ConsultOptions, logger: Logger) {
    this.id = info.id;
    this.info = info;
    this.#slot = slot;
    this.#options = options;
    this.#logger = logger.child({ consultId: info.id });
    this.#viewing = new SharedViewing({
      documents: options.documents,
      participants: () => this.#participants.values(),
      auditPresented: (presenter, document) => options.audit('document-presented', presenter.auditName, document.originalName),
    });
    // A router closes under us only when its worker died.
    slot.router.observer.once('close', () => this.close('media-failure'));
    slot.activeSpeakerObserver.on('dominantspeaker', ({ producer }) => {
      const speaker = this.#participants.get(String(producer.appData['participantId']));
      if (speaker?.admitted) {
        for (const participant of this.#participants.values()) {
          if (participant.admitted) participant.channel.notify('activeSpeaker', { participantId: speaker.id });
        }
      }
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get routerRtpCapabilities(): RtpCapabilities {
    return this.#slot.router.rtpCapabilities;
  }

  get participants(): ReadonlyMap<string, Participant> {
    return this.#participants;
  }

  onClose(listener: () => void): void {
    this.#closeListeners.add(listener);
  }

  /**
   * Doctors come straight in, always; everyone else enters the waiting room.
   * One person holds one place (their seat: a link or a doctor account): a
   * doctor joining again replaces their older connection; a guest whose
   * previous connection is lost replaces it, and a guest whose previous
   * connection is still there waits behind it (`link-in-use`) instead of
   * becoming a second participant. `requestedAt`: when the join request arrived.
   */
  join(identity: ParticipantIdentity, channel: ParticipantChannel, requestedAt = Date.now()): Participant {
    if (this.#closed) throw new ProtocolFailure('consult-closed', 'this consult has ended');
    const holder = [...this.#participants.values()].find((other) => other.seat === identity.seat);
    if (holder && identity.role !== 'doctor' && !holder.reconnecting) {
      throw new ProtocolFailure('link-in-use', 'this link is open in another window or on another device; close it there to continue here');
    }
    if (identity.role !== 'doctor') {
      const waiting = this.#waiting().filter((other) => other !== holder).length;
      if (waiting >= this.#options.maxWaiting) {
        throw new ProtocolFailure('waiting-room-full', `at most ${this.#options.maxWaiting} people can wait for this consult at once`);
      }
    }
    const participant = new Participant(identity, channel, this.#logger, requestedAt);
    this.#participants.set(participant.id, participant);
    // Added first, so that a consult whose only participant is being replaced does not close in between.
    if (holder) this.#replace(holder);
    participant.logger.info({ role: participant.role, admitted: participant.admitted }, 'participant joined');
    if (participant.admitted) {
      this.#options.audit('joined', participant.auditName);
      this.#options.observer?.participantAdmitted(participant);
      this.#broadcast(participant, 'participantJoined', participant.info());
      // A doctor arriving changes what everyone waiting sees.
      this.#publishWaitingStatuses();
    } else {
      this.#options.audit('arrived-waiting', participant.auditName);
      for (const doctor of this.#admittedDoctors()) doctor.channel.notify('participantArrived', participant.waitingInfo());
      this.#publishWaitingRoom();
      this.#publishWaitingStatuses();
    }
    return participant;
  }

  /** Everything a (re)joining participant needs to know about the consult. */
  viewFor(participant: Participant): Omit<JoinResponse, 'resumeToken'> {
    return {
      participantId: participant.id,
      role: participant.role,
      displayName: participant.displayName,
      consult: this.info,
      admitted: participant.admitted,
      routerRtpCapabilities: this.routerRtpCapabilities,
      participants: this.othersOf(participant),
      waiting: this.waitingRoomFor(participant),
      waitingStatus: this.waitingStatusOf(participant),
      chat: this.#options.chat.list().filter((message) => this.#canRead(participant, message)),
      presentation: this.#viewing.stateFor(participant),
      floor: participant.admitted ? this.#floor.state : null,
    };
  }

  /**
   * In the call, a message goes to everyone admitted; while no patient is in
   * the call (the pre-brief), it stays with the care team for good. Someone
   * waiting can write only to the doctors (a private thread), and only a
   * doctor can write into such a thread.
   */
  sendChat(sender: Participant, text: string, to: string | undefined): ChatMessage {
    this.#assertMember(sender);
    let thread: string | null = null;
    if (!sender.admitted) {
      if (to !== undefined) throw new ProtocolFailure('forbidden', 'while waiting, messages go to the doctor');
      thread = sender.id;
    } else if (to !== undefined) {
      if (!this.#isAdmittedDoctor(sender)) throw new ProtocolFailure('forbidden', 'only the doctor writes to someone waiting');
      const recipient = this.#participants.get(to);
      if (!recipient || recipient.admitted) throw new ProtocolFailure('not-found', 'nobody with this id is waiting');
      thread = recipient.id;
    }
    this.#chatBurst.take(sender);
    const careTeam = thread === null && !this.#patientInCall();
    const message = this.#options.chat.add(
      { participantId: sender.id, displayName: sender.displayName, role: sender.role },
      { thread, careTeam },
      text,
    );
    for (const participant of this.#participants.values()) {
      if (this.#canRead(participant, message)) participant.channel.notify('chatMessage', message);
    }
    return message;
  }

  #canRead(participant: Participant, message: ChatMessage): boolean {
    if (message.careTeam) return participant.admitted && participant.role !== 'patient';
    if (message.thread === null) return participant.admitted;
    return participant.id === message.thread || this.#isAdmittedDoctor(participant);
  }

  /**
   * The connection behind `channel` dropped. The participant keeps their place
   * (and admission, and media on the server) for the grace period; the others
   * see them as reconnecting. A connection that was already replaced by a
   * resumed one is ignored.
   */
  connectionLost(participant: Participant, channel: ParticipantChannel): void {
    if (this.#participants.get(participant.id) !== participant || participant.channel !== channel) return;
    participant.logger.info('participant connection lost; awaiting reconnection');
    participant.suspend(this.#options.reconnectGraceMs, () => this.leave(participant));
    if (participant.admitted) this.#broadcast(participant, 'participantUpdated', participant.info());
  }

  /**
   * A participant comes back on a new connection, proving it with their
   * resume token. `stillAllowed` checks what their first join checked (their
   * link, the consult); if it throws, they are out for good.
   */
  resume(participantId: string, resumeToken: string, channel: ParticipantChannel, stillAllowed: (participant: Participant) => void): Participant {
    if (this.#closed) throw new ProtocolFailure('consult-closed', 'this consult has ended');
    const participant = this.#participants.get(participantId);
    if (!participant || !participant.matchesResumeToken(resumeToken)) {
      throw new ProtocolFailure('not-found', 'nothing to resume: join again');
    }
    try {
      stillAllowed(participant);
    } catch (error) {
      this.leave(participant);
      throw error;
    }
    const previous = participant.channel;
    participant.rebind(channel);
    // The old connection may still look alive to us; it must not act for them any more.
    if (previous !== channel) previous.disconnect();
    participant.logger.info('participant reconnected');
    if (participant.admitted) {
      this.#broadcast(participant, 'participantUpdated', participant.info());
      // Whatever was announced while they were away, they have not heard.
      if (participant.rtpCapabilities) this.#announceProducersTo(participant);
    }
    return participant;
  }

  /** The admitted participants `participant` may see; nobody while they wait. */
  othersOf(participant: Participant): ParticipantInfo[] {
    if (!participant.admitted) return [];
    return [...this.#participants.values()]
      .filter((other) => other !== participant && other.admitted)
      .map((other) => other.info());
  }

  /** The waiting room in order of arrival, as doctors see it; empty for others. */
  waitingRoomFor(participant: Participant): WaitingParticipantInfo[] {
    if (!this.#isAdmittedDoctor(participant)) return [];
    return this.#waiting().map((waiting) => waiting.waitingInfo());
  }

  waitingStatusOf(participant: Participant): WaitingStatus | null {
    if (participant.admitted) return null;
    return {
      position: this.#waiting().indexOf(participant) + 1,
      doctorOnline: this.#admittedDoctors().length > 0,
    };
  }

  admit(doctor: Participant, participantId: string): void {
    this.#assertDoctor(doctor);
    const guest = this.#participants.get(participantId);
    if (!guest || guest.admitted) throw new ProtocolFailure('not-found', 'nobody with this id is waiting');
    const inCall = [...this.#participants.values()].filter((participant) => participant.admitted).length;
    if (inCall >= this.#options.maxParticipants) {
      throw new ProtocolFailure('consult-full', `a consult holds at most ${this.#options.maxParticipants} people in the call`);
    }
    guest.admitted = true;
    guest.logger.info({ by: doctor.id }, 'participant admitted');
    this.#options.audit('admitted', doctor.auditName, guest.auditName);
    this.#options.observer?.participantAdmitted(guest);
    guest.channel.notify('admitted', {
      participants: this.othersOf(guest),
      presentation: this.#viewing.stateFor(guest),
      floor: this.#floor.state,
    });
    this.#broadcast(guest, 'participantJoined', guest.info());
    this.#publishWaitingRoom();
    this.#publishWaitingStatuses();
  }

  /**
   * Turns a waiting participant away ('denied') or takes an admitted one out
   * of the call ('removed'). They are told why and disconnected; the caller
   * revokes the link they came with.
   */
  dismiss(doctor: Participant, participantId: string, reason: 'denied' | 'removed'): Participant {
    this.#assertDoctor(doctor);
    const target = this.#participants.get(participantId);
    const expectedAdmitted = reason === 'removed';
    if (!target || target === doctor || target.admitted !== expectedAdmitted) {
      throw new ProtocolFailure('not-found', reason === 'denied' ? 'nobody with this id is waiting' : 'nobody with this id is in the call');
    }
    if (target.role === 'doctor') throw new ProtocolFailure('forbidden', 'a doctor cannot be removed');
    target.logger.info({ by: doctor.id, reason }, 'participant dismissed');
    this.#options.audit(reason, doctor.auditName, target.auditName);
    target.channel.notify('removed', { reason });
    this.#remove(target);
    target.channel.disconnect();
    return target;
  }

  /**
   * The doctor withdrew an invite link: whoever holds it, waiting or in the
   * call, is out at once and told why.
   */
  linkWithdrawn(linkId: string): void {
    for (const participant of [...this.#participants.values()]) {
      if (participant.linkId !== linkId) continue;
      participant.logger.info('invite link withdrawn; participant removed');
      this.#options.audit('left', participant.auditName);
      participant.channel.notify('removed', { reason: 'link-revoked' });
      this.#remove(participant);
      participant.channel.disconnect();
    }
  }

  /** The same person joined again: the older connection makes way. */
  #replace(previous: Participant): void {
    previous.logger.info({ reconnecting: previous.reconnecting }, 'participant replaced by a new connection of the same person');
    this.#options.audit('left', previous.auditName);
    if (!previous.reconnecting) previous.channel.notify('removed', { reason: 'replaced' });
    this.#remove(previous);
    previous.channel.disconnect();
  }

  /** Mutes someone's microphone on the server; unmuting stays theirs to decide. */
  async muteParticipant(doctor: Participant, participantId: string): Promise<void> {
    const target = this.#otherAdmitted(doctor, participantId);
    const microphone = [...target.producers.values()].find((producer) => producer.appData.source === 'microphone');
    if (!microphone || microphone.paused) return;
    await this.#media(doctor, () => microphone.pause());
    target.channel.notify('mutedByDoctor', { by: doctor.displayName });
    this.#broadcast(target, 'participantUpdated', target.info());
  }

  askToUnmute(doctor: Participant, participantId: string): void {
    const target = this.#otherAdmitted(doctor, participantId);
    target.channel.notify('unmuteRequested', { by: doctor.displayName });
  }

  #otherAdmitted(doctor: Participant, participantId: string): Participant {
    this.#assertDoctor(doctor);
    const target = this.#participants.get(participantId);
    if (!target || target === doctor || !target.admitted) throw new ProtocolFailure('not-found', 'nobody with this id is in the call');
    return target;
  }

  /** Ends the consult for everyone. */
  end(doctor: Participant): void {
    this.#assertDoctor(doctor);
    this.#options.audit('consult-ended', doctor.auditName);
    this.close('ended');
  }

  /** For a consult created for a join that never completed. */
  closeIfEmpty(): void {
    if (this.#participants.size === 0) this.close();
  }

  leave(participant: Participant): void {
    if (this.#participants.get(participant.id) !== participant) return;
    participant.logger.info('participant left');
    this.#options.audit('left', participant.auditName);
    this.#remove(participant);
  }

  #remove(participant: Participant): void {
    if (this.#participants.get(participant.id) !== participant) return;
    this.#participants.delete(participant.id);
    participant.close();
    this.#viewing.participantLeft(participant);
    if (this.#floor.participantLeft(participant)) this.#publishFloor();
    if (participant.admitted) {
      this.#broadcast(participant, 'participantLeft', { participantId: participant.id });
    } else {
      this.#publishWaitingRoom();
    }
    this.#publishWaitingStatuses();
    if (this.#participants.size === 0) this.close();
  }

  async createTransport(participant: Participant, direction: TransportDirection): Promise<TransportOptions> {
    this.#assertAdmitted(participant);
    if (participant.transportFor(direction)) {
      throw new ProtocolFailure('already-exists', `a ${direction} transport exists already`);
    }
    const transport = await this.#media(participant, () =>
      this.#slot.router.createWebRtcTransport({
        webRtcServer: this.#slot.webRtcServer,
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: 1_000_000,
        appData: { participantId: participant.id, direction },
      }),
    );
    // The participant may have left, or raced a second request, while we waited.
    if (participant.closed || participant.transportFor(direction)) {
      transport.close();
      this.#assertMember(participant);
      throw new ProtocolFailure('already-exists', `a ${direction} transport exists already`);
    }
    if (direction === 'send') await this.#media(participant, () => transport.setMaxIncomingBitrate(maxIncomingBitrate));
    participant.transports.set(transport.id, { transport, direction });
    transport.observer.once('close', () => participant.transports.delete(transport.id));
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed') participant.logger.warn({ transportId: transport.id }, 'DTLS failed');
    });
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(participant: Participant, transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    const transport = this.#transportOf(participant, transportId);
    await this.#media(participant, () => transport.connect({ dtlsParameters }));
  }

  async restartIce(participant: Participant, transportId: string): Promise<IceParameters> {
    const transport = this.#transportOf(participant, transportId);
    return this.#media(participant, () => transport.restartIce());
  }

  async produce(
    participant: Participant,
    request: { transportId: string; kind: MediaKind; source: MediaSource; rtpParameters: RtpParameters },
  ): Promise<string> {
    const transport = this.#transportOf(participant, request.transportId);
    if (participant.transports.get(transport.id)?.direction !== 'send') {
      throw new ProtocolFailure('invalid-payload', 'media can only be sent on the send transport');
    }
    const hasSource = (): boolean => [...participant.producers.values()].some((p) => p.appData.source === request.source);
    if (hasSource()) throw new ProtocolFailure('already-exists', `the ${request.source} is already being sent`);

    const producer = await this.#media(participant, () =>
      transport.produce<ProducerAppData>({
        kind: request.kind,
        rtpParameters: request.rtpParameters,
        appData: { participantId: participant.id, source: request.source },
      }),
    );
    if (participant.closed || hasSource()) {
      producer.close();
      this.#assertMember(participant);
      throw new ProtocolFailure('already-exists', `the ${request.source} is already being sent`);
    }
    participant.producers.set(producer.id, producer);
    if (producer.kind === 'audio') {
      // The highlight is a nicety: a failure here must not fail the microphone.
      this.#slot.activeSpeakerObserver
        .addProducer({ producerId: producer.id })
        .catch((error: unknown) => participant.logger.warn({ err: error }, 'active speaker observer refused a producer'));
    }
    producer.observer.once('close', () => {
      participant.producers.delete(producer.id);
      if (!participant.closed) this.#broadcast(participant, 'participantUpdated', participant.info());
    });
    for (const other of this.#participants.values()) {
      if (other !== participant && other.rtpCapabilities) {
        other.channel.notify('producerAdded', {
          producerId: producer.id,
          participantId: participant.id,
          kind: producer.kind,
          source: request.source,
        });
      }
    }
    this.#broadcast(participant, 'participantUpdated', participant.info());
    return producer.id;
  }

  async setProducerPaused(participant: Participant, producerId: string, paused: boolean): Promise<void> {
    const producer = this.#producerOf(participant, producerId);
    await this.#media(participant, () => (paused ? producer.pause() : producer.resume()));
    this.#broadcast(participant, 'participantUpdated', participant.info());
  }

  closeProducer(participant: Participant, producerId: string): void {
    this.#producerOf(participant, producerId).close();
  }

  /** Marks the participant ready to receive and announces what they can consume. */
  setRtpCapabilities(participant: Participant, rtpCapabilities: RtpCapabilities): void {
    this.#assertAdmitted(participant);
    if (participant.rtpCapabilities) throw new ProtocolFailure('already-exists', 'RTP capabilities were already given');
    participant.rtpCapabilities = rtpCapabilities;
    this.#announceProducersTo(participant);
  }

  /** Tells `participant` of every producer of the others that they do not consume yet. */
  #announceProducersTo(participant: Participant): void {
    const consumed = new Set([...participant.consumers.values()].map((consumer) => consumer.producerId));
    for (const other of this.#participants.values()) {
      if (other === participant || !other.admitted) continue;
      for (const producer of other.producers.values()) {
        if (consumed.has(producer.id)) continue;
        participant.channel.notify('producerAdded', {
          producerId: producer.id,
          participantId: other.id,
          kind: producer.kind,
          source: producer.appData.source,
        });
      }
    }
  }

  async consume(participant: Participant, producerId: string): Promise<ConsumerOptions> {
    this.#assertAdmitted(participant);
    const rtpCapabilities = participant.rtpCapabilities;
    const transport = participant.transportFor('receive');
    if (!rtpCapabilities || !transport) {
      throw new ProtocolFailure('not-ready', 'create a receive transport and send RTP capabilities first');
    }
    const found = this.#findOthersProducer(participant, producerId);
    if (!found) throw new ProtocolFailure('not-found', 'no such producer in this consult');
    const isConsuming = (): boolean => [...participant.consumers.values()].some((c) => c.producerId === producerId);
    if (isConsuming()) throw new ProtocolFailure('already-exists', 'this producer is already being consumed');
    if (!this.#slot.router.canConsume({ producerId, rtpCapabilities })) {
      throw new ProtocolFailure('cannot-consume', 'the browser cannot decode this media');
    }
    const consumer = await this.#media(participant, () =>
      transport.consume({ producerId, rtpCapabilities, paused: true, appData: { participantId: participant.id } }),
    );
    if (participant.closed || isConsuming()) {
      consumer.close();
      this.#assertMember(participant);
      throw new ProtocolFailure('already-exists', 'this producer is already being consumed');
    }
    participant.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => participant.consumers.delete(consumer.id));
    consumer.on('producerclose', () => {
      if (!participant.closed) participant.channel.notify('consumerClosed', { consumerId: consumer.id });
    });
    return {
      id: consumer.id,
      producerId,
      participantId: found.owner.id,
      kind: consumer.kind,
      source: found.source,
      rtpParameters: consumer.rtpParameters,
    };
  }

  async resumeConsumer(participant: Participant, consumerId: string): Promise<void> {
    this.#assertAdmitted(participant);
    const consumer = participant.consumers.get(consumerId);
    if (!consumer) throw new ProtocolFailure('not-found', 'no such consumer');
    await this.#media(participant, () => consumer.resume());
  }

  presentDocument(participant: Participant, documentId: string): PresentationState {
    this.#assertAdmitted(participant);
    return this.#viewing.present(participant, documentId);
  }

  updateView(participant: Participant, view: DocumentView): void {
    this.#assertAdmitted(participant);
    this.#viewing.updateView(participant, view);
  }

  movePointer(participant: Participant, pointer: PagePoint | null): void {
    this.#assertAdmitted(participant);
    this.#viewing.movePointer(participant, pointer);
  }

  stopPresenting(participant: Participant): void {
    this.#assertAdmitted(participant);
    this.#viewing.stop(participant);
  }

  addAnnotation(participant: Participant, request: AddAnnotationRequest): Annotation {
    this.#assertAdmitted(participant);
    return this.#viewing.addAnnotation(participant, request);
  }

  removeAnnotation(participant: Participant, annotationId: string): void {
    this.#assertAdmitted(participant);
    this.#viewing.removeAnnotation(participant, annotationId);
  }

  /** Consecutive interpretation: hands the floor to or from the interpreter (see InterpretationFloor). */
  floorCue(participant: Participant, cue: FloorCueRequest['cue']): FloorState | null {
    this.#assertAdmitted(participant);
    const interpreter = [...this.#participants.values()].find((other) => other.admitted && other.role === 'interpreter');
    if (this.#floor.cue(participant, cue, interpreter)) this.#publishFloor();
    return this.#floor.state;
  }

  #publishFloor(): void {
    for (const participant of this.#participants.values()) {
      if (participant.admitted) participant.channel.notify('floorChanged', { floor: this.#floor.state });
    }
  }

  #patientInCall(): boolean {
    return [...this.#participants.values()].some((participant) => participant.admitted && participant.role === 'patient');
  }

  /** Told by the documents API: a document was added, removed or shared differently. */
  documentsChanged(change: DocumentChange): void {
    if (!this.#closed) this.#viewing.documentsChanged(change);
  }

  close(reason?: ConsultCloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const participant of this.#participants.values()) {
      if (reason) participant.channel.notify('consultClosed', { reason });
      this.#options.audit('left', participant.auditName);
      participant.close();
    }
    this.#participants.clear();
    this.#slot.router.close();
    this.#logger.info({ reason: reason ?? 'empty' }, 'consult closed');
    for (const listener of this.#closeListeners) listener();
    this.#closeListeners.clear();
  }

  #assertMember(participant: Participant): void {
    if (this.#closed) throw new ProtocolFailure('consult-closed', 'this consult has ended');
    if (participant.closed || this.#participants.get(participant.id) !== participant) {
      throw new ProtocolFailure('not-joined', 'not in this consult');
    }
  }

  /** No media reaches or leaves anyone the doctor has not let in. */
  #assertAdmitted(participant: Participant): void {
    this.#assertMember(participant);
    if (!participant.admitted) throw new ProtocolFailure('not-admitted', 'wait until the doctor lets you in');
  }

  #assertDoctor(participant: Participant): void {
    this.#assertMember(participant);
    if (!this.#isAdmittedDoctor(participant)) throw new ProtocolFailure('forbidden', 'only the doctor can do this');
  }

  #isAdmittedDoctor(participant: Participant): boolean {
    return participant.role === 'doctor' && participant.admitted;
  }

  #admittedDoctors(): Participant[] {
    return [...this.#participants.values()].filter((participant) => this.#isAdmittedDoctor(participant));
  }

  /** In order of arrival (a Map keeps insertion order). */
  #waiting(): Participant[] {
    return [...this.#participants.values()].filter((participant) => !participant.admitted);
  }

  #publishWaitingRoom(): void {
    const waiting = this.#waiting().map((participant) => participant.waitingInfo());
    for (const doctor of this.#admittedDoctors()) doctor.channel.notify('waitingRoomChanged', { waiting });
  }

  #publishWaitingStatuses(): void {
    for (const participant of this.#waiting()) {
      const status = this.waitingStatusOf(participant);
      if (status) participant.channel.notify('waitingStatus', status);
    }
  }

  #transportOf(participant: Participant, transportId: string): WebRtcTransport {
    this.#assertAdmitted(participant);
    const entry = participant.transports.get(transportId);
    if (!entry) throw new ProtocolFailure('not-found', 'no such transport');
    return entry.transport;
  }

  #producerOf(participant: Participant, producerId: string): Producer<ProducerAppData> {
    this.#assertAdmitted(participant);
    const producer = participant.producers.get(producerId);
    if (!producer) throw new ProtocolFailure('not-found', 'no such producer');
    return producer;
  }

  #findOthersProducer(participant: Participant, producerId: string): { owner: Participant; source: MediaSource } | undefined {
    for (const owner of this.#participants.values()) {
      if (owner === participant) continue;
      const producer = owner.producers.get(producerId);
      if (producer) return { owner, source: producer.appData.source };
    }
    return undefined;
  }

  #broadcast<E extends keyof ServerToClientEvents>(
    from: Participant,
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void {
    for (const other of this.#participants.values()) {
      if (other !== from && other.admitted) other.channel.notify(event, ...args);
    }
  }

  /** mediasoup rejects bad parameters by throwing; the client gets `media-error`. */
  async #media<T>(participant: Participant, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof ProtocolFailure) throw error;
      participant.logger.warn({ err: error }, 'mediasoup refused an operation');
      throw new ProtocolFailure('media-error', error instanceof Error ? error.message : String(error));
    }
  }
}
