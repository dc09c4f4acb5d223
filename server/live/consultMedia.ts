// A consult's media plumbing: its mediasoup router (and the worker's
// WebRtcServer), each participant's transports, producers and consumers,
// telling receivers about new producers, the active speaker, and turning
// mediasoup's refusals into `media-error`. Who may do any of this is decided
// by Consult before it calls in; this module does it.
import type { Consumer, DtlsParameters, IceParameters, MediaKind, Producer, RtpCapabilities, RtpParameters, WebRtcTransport } from 'mediasoup/types';
import type { ConsumerOptions, MediaAccess, MediaSource, ParticipantInfo, TransportOptions } from '../../shared/protocol';
import { Refusal } from '../../shared/refusals';
import type { VideoLimitsRequest } from '../../shared/schemas';
import { trialLeaseMs } from '../../shared/videoLinkGuard';
import type { MediaSlot } from '../media/workerPool';
import type { Participant, ProducerAppData, TransportDirection } from './participant';
import type { Roster } from './roster';
import { VideoFlow } from './videoFlow';

/** Camera video may use up to this much of a participant's upstream. */
const maxIncomingBitrate = 1_500_000;

export interface ProduceRequest {
  transportId: string;
  kind: MediaKind;
  source: MediaSource;
  rtpParameters: RtpParameters;
}

export class ConsultMedia {
  readonly #slot: MediaSlot;
  readonly #videoFlow = new VideoFlow(<T>(participant: Participant, operation: () => Promise<T>, target?: { readonly closed: boolean }) =>
    this.#media(participant, operation, target),
  );
  readonly #roster: Roster;
  /** Throws unless the participant is still in the consult: checked again after every wait. */
  readonly #assertMember: (participant: Participant) => void;
  readonly #accessFor: (participant: Participant) => MediaAccess;

  constructor(
    slot: MediaSlot,
    roster: Roster,
    assertMember: (participant: Participant) => void,
    accessFor: (participant: Participant) => MediaAccess,
  ) {
    this.#slot = slot;
    this.#roster = roster;
    this.#assertMember = assertMember;
    this.#accessFor = accessFor;
    slot.activeSpeakerObserver.on('dominantspeaker', ({ producer }) => {
      const speaker = roster.get(String(producer.appData['participantId']));
      if (speaker?.admitted) roster.tellAdmitted('activeSpeaker', { participantId: speaker.id });
    });
  }

  get routerRtpCapabilities(): RtpCapabilities {
    return this.#slot.router.rtpCapabilities;
  }

  /** TURN credentials (fresh each time) and the relay policy, for someone in the call. */
  accessFor(participant: Participant): MediaAccess {
    return this.#accessFor(participant);
  }

  /** A router closes under us only when its worker died. */
  onFailure(listener: () => void): void {
    this.#slot.router.observer.once('close', listener);
  }

  /**
   * Their client's making of media failed half-way (a request timed out):
   * all of it goes, the others told as each of their streams closes, so it
   * can be made again from nothing.
   */
  reset(participant: Participant): void {
    participant.resetMedia();
    this.#roster.broadcast(participant, 'participantUpdated', participant.info());
  }

  async createTransport(participant: Participant, direction: TransportDirection): Promise<TransportOptions> {
    if (participant.transportFor(direction)) throw new Refusal('already-exists', `a ${direction} transport exists already`);
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
      throw new Refusal('already-exists', `a ${direction} transport exists already`);
    }
    if (direction === 'send') await this.#media(participant, () => transport.setMaxIncomingBitrate(maxIncomingBitrate));
    participant.addTransport(transport, direction);
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

  async produce(participant: Participant, request: ProduceRequest): Promise<string> {
    const transport = this.#transportOf(participant, request.transportId);
    if (participant.transport(transport.id)?.direction !== 'send') {
      throw new Refusal('invalid-payload', 'media can only be sent on the send transport');
    }
    if (participant.producerFor(request.source)) throw new Refusal('already-exists', `the ${request.source} is already being sent`);

    const producer = await this.#media(participant, () =>
      transport.produce<ProducerAppData>({
        kind: request.kind,
        rtpParameters: request.rtpParameters,
        appData: { participantId: participant.id, source: request.source },
      }),
    );
    if (participant.closed || participant.producerFor(request.source)) {
      producer.close();
      this.#assertMember(participant);
      throw new Refusal('already-exists', `the ${request.source} is already being sent`);
    }
    participant.addProducer(producer);
    if (producer.kind === 'audio') {
      // The highlight is a nicety: a failure here must not fail the microphone.
      this.#slot.activeSpeakerObserver
        .addProducer({ producerId: producer.id })
        .catch((error: unknown) => participant.logger.warn({ err: error }, 'active speaker observer refused a producer'));
    }
    producer.observer.once('close', () => {
      if (!participant.closed) this.#roster.broadcast(participant, 'participantUpdated', participant.info());
    });
    for (const other of this.#roster.all()) {
      if (other !== participant && other.rtpCapabilities) {
        other.channel.notify('producerAdded', { producerId: producer.id, participantId: participant.id, kind: producer.kind, source: request.source });
      }
    }
    this.#roster.broadcast(participant, 'participantUpdated', participant.info());
    return producer.id;
  }

  async setProducerPaused(participant: Participant, producerId: string, paused: boolean): Promise<void> {
    const producer = this.#producerOf(participant, producerId);
    await this.#media(participant, () => (paused ? producer.pause() : producer.resume()));
    this.#roster.broadcast(participant, 'participantUpdated', participant.info());
  }

  closeProducer(participant: Participant, producerId: string): void {
    this.#producerOf(participant, producerId).close();
  }

  /** Pauses `target`'s microphone on the server; false when there was nothing to pause. */
  async pauseMicrophone(target: Participant, by: Participant): Promise<boolean> {
    const microphone = target.producerFor('microphone');
    if (!microphone || microphone.paused) return false;
    await this.#media(by, () => microphone.pause());
    this.#roster.broadcast(target, 'participantUpdated', target.info());
    return true;
  }

  /** Marks the participant ready to receive and announces what they can consume. */
  setRtpCapabilities(participant: Participant, rtpCapabilities: RtpCapabilities): void {
    participant.setRtpCapabilities(rtpCapabilities);
    this.announceProducersTo(participant);
  }

  /** Tells `participant` of every producer of the others that they do not consume yet. */
  announceProducersTo(participant: Participant): void {
    for (const other of this.#roster.admitted()) {
      if (other === participant) continue;
      for (const producer of other.producers()) {
        if (participant.isConsuming(producer.id)) continue;
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
    const rtpCapabilities = participant.rtpCapabilities;
    const transport = participant.transportFor('receive');
    if (!rtpCapabilities || !transport) throw new Refusal('not-ready', 'create a receive transport and send RTP capabilities first');
    const found = this.#findOthersProducer(participant, producerId);
    if (!found) throw new Refusal('not-found', 'no such producer in this consult');
    if (participant.isConsuming(producerId)) throw new Refusal('already-exists', 'this producer is already being consumed');
    if (!this.#slot.router.canConsume({ producerId, rtpCapabilities })) throw new Refusal('cannot-consume', 'the browser cannot decode this media');
    // Resending lost packets (NACK) for the voices too, not only video: on a lossy link a resent
    // packet arrives within the jitter buffer's delay, where Opus could only conceal the gap. It
    // takes effect only where the browser asked for it (client/call/receiveCapabilities.ts).
    const consumer = await this.#media(participant, () =>
      transport.consume({ producerId, rtpCapabilities, paused: true, enableRtx: true, appData: { participantId: participant.id } }),
    );
    if (participant.closed || participant.isConsuming(producerId)) {
      consumer.close();
      this.#assertMember(participant);
      throw new Refusal('already-exists', 'this producer is already being consumed');
    }
    participant.addConsumer(consumer);
    this.#videoFlow.watchLayers(participant, consumer);
    consumer.on('producerclose', () => {
      if (!participant.closed) participant.channel.notify('consumerClosed', { consumerId: consumer.id });
    });
    return {
      id: consumer.id,
      producerId,
      participantId: found.owner.id,
      kind: consumer.kind,
      source: found.producer.appData.source,
      rtpParameters: consumer.rtpParameters,
    };
  }

  async resumeConsumer(participant: Participant, consumerId: string): Promise<void> {
    const consumer = this.#consumerOf(participant, consumerId);
    if (consumer.kind === 'video') await this.#videoFlow.start(participant, consumer);
    else await this.#media(participant, () => consumer.resume(), consumer);
  }

  /**
   * The receiver draws this video `height` device pixels tall (0: not at all): forward the
   * simulcast layer that size needs, or nothing while it is out of sight.
   */
  async setConsumerView(participant: Participant, consumerId: string, height: number): Promise<void> {
    const consumer = this.#consumerOf(participant, consumerId);
    if (consumer.kind !== 'video') throw new Refusal('invalid-payload', 'only a video has a size on screen');
    await this.#videoFlow.setView(participant, consumer, height, this.#producerEncodings(consumer) ?? 1);
  }

  /**
   * Audio only by their choice, their camera held back by their own uplink (the others see
   * which), or their downlink unable to carry video (video to them stops, and the others'
   * browsers send their voices compact so that the voices fit).
   */
  async setVideoLimits(participant: Participant, limits: VideoLimitsRequest): Promise<void> {
    if (!participant.setVideoLimits(limits)) return;
    if (participant.videoOnTrial) participant.leaseTrial(trialLeaseMs, () => void this.#endTrial(participant));
    await this.#videoFlow.applyAll(participant);
    this.#roster.broadcast(participant, 'participantUpdated', participant.info());
  }

  /** Whether video may flow to them changed (their connection was lost or is back, a trial ended): it stops or starts. */
  async videoFlowChanged(participant: Participant): Promise<void> {
    try {
      await this.#videoFlow.applyAll(participant);
    } catch (error) {
      // A consumer that closed meanwhile (they or its sender were leaving) needs no change.
      if (error instanceof Refusal && error.code === 'not-found') return;
      participant.logger.warn({ err: error }, 'could not change the video sent to them');
    }
  }

  /**
   * A trial of their downlink ran out with no word from their browser: on a link the trial
   * jammed, its "hold it again" may not get through for a long while, and the video would go
   * on filling the link meanwhile. Hold it back here, and tell their browser the trial failed.
   */
  async #endTrial(participant: Participant): Promise<void> {
    if (participant.closed) return;
    participant.logger.info('a trial of their downlink ran out unkept: video to them is held back again');
    participant.endTrial();
    participant.channel.notify('linkTrialEnded');
    await this.videoFlowChanged(participant);
  }

  /** Their browser found this path for its media (or none): the others (the doctor) see it on their tile. */
  reportPath(participant: Participant, path: NonNullable<ParticipantInfo['path']>): void {
    if (participant.reportPath(path)) this.#roster.broadcast(participant, 'participantUpdated', participant.info());
  }

  close(): void {
    this.#slot.router.close();
  }

  #transportOf(participant: Participant, transportId: string): WebRtcTransport {
    const entry = participant.transport(transportId);
    if (!entry) throw new Refusal('not-found', 'no such transport');
    return entry.transport;
  }

  #consumerOf(participant: Participant, consumerId: string): Consumer {
    const consumer = participant.consumer(consumerId);
    if (!consumer) throw new Refusal('not-found', 'no such consumer');
    return consumer;
  }

  /** How many simulcast layers the consumed producer sends. */
  #producerEncodings(consumer: Consumer): number | undefined {
    for (const owner of this.#roster.all()) {
      const producer = owner.producer(consumer.producerId);
      if (producer) return producer.rtpParameters.encodings?.length;
    }
    return undefined;
  }

  #producerOf(participant: Participant, producerId: string): Producer<ProducerAppData> {
    const producer = participant.producer(producerId);
    if (!producer) throw new Refusal('not-found', 'no such producer');
    return producer;
  }

  #findOthersProducer(participant: Participant, producerId: string): { owner: Participant; producer: Producer<ProducerAppData> } | undefined {
    for (const owner of this.#roster.all()) {
      if (owner === participant) continue;
      const producer = owner.producer(producerId);
      if (producer) return { owner, producer };
    }
    return undefined;
  }

  /**
   * mediasoup rejects bad parameters by throwing; the client gets `media-error`. A `target`
   * that closed while the request was on its way (its producer left) is not a fault worth a
   * warning: the client already has, or is about to get, the news that it closed.
   */
  async #media<T>(participant: Participant, operation: () => Promise<T>, target?: { readonly closed: boolean }): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof Refusal) throw error;
      if (target?.closed) throw new Refusal('not-found', 'it closed meanwhile');
      participant.logger.warn({ err: error }, 'mediasoup refused an operation');
      throw new Refusal('media-error', error instanceof Error ? error.message : String(error));
    }
  }
}
