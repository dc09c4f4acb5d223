// A bot's way into a consult on our own server: a real Socket.IO connection
// speaking the shared protocol. A doctor bot joins with its session cookie
// and admits everyone who arrives; a guest bot joins with its invite token
// and waits until it is admitted.
import { io } from 'socket.io-client';
import type { types } from 'msc-node';
import { type ConsiliumSocket, request } from '../../client/call/signallingClient';
import type { ConsumerOptions, JoinResponse, ProducerAnnouncement, TransportOptions } from '../../shared/protocol';
import type { ConnectTransportRequest, ProduceRequest, SetRtpCapabilitiesRequest } from '../../shared/schemas';
import { Bot, type BotTimings, type MediaSignalling } from './bot';

export type ConsiliumIdentity =
  | { as: 'doctor'; consultId: string; cookie: string }
  | { as: 'guest'; inviteToken: string; displayName: string };

/** How long a guest waits for the doctor before the bench calls the join failed. */
const admissionTimeoutMs = 30_000;

export class ConsiliumSignalling implements MediaSignalling {
  readonly #socket: ConsiliumSocket;
  readonly #join: JoinResponse;

  private constructor(socket: ConsiliumSocket, join: JoinResponse) {
    this.#socket = socket;
    this.#join = join;
  }

  get routerRtpCapabilities(): types.RtpCapabilities {
    return this.#join.routerRtpCapabilities;
  }

  /**
   * Connects, joins and (for guests) waits to be admitted, marking each step
   * in `timings` relative to `startedUs`.
   */
  static async join(baseUrl: string, identity: ConsiliumIdentity, startedUs: number, timings: BotTimings): Promise<ConsiliumSignalling> {
    const socket: ConsiliumSocket = io(baseUrl, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...(identity.as === 'doctor' ? { extraHeaders: { cookie: identity.cookie } } : {}),
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      timings.connected = Bot.elapsedMs(startedUs);
      // Listen before asking: the doctor may admit us right after the join is acknowledged.
      const admitted = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not admitted within ${admissionTimeoutMs} ms`)), admissionTimeoutMs);
        socket.once('admitted', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.once('disconnect', () => clearTimeout(timer));
      });
      admitted.catch(() => undefined);
      const join =
        identity.as === 'doctor'
          ? await request(socket, 'join', { as: 'doctor', consultId: identity.consultId })
          : await request(socket, 'join', { as: 'guest', inviteToken: identity.inviteToken, displayName: identity.displayName });
      timings.joined = Bot.elapsedMs(startedUs);
      if (identity.as === 'doctor') {
        ConsiliumSignalling.#admitArrivals(socket, join);
      } else if (!join.admitted) {
        await admitted;
      }
      timings.admitted = Bot.elapsedMs(startedUs);
      return new ConsiliumSignalling(socket, join);
    } catch (error) {
      socket.disconnect();
      throw error;
    }
  }

  /** The doctor bot lets in whoever waits now and whoever arrives later. */
  static #admitArrivals(socket: ConsiliumSocket, join: JoinResponse): void {
    const admit = (participantId: string): void => {
      request(socket, 'admit', { participantId }).catch((error: unknown) => {
        if (socket.connected) console.error(`[bench] the doctor bot could not admit someone: ${String(error)}`);
      });
    };
    socket.on('participantArrived', ({ id }) => admit(id));
    for (const waiting of join.waiting) admit(waiting.id);
  }

  async createTransport(direction: 'send' | 'receive'): Promise<TransportOptions> {
    return (await request(this.#socket, 'createTransport', { direction })).transport;
  }

  async connectTransport(transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
    // msc-node types these loosely (any algorithm string); the server validates what arrives.
    await request(this.#socket, 'connectTransport', { transportId, dtlsParameters: dtlsParameters as ConnectTransportRequest['dtlsParameters'] });
  }

  async produce(produceRequest: ProduceRequest): Promise<string> {
    return (await request(this.#socket, 'produce', produceRequest)).producerId;
  }

  async setRtpCapabilities(rtpCapabilities: types.RtpCapabilities): Promise<void> {
    await request(this.#socket, 'setRtpCapabilities', { rtpCapabilities: rtpCapabilities as SetRtpCapabilitiesRequest['rtpCapabilities'] });
  }

  onProducerAdded(listener: (producer: ProducerAnnouncement) => void): void {
    this.#socket.on('producerAdded', listener);
  }

  async consume(producerId: string): Promise<ConsumerOptions> {
    return (await request(this.#socket, 'consume', { producerId })).consumer;
  }

  async setConsumerView(consumerId: string, height: number): Promise<void> {
    await request(this.#socket, 'setConsumerView', { consumerId, height });
  }

  async resumeConsumer(consumerId: string): Promise<void> {
    await request(this.#socket, 'resumeConsumer', { consumerId });
  }

  async close(): Promise<void> {
    if (this.#socket.connected) await request(this.#socket, 'leave').catch(() => undefined);
    this.#socket.disconnect();
  }
}
