// The anchor: the same bots against a bare mediasoup router, with no
// signalling server, no waiting room, no active-speaker observer: transports,
// producers and consumers made by direct calls in this process, as in the
// mediasoup demo. Comparing it with the full server shows what Consilium adds
// over mediasoup itself.
import { createWorker } from 'mediasoup';
import type { Consumer, DtlsParameters, Producer, Router, RtpCapabilities, WebRtcServer, WebRtcTransport, Worker } from 'mediasoup/types';
import type { types } from 'msc-node';
import { mediaCodecs } from '../../server/media/mediaCodecs';
import { spatialLayerFor } from '../../server/live/viewLayers';
import type { ConsumerOptions, ProducerAnnouncement, TransportOptions } from '../../shared/protocol';
import type { MediaSource, ProduceRequest } from '../../shared/schemas';
import type { MediaSignalling } from './bot';

export class BareMediasoup {
  readonly #worker: Worker;
  readonly #webRtcServer: WebRtcServer;

  private constructor(worker: Worker, webRtcServer: WebRtcServer) {
    this.#worker = worker;
    this.#webRtcServer = webRtcServer;
  }

  get workerPid(): number {
    return this.#worker.pid;
  }

  /** One worker (settings as in our pool) with a WebRtcServer on a free loopback port. */
  static async start(): Promise<BareMediasoup> {
    const worker = await createWorker({ logLevel: 'warn', logTags: ['ice', 'dtls'] });
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = 42000 + Math.floor(Math.random() * 8000);
      try {
        const webRtcServer = await worker.createWebRtcServer({
          listenInfos: (['udp', 'tcp'] as const).map((protocol) => ({ protocol, ip: '127.0.0.1', port })),
        });
        return new BareMediasoup(worker, webRtcServer);
      } catch (error) {
        lastError = error;
      }
    }
    worker.close();
    throw lastError;
  }

  async createRoom(): Promise<BareRoom> {
    return new BareRoom(await this.#worker.createRouter({ mediaCodecs }), this.#webRtcServer);
  }

  close(): void {
    this.#worker.close();
  }
}

export class BareRoom {
  readonly router: Router;
  readonly webRtcServer: WebRtcServer;
  readonly members = new Set<BareMember>();

  constructor(router: Router, webRtcServer: WebRtcServer) {
    this.router = router;
    this.webRtcServer = webRtcServer;
  }

  join(): BareMember {
    const member = new BareMember(this);
    this.members.add(member);
    return member;
  }

  close(): void {
    this.router.close();
  }
}

let memberCount = 0;

class BareMember implements MediaSignalling {
  readonly id = `bare-${++memberCount}`;
  readonly #room: BareRoom;
  readonly #transports = new Map<string, { transport: WebRtcTransport; direction: 'send' | 'receive' }>();
  readonly producers = new Map<string, { producer: Producer; source: MediaSource }>();
  readonly #consumers = new Map<string, Consumer>();
  readonly #listeners: ((producer: ProducerAnnouncement) => void)[] = [];
  #rtpCapabilities: RtpCapabilities | undefined;

  constructor(room: BareRoom) {
    this.#room = room;
  }

  get routerRtpCapabilities(): types.RtpCapabilities {
    return this.#room.router.rtpCapabilities;
  }

  async createTransport(direction: 'send' | 'receive'): Promise<TransportOptions> {
    const transport = await this.#room.router.createWebRtcTransport({
      webRtcServer: this.#room.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 1_000_000,
    });
    this.#transports.set(transport.id, { transport, direction });
    const { id, iceParameters, iceCandidates, dtlsParameters } = transport;
    return { id, iceParameters, iceCandidates, dtlsParameters };
  }

  async connectTransport(transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
    await this.#transport(transportId).connect({ dtlsParameters: dtlsParameters as DtlsParameters });
  }

  async produce(request: ProduceRequest): Promise<string> {
    const producer = await this.#transport(request.transportId).produce({ kind: request.kind, rtpParameters: request.rtpParameters });
    this.producers.set(producer.id, { producer, source: request.source });
    for (const other of this.#room.members) {
      if (other !== this) other.announce({ producerId: producer.id, participantId: this.id, kind: producer.kind, source: request.source });
    }
    return producer.id;
  }

  setRtpCapabilities(rtpCapabilities: types.RtpCapabilities): Promise<void> {
    this.#rtpCapabilities = rtpCapabilities as RtpCapabilities;
    for (const other of this.#room.members) {
      if (other === this) continue;
      for (const { producer, source } of other.producers.values()) {
        this.announce({ producerId: producer.id, participantId: other.id, kind: producer.kind, source });
      }
    }
    return Promise.resolve();
  }

  onProducerAdded(listener: (producer: ProducerAnnouncement) => void): void {
    this.#listeners.push(listener);
  }

  announce(producer: ProducerAnnouncement): void {
    if (!this.#rtpCapabilities) return;
    for (const listener of this.#listeners) listener(producer);
  }

  async consume(producerId: string): Promise<ConsumerOptions> {
    const receive = [...this.#transports.values()].find((entry) => entry.direction === 'receive');
    if (!receive || !this.#rtpCapabilities) throw new Error('no receive transport or capabilities yet');
    let owner: BareMember | undefined;
    let source: MediaSource | undefined;
    for (const member of this.#room.members) {
      const found = member.producers.get(producerId);
      if (found) {
        owner = member;
        source = found.source;
      }
    }
    if (!owner || !source) throw new Error('no such producer');
    const consumer = await receive.transport.consume({ producerId, rtpCapabilities: this.#rtpCapabilities, paused: true });
    this.#consumers.set(consumer.id, consumer);
    return { id: consumer.id, producerId, participantId: owner.id, kind: consumer.kind, source, rtpParameters: consumer.rtpParameters };
  }

  /** As our server does it (server/live/viewLayers.ts): the smallest layer at least as tall as the tile. */
  async setConsumerView(consumerId: string, height: number): Promise<void> {
    const consumer = this.#consumers.get(consumerId);
    if (!consumer) throw new Error('no such consumer');
    if (consumer.type !== 'simulcast' || height === 0) return;
    let layers = 1;
    for (const member of this.#room.members) layers = member.producers.get(consumer.producerId)?.producer.rtpParameters.encodings?.length ?? layers;
    await consumer.setPreferredLayers({ spatialLayer: spatialLayerFor(height, layers) });
  }

  async resumeConsumer(consumerId: string): Promise<void> {
    const consumer = this.#consumers.get(consumerId);
    if (!consumer) throw new Error('no such consumer');
    await consumer.resume();
  }

  close(): Promise<void> {
    this.#room.members.delete(this);
    for (const { transport } of this.#transports.values()) transport.close();
    this.#transports.clear();
    if (this.#room.members.size === 0) this.#room.close();
    return Promise.resolve();
  }

  #transport(transportId: string): WebRtcTransport {
    const entry = this.#transports.get(transportId);
    if (!entry) throw new Error('no such transport');
    return entry.transport;
  }
}
