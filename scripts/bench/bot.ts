// A bot: one participant without a browser. It speaks mediasoup-client's API
// through msc-node (werift underneath: ICE, DTLS-SRTP, RTP in TypeScript),
// produces synthetic audio and video (the camera as one stream or as three
// simulcast layers: simulcast.ts), consumes everyone else's, and records
// how long each step took. How it reaches a router (our signalling server, or
// a bare mediasoup router) is the MediaSignalling it is given.
import { Device, MediaStreamTrack, RTCRtpCodecParameters, useNACK, usePLI, useSdesMid, useSdesRTPStreamId, type types } from 'msc-node';
import type { ConsumerOptions, ProducerAnnouncement, TransportOptions } from '../../shared/protocol';
import type { MediaSource, ProduceRequest } from '../../shared/schemas';
import { AudioSource, monotonicMicros, type Pacer, type PathStats, type SentCounts, sentBy, StreamReceiver, VideoSource } from './media';
import { type CameraStream, cameraPlan, encodingsFor, SimulcastCamera } from './simulcast';

/** What a bot needs from whatever hands out transports, producers and consumers. */
export interface MediaSignalling {
  readonly routerRtpCapabilities: types.RtpCapabilities;
  createTransport(direction: 'send' | 'receive'): Promise<TransportOptions>;
  connectTransport(transportId: string, dtlsParameters: types.DtlsParameters): Promise<void>;
  produce(request: ProduceRequest): Promise<string>;
  /** From now on, producers are announced through `onProducerAdded`. */
  setRtpCapabilities(rtpCapabilities: types.RtpCapabilities): Promise<void>;
  onProducerAdded(listener: (producer: ProducerAnnouncement) => void): void;
  consume(producerId: string): Promise<ConsumerOptions>;
  /** The receiver draws this video `height` pixels tall: the SFU forwards the simulcast layer that needs. */
  setConsumerView(consumerId: string, height: number): Promise<void>;
  resumeConsumer(consumerId: string): Promise<void>;
  close(): Promise<void>;
}

/** Milestones of a bot's arrival, in milliseconds since it started joining. */
export interface BotTimings {
  connected?: number;
  joined?: number;
  admitted?: number;
  deviceLoaded?: number;
  transportsCreated?: number;
  producing?: number;
  sendTransportConnected?: number;
  firstRemotePacket?: number;
}

export interface BotMediaOptions {
  videoBitrate: number;
  /** The camera's streams: one at `videoBitrate` unless given (simulcast.ts). */
  camera?: readonly CameraStream[];
  /** The height each received video is drawn at, told to the SFU before it starts (as a browser does); not told when absent. */
  viewHeight?: number;
  pacer: Pacer;
  /** Where received streams are counted. */
  path: PathStats;
}

/** What a bot can send and receive: Opus and VP8 with NACK and PLI, MID for routing (and RID for simulcast), as a browser offers. */
export function botCapabilities(simulcast = false): ConstructorParameters<typeof Device>[0] {
  return {
    codecs: {
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48_000, channels: 2, payloadType: 111 })],
      video: [
        new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90_000, payloadType: 96, rtcpFeedback: [useNACK(), usePLI()] }),
      ],
    },
    headerExtensions: { audio: [useSdesMid()], video: simulcast ? [useSdesMid(), useSdesRTPStreamId()] : [useSdesMid()] },
  };
}

/**
 * The server's transport options as msc-node takes them: UDP candidates only
 * (werift speaks ICE over UDP). Those carry no tcpType; msc-node's type
 * demands one but reads it only when present.
 */
function forDevice(options: TransportOptions): types.TransportOptions {
  return {
    id: options.id,
    iceParameters: options.iceParameters,
    iceCandidates: options.iceCandidates.filter((candidate) => candidate.protocol === 'udp') as types.IceCandidate[],
    dtlsParameters: options.dtlsParameters,
  };
}

interface Cancelable {
  cancel(): void;
  catch(onRejected: (reason: unknown) => void): unknown;
}

/**
 * werift sends no ICE consent checks (RFC 7675) to an ICE-lite peer such as
 * mediasoup, and mediasoup gives a transport up after 30 s without one
 * (`iceConsentTimeout`); browsers do send them. Once the transport is
 * connected, this runs werift's own consent loop as it would for a full
 * peer (its role and nomination are settled by then). Returns the loops, to
 * cancel on close.
 */
function keepIceConsent(transport: types.Transport): Cancelable[] {
  return transport.pc.iceTransports.flatMap((iceTransport) => {
    // `queryConsent` is private in werift's typings; it is the loop werift starts itself for full peers.
    const connection = iceTransport.connection as unknown as { remoteIsLite: boolean; queryConsent: () => Cancelable };
    if (!connection.remoteIsLite) return [];
    connection.remoteIsLite = false;
    const loop = connection.queryConsent();
    loop.catch(() => undefined);
    return [loop];
  });
}

export class Bot {
  /** The object given to start(): whoever holds it sees the milestones as they happen. */
  readonly timings: BotTimings;
  readonly #startedUs: number;
  readonly #signalling: MediaSignalling;
  readonly #options: BotMediaOptions;
  readonly #sources: (AudioSource | VideoSource)[] = [];
  readonly #receivers: StreamReceiver[] = [];
  readonly #transports: types.Transport[] = [];
  readonly #consentChecks: Cancelable[] = [];
  #simulcast: SimulcastCamera | undefined;
  #firstPacket: (() => void) | undefined;
  #closed = false;

  private constructor(signalling: MediaSignalling, options: BotMediaOptions, startedUs: number, timings: BotTimings) {
    this.#signalling = signalling;
    this.timings = timings;
    this.#options = options;
    this.#startedUs = startedUs;
  }

  /** Packets and bytes this bot has handed to its transport so far. */
  get sent(): SentCounts {
    return sentBy(this.#sources);
  }

  /** Milliseconds since `startedUs` (a monotonicMicros() value). */
  static elapsedMs(startedUs: number): number {
    return (monotonicMicros() - startedUs) / 1000;
  }

  /**
   * Sets up media over an already joined (and admitted) signalling session:
   * device, both transports, microphone and camera, then consumes every
   * remote producer as it is announced. `timings` is filled in as it goes.
   */
  static async start(signalling: MediaSignalling, options: BotMediaOptions, startedUs: number, timings: BotTimings = {}): Promise<Bot> {
    const bot = new Bot(signalling, options, startedUs, timings);
    try {
      await bot.#run();
    } catch (error) {
      await bot.close();
      throw error;
    }
    return bot;
  }

  /** Resolves at the first packet from anyone else (immediately if one came already). */
  firstRemotePacket(): Promise<void> {
    if (this.timings.firstRemotePacket !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.#firstPacket;
      this.#firstPacket = () => {
        previous?.();
        resolve();
      };
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const source of this.#sources) this.#options.pacer.remove(source);
    for (const receiver of this.#receivers) receiver.close();
    this.#simulcast?.close();
    for (const check of this.#consentChecks) check.cancel();
    for (const transport of this.#transports) transport.close();
    await this.#signalling.close().catch(() => undefined);
  }

  #mark(step: keyof BotTimings): void {
    this.timings[step] ??= Bot.elapsedMs(this.#startedUs);
  }

  async #run(): Promise<void> {
    const signalling = this.#signalling;
    const plan = this.#options.camera ?? cameraPlan('single', this.#options.videoBitrate);
    const device = new Device(botCapabilities(plan.length > 1));
    await device.load({ routerRtpCapabilities: signalling.routerRtpCapabilities });
    this.#mark('deviceLoaded');

    const [sendOptions, receiveOptions] = await Promise.all([signalling.createTransport('send'), signalling.createTransport('receive')]);
    const sendTransport = device.createSendTransport(forDevice(sendOptions));
    const receiveTransport = device.createRecvTransport(forDevice(receiveOptions));
    this.#transports.push(sendTransport, receiveTransport);
    this.#mark('transportsCreated');

    for (const transport of [sendTransport, receiveTransport]) {
      transport.on('connect', ({ dtlsParameters }: { dtlsParameters: types.DtlsParameters }, callback: () => void, errback: (error: Error) => void) => {
        signalling.connectTransport(transport.id, dtlsParameters).then(callback, errback);
      });
    }
    sendTransport.on('connectionstatechange', (state: string) => {
      if (state === 'connected') this.#mark('sendTransportConnected');
    });
    // msc-node passes on only 'connecting' and 'connected'; a failure shows on werift's peer connection.
    for (const transport of [sendTransport, receiveTransport]) {
      transport.pc.connectionStateChange.subscribe((state) => {
        if (state === 'connected') this.#consentChecks.push(...keepIceConsent(transport));
        if ((state === 'failed' || state === 'disconnected') && !this.#closed) {
          console.error(`[bench] a bot's ${transport.direction} transport is ${state}`);
        }
      });
    }
    sendTransport.on(
      'produce',
      (
        { kind, rtpParameters, appData }: { kind: 'audio' | 'video'; rtpParameters: ProduceRequest['rtpParameters']; appData: { source: MediaSource } },
        callback: (result: { id: string }) => void,
        errback: (error: Error) => void,
      ) => {
        signalling
          .produce({ transportId: sendTransport.id, kind, source: appData.source, rtpParameters })
          .then((id) => callback({ id }), errback);
      },
    );

    const audioTrack = new MediaStreamTrack({ kind: 'audio' });
    const videoTrack = new MediaStreamTrack({ kind: 'video' });
    const audio = new AudioSource((packet) => audioTrack.writeRtp(packet));
    await sendTransport.produce({ track: audioTrack, appData: { source: 'microphone' } });
    const camera = await sendTransport.produce({ track: videoTrack, encodings: encodingsFor(plan), appData: { source: 'camera' } });
    const video: VideoSource[] = [];
    const [single] = plan;
    if (plan.length > 1) {
      if (!camera.rtpSender) throw new Error('the camera has no sender');
      this.#simulcast = SimulcastCamera.start(camera.rtpSender, camera.rtpParameters, plan);
      video.push(...this.#simulcast.sources);
    } else if (single) {
      const source = new VideoSource((packet) => videoTrack.writeRtp(packet), single.bitrate, single.framesPerSecond, single.temporalLayers);
      camera.rtpSender?.onPictureLossIndication.subscribe(() => source.requestKeyFrame());
      video.push(source);
    }
    for (const source of [audio, ...video]) {
      this.#sources.push(source);
      this.#options.pacer.add(source);
    }
    this.#mark('producing');

    signalling.onProducerAdded((announcement) => {
      this.#consume(receiveTransport, announcement).catch((error: unknown) => {
        if (!this.#closed) console.error(`[bench] a bot could not consume ${announcement.kind}: ${String(error)}`);
      });
    });
    await signalling.setRtpCapabilities(device.rtpCapabilities);
  }

  async #consume(transport: types.Transport, announcement: ProducerAnnouncement): Promise<void> {
    const options = await this.#signalling.consume(announcement.producerId);
    if (this.#closed) return;
    const consumer = await transport.consume({
      id: options.id,
      producerId: options.producerId,
      kind: options.kind,
      rtpParameters: options.rtpParameters,
    });
    const receiver = new StreamReceiver(this.#options.path, options.kind, () => {
      this.#mark('firstRemotePacket');
      this.#firstPacket?.();
      this.#firstPacket = undefined;
    });
    this.#receivers.push(receiver);
    consumer.track.onReceiveRtp.subscribe((packet) => receiver.onPayload(packet.payload));
    const height = this.#options.viewHeight;
    if (options.kind === 'video' && height !== undefined) await this.#signalling.setConsumerView(options.id, height);
    await this.#signalling.resumeConsumer(options.id);
  }
}
