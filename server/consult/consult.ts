// One consult: its mediasoup router and the participants in it. Everything a
// participant does to media goes through here, so the rules (who may consume
// what, and when) live in one place. Like mediasoup's own classes it has an
// explicit lifecycle: close() releases the router and everyone's transports.
import type { DtlsParameters, IceParameters, MediaKind, Producer, RtpCapabilities, RtpParameters, WebRtcTransport } from 'mediasoup/types';
import type { ConsumerOptions, MediaSource, ParticipantInfo, Role, ServerToClientEvents, TransportOptions } from '../../shared/protocol';
import type { Logger } from '../logger';
import type { MediaSlot } from '../media/workerPool';
import { ProtocolFailure } from '../signalling/protocolFailure';
import { Participant, type ParticipantChannel, type ProducerAppData, type TransportDirection } from './participant';

export interface ConsultOptions {
  maxParticipants: number;
}

export type ConsultCloseReason = Parameters<ServerToClientEvents['consultClosed']>[0]['reason'];

/** Camera video may use up to this much of a participant's upstream. */
const maxIncomingBitrate = 1_500_000;

export class Consult {
  readonly id: string;
  readonly #slot: MediaSlot;
  readonly #options: ConsultOptions;
  readonly #logger: Logger;
  readonly #participants = new Map<string, Participant>();
  readonly #closeListeners = new Set<() => void>();
  #closed = false;

  constructor(id: string, slot: MediaSlot, options: ConsultOptions, logger: Logger) {
    this.id = id;
    this.#slot = slot;
    this.#options = options;
    this.#logger = logger.child({ consultId: id });
    // A router closes under us only when its worker died.
    slot.router.observer.once('close', () => this.close('media-failure'));
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

  join(role: Role, displayName: string, channel: ParticipantChannel): Participant {
    if (this.#closed) throw new ProtocolFailure('consult-closed', 'this consult has ended');
    if (this.#participants.size >= this.#options.maxParticipants) {
      throw new ProtocolFailure('consult-full', `a consult holds at most ${this.#options.maxParticipants} participants`);
    }
    const participant = new Participant(role, displayName, channel);
    this.#participants.set(participant.id, participant);
    this.#logger.info({ participantId: participant.id, role }, 'participant joined');
    this.#broadcast(participant, 'participantJoined', participant.info());
    return participant;
  }

  /** Everyone but `participant`, as they may be shown to them. */
  othersOf(participant: Participant): ParticipantInfo[] {
    return [...this.#participants.values()].filter((other) => other !== participant).map((other) => other.info());
  }

  /** For a consult created for a join that never completed. */
  closeIfEmpty(): void {
    if (this.#participants.size === 0) this.close();
  }

  leave(participant: Participant): void {
    if (this.#participants.get(participant.id) !== participant) return;
    this.#participants.delete(participant.id);
    participant.close();
    this.#logger.info({ participantId: participant.id }, 'participant left');
    this.#broadcast(participant, 'participantLeft', { participantId: participant.id });
    if (this.#participants.size === 0) this.close();
  }

  async createTransport(participant: Participant, direction: TransportDirection): Promise<TransportOptions> {
    this.#assertMember(participant);
    if (participant.transportFor(direction)) {
      throw new ProtocolFailure('already-exists', `a ${direction} transport exists already`);
    }
    const transport = await this.#media(() =>
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
    if (direction === 'send') await this.#media(() => transport.setMaxIncomingBitrate(maxIncomingBitrate));
    participant.transports.set(transport.id, { transport, direction });
    transport.observer.once('close', () => participant.transports.delete(transport.id));
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed') this.#logger.warn({ participantId: participant.id, transportId: transport.id }, 'DTLS failed');
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
    await this.#media(() => transport.connect({ dtlsParameters }));
  }

  async restartIce(participant: Participant, transportId: string): Promise<IceParameters> {
    const transport = this.#transportOf(participant, transportId);
    return this.#media(() => transport.restartIce());
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

    const producer = await this.#media(() =>
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
    await this.#media(() => (paused ? producer.pause() : producer.resume()));
    this.#broadcast(participant, 'participantUpdated', participant.info());
  }

  closeProducer(participant: Participant, producerId: string): void {
    this.#producerOf(participant, producerId).close();
  }

  /** Marks the participant ready to receive and announces what they can consume. */
  setRtpCapabilities(participant: Participant, rtpCapabilities: RtpCapabilities): void {
    this.#assertMember(participant);
    if (participant.rtpCapabilities) throw new ProtocolFailure('already-exists', 'RTP capabilities were already given');
    participant.rtpCapabilities = rtpCapabilities;
    for (const other of this.#participants.values()) {
      if (other === participant) continue;
      for (const producer of other.producers.values()) {
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
    this.#assertMember(participant);
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
    const consumer = await this.#media(() =>
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
    this.#assertMember(participant);
    const consumer = participant.consumers.get(consumerId);
    if (!consumer) throw new ProtocolFailure('not-found', 'no such consumer');
    await this.#media(() => consumer.resume());
  }

  close(reason?: ConsultCloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const participant of this.#participants.values()) {
      if (reason) participant.channel.notify('consultClosed', { reason });
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

  #transportOf(participant: Participant, transportId: string): WebRtcTransport {
    this.#assertMember(participant);
    const entry = participant.transports.get(transportId);
    if (!entry) throw new ProtocolFailure('not-found', 'no such transport');
    return entry.transport;
  }

  #producerOf(participant: Participant, producerId: string): Producer<ProducerAppData> {
    this.#assertMember(participant);
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
      if (other !== from) other.channel.notify(event, ...args);
    }
  }

  /** mediasoup rejects bad parameters by throwing; the client gets `media-error`. */
  async #media<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof ProtocolFailure) throw error;
      this.#logger.warn({ err: error }, 'mediasoup refused an operation');
      throw new ProtocolFailure('media-error', error instanceof Error ? error.message : String(error));
    }
  }
}
