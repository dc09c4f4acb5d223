// The media side of a consult session, once we are in the call: the
// mediasoup Device, the send and receive transports (ICE restarts included),
// our microphone and camera going out, the others' tracks coming in, device
// switching, and the connection-quality grades from WebRTC statistics.
import { Device } from 'mediasoup-client';
import type { Consumer, Producer, Transport } from 'mediasoup-client/types';
import type { ForwardedVideo, JoinResponse, MediaAccess, MediaSource, ProducerAnnouncement } from '../../shared/protocol';
import type { ProduceRequest, SetRtpCapabilitiesRequest } from '../../shared/schemas';
import { acquireCamera, acquireMicrophone, type DeviceChoice } from './localMedia';
import { ConsumerViews } from './consumerViews';
import { LinkAdaptation } from './linkAdaptation';
import { MediaPathReporter } from './mediaPathReporter';
import { QualityMonitor } from './qualityMonitor';
import { withVoiceRetransmission } from './receiveCapabilities';
import { sendOptionsFor } from './sendEncodings';
import type { SessionStore } from './sessionState';
import type { Requester } from './signallingClient';

export interface MediaSessionContext {
  store: SessionStore;
  /** Requests to the server; they wait while we are reconnecting. */
  send: Requester;
  devices: DeviceChoice;
}

/** How long a transport may stay "disconnected" before we restart ICE (it often recovers by itself sooner). */
const restartIceAfterMs = 2000;
/** Between attempts while it stays down. */
const restartIceRetryMs = 3000;
/** How often statistics are read, for the quality grades and to notice media stopping. */
const statisticsEveryMs = 1000;

export type MediaStart = Pick<JoinResponse, 'routerRtpCapabilities'> & { mediaAccess?: MediaAccess | null | undefined };

export class MediaSession {
  readonly #store: SessionStore;
  readonly #send: Requester;
  #devices: DeviceChoice;
  #device: Device | undefined;
  #sendTransport: Transport | undefined;
  #receiveTransport: Transport | undefined;
  readonly #producers = new Map<MediaSource, Producer>();
  readonly #consumers = new Map<string, { consumer: Consumer; participantId: string; source: MediaSource }>();
  readonly #views: ConsumerViews;
  readonly #monitor: QualityMonitor;
  readonly #adaptation: LinkAdaptation;
  /** Whether the camera was on when audio only was chosen: it comes back with the video. */
  #cameraBeforeAudioOnly = false;
  readonly #restartTimers = new Map<Transport, ReturnType<typeof setTimeout>>();
  #qualityTimer: ReturnType<typeof setInterval> | undefined;
  #measuring = false;
  #access: MediaAccess = { iceServers: [], iceTransportPolicy: 'all' };
  readonly #pathReporter: MediaPathReporter;
  #closed = false;

  constructor(context: MediaSessionContext) {
    this.#store = context.store;
    this.#send = context.send;
    this.#devices = context.devices;
    this.#views = new ConsumerViews(context.send);
    this.#monitor = new QualityMonitor({
      consumers: this.#consumers,
      sendTransport: () => this.#sendTransport,
      isHidden: (consumerId) => this.#views.isHidden(consumerId),
    });
    this.#pathReporter = new MediaPathReporter(context.store, context.send);
    this.#adaptation = new LinkAdaptation(context.store, context.send, this.#producers);
  }

  /** The page draws `participantId`'s video `height` device pixels tall (0: not seen): the server sends what that needs. */
  setViewHeight(participantId: string, height: number): void {
    const consumerId = [...this.#consumers].find(([, entry]) => entry.participantId === participantId && entry.consumer.kind === 'video')?.[0];
    this.#views.setHeight(participantId, height, consumerId);
  }

  /** Whether the Device is loaded (we have been in the call). */
  get started(): boolean {
    return this.#device !== undefined;
  }

  /**
   * Once admitted: device, transports, our tracks out, others' tracks in.
   * `restart`: in the call already (the consult moved to another media
   * server): the page stays as it is meanwhile.
   */
  async start(joined: MediaStart, { restart = false } = {}): Promise<void> {
    if (this.#device) return;
    const localStream = this.#store.getState().localStream ?? new MediaStream();
    if (!restart) this.#store.update({ phase: 'joining', waitingStatus: undefined });
    // TURN credentials come only with being let in; ask for them if they did not come with it.
    this.#access = joined.mediaAccess ?? (await this.#send('mediaAccess')).mediaAccess;
    this.#pathReporter.started();
    const device = new Device();
    await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities });
    this.#device = device;
    this.#sendTransport = await this.#createTransport('send');
    this.#receiveTransport = await this.#createTransport('receive');

    for (const track of localStream.getTracks()) {
      await this.#produce(track, track.kind === 'audio' ? 'microphone' : 'camera');
    }
    await this.#send('setRtpCapabilities', {
      rtpCapabilities: withVoiceRetransmission(device.recvRtpCapabilities) as SetRtpCapabilitiesRequest['rtpCapabilities'],
    });
    // Back on a new media server (or a new server): it learns again what we chose.
    if (this.#adaptation.limitsToRetell) await this.#adaptation.tellVideoLimits();
    this.#store.update({ phase: 'in-call' });
    this.#qualityTimer = setInterval(() => {
      // One reading at a time: on a busy phone one can take longer than the interval, and
      // overlapping readings would measure slivers of a second.
      if (this.#measuring) return;
      this.#measuring = true;
      this.#measureQuality()
        .catch((error: unknown) => console.warn('could not read connection statistics', error))
        .finally(() => (this.#measuring = false));
    }, statisticsEveryMs);
  }

  async consume(announcement: ProducerAnnouncement): Promise<void> {
    const transport = this.#receiveTransport;
    if (!transport) return;
    const { consumer: options } = await this.#send('consume', { producerId: announcement.producerId });
    const consumer = await transport.consume({
      id: options.id,
      producerId: options.producerId,
      kind: options.kind,
      rtpParameters: options.rtpParameters,
    });
    this.#consumers.set(consumer.id, { consumer, participantId: options.participantId, source: options.source });
    if (consumer.kind === 'video') this.#views.consumerAdded(options.participantId, consumer.id);
    this.#store.setTrack(options.participantId, consumer.kind, consumer.track);
    await this.#send('resumeConsumer', { consumerId: consumer.id });
  }

  dropConsumer(consumerId: string): void {
    const entry = this.#consumers.get(consumerId);
    if (!entry) return;
    if (entry.consumer.kind === 'video') this.videoForwarded(consumerId, 'whole');
    this.#consumers.delete(consumerId);
    this.#views.consumerRemoved(consumerId);
    entry.consumer.close();
    this.#store.setTrack(entry.participantId, entry.consumer.kind, undefined);
  }

  /** Someone left: their tracks go with them. */
  dropConsumersOf(participantId: string): void {
    for (const [consumerId, entry] of this.#consumers) {
      if (entry.participantId === participantId) this.dropConsumer(consumerId);
    }
  }

  /** After resuming: the server still has these consumers; the others were closed while we were away. */
  keepOnlyConsumers(alive: readonly string[]): void {
    const keep = new Set(alive);
    for (const consumerId of [...this.#consumers.keys()]) {
      if (!keep.has(consumerId)) this.dropConsumer(consumerId);
    }
  }

  /** Back on a new connection: new ICE parameters for both transports. */
  async restartIce(): Promise<void> {
    // What we said of our link while the old connection was dying may never have arrived.
    this.#adaptation.retellVideoLimits();
    for (const transport of [this.#sendTransport, this.#receiveTransport]) {
      if (transport) await this.#restartIce(transport);
    }
  }

  async setMicrophoneMuted(muted: boolean): Promise<void> {
    const producer = this.#producers.get('microphone');
    if (!producer) return;
    if (muted) {
      producer.pause();
      await this.#send('pauseProducer', { producerId: producer.id });
    } else {
      producer.resume();
      await this.#send('resumeProducer', { producerId: producer.id });
    }
    this.#store.update({ microphoneMuted: muted });
  }

  /** The doctor muted us on the server: keep our own producer in step. */
  mutedByDoctor(): void {
    this.#producers.get('microphone')?.pause();
  }

  /** Turning the camera off releases it (the camera light goes out), not just pauses it. */
  async setCameraOff(off: boolean): Promise<void> {
    if (!this.#sendTransport) return;
    const stream = this.#store.getState().localStream ?? new MediaStream();
    if (off) {
      const producer = this.#producers.get('camera');
      this.#producers.delete('camera');
      if (producer) {
        producer.close();
        await this.#send('closeProducer', { producerId: producer.id });
      }
      for (const track of stream.getVideoTracks()) {
        track.stop();
        stream.removeTrack(track);
      }
      this.#store.update({ cameraOff: true, localStream: new MediaStream(stream.getTracks()) });
      return;
    }
    const track = await acquireCamera(this.#devices.cameraId);
    stream.addTrack(track);
    this.#store.update({ cameraOff: false, localStream: new MediaStream(stream.getTracks()) });
    await this.#produce(track, 'camera');
  }

  /** Audio only (mobile data, an old phone): no video out (the camera is released) and none in. */
  async setAudioOnly(on: boolean): Promise<void> {
    const state = this.#store.getState();
    if (state.audioOnly === on) return;
    if (on) this.#cameraBeforeAudioOnly = !state.cameraOff;
    this.#store.update({ audioOnly: on });
    if (on && !state.cameraOff) await this.setCameraOff(true);
    await this.#adaptation.tellVideoLimits();
    if (!on && this.#cameraBeforeAudioOnly) await this.setCameraOff(false);
  }

  /** The server ended a trial of our downlink that we did not keep in time: a failed trial. */
  linkTrialEnded(): void {
    this.#adaptation.linkTrialEnded();
  }

  /** The server says the picture it forwards us on this consumer is lower than our tile needs, or no longer. */
  videoForwarded(consumerId: string, forwarded: ForwardedVideo): void {
    const entry = this.#consumers.get(consumerId);
    const participantId = entry?.participantId;
    if (!participantId || (this.#store.getState().forwardedVideo[participantId] ?? 'whole') === forwarded) return;
    this.#store.update({ forwardedVideo: { ...this.#store.getState().forwardedVideo, [participantId]: forwarded } });
  }

  /** Switches to another camera or microphone mid-call without renegotiating. */
  async switchDevice(kind: MediaSource, deviceId: string): Promise<void> {
    this.#devices = { ...this.#devices, [kind === 'camera' ? 'cameraId' : 'microphoneId']: deviceId };
    // A camera turned off stays off (and dark): the choice applies when it is turned on.
    if (kind === 'camera' && this.#store.getState().cameraOff) return;
    const track = kind === 'camera' ? await acquireCamera(deviceId) : await acquireMicrophone(deviceId);
    const stream = this.#store.getState().localStream ?? new MediaStream();
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
    this.#store.update({ localStream: new MediaStream(stream.getTracks()) });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#qualityTimer);
    for (const timer of this.#restartTimers.values()) clearTimeout(timer);
    this.#restartTimers.clear();
    this.#sendTransport?.close();
    this.#receiveTransport?.close();
    this.#producers.clear();
    this.#consumers.clear();
  }

  async #createTransport(direction: 'send' | 'receive'): Promise<Transport> {
    const device = this.#device;
    if (!device) throw new Error('device not loaded');
    const { transport: options } = await this.#send('createTransport', { direction });
    const withAccess = { ...options, iceServers: this.#access.iceServers, iceTransportPolicy: this.#access.iceTransportPolicy };
    const transport = direction === 'send' ? device.createSendTransport(withAccess) : device.createRecvTransport(withAccess);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#send('connectTransport', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        const source = appData['source'] as MediaSource;
        this.#send('produce', {
          transportId: transport.id,
          kind,
          source,
          rtpParameters: rtpParameters as ProduceRequest['rtpParameters'],
        }).then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    transport.on('connectionstatechange', (state) => {
      if (state === 'disconnected') this.#restartIceSoon(transport, restartIceAfterMs);
      if (state === 'failed') this.#restartIceSoon(transport, 0);
    });
    return transport;
  }

  /**
   * A transport that lost its path (network change, UDP blocked) gets new ICE
   * parameters, again and again while it stays down; no failure here ends the
   * session (a lost signalling connection is handled by resuming).
   */
  #restartIceSoon(transport: Transport, delayMs: number): void {
    if (this.#closed || this.#restartTimers.has(transport)) return;
    const timer = setTimeout(() => {
      this.#restartTimers.delete(transport);
      if (this.#closed || transport.closed || transport.connectionState === 'connected') return;
      this.#restartIce(transport)
        .catch((error: unknown) => console.warn('ICE restart failed; trying again', error))
        .finally(() => {
          if (transport.connectionState !== 'connected') this.#restartIceSoon(transport, restartIceRetryMs);
        });
    }, delayMs);
    this.#restartTimers.set(transport, timer);
  }

  async #restartIce(transport: Transport): Promise<void> {
    if (this.#access.iceServers.length > 0) {
      // Credentials expire: a restart after a long drop must not fail for an old one.
      this.#access = (await this.#send('mediaAccess')).mediaAccess;
      await transport.updateIceServers({ iceServers: this.#access.iceServers });
    }
    const { iceParameters } = await this.#send('restartIce', { transportId: transport.id });
    await transport.restartIce({ iceParameters });
  }

  async #produce(track: MediaStreamTrack, source: MediaSource): Promise<void> {
    const transport = this.#sendTransport;
    if (!transport) return;
    // A track here is meant to go out (a camera turned off has none): an earlier media session may
    // have left it disabled, as mediasoup-client disables a paused producer's track and a link
    // guard's hold during an outage pauses the camera. Muting is applied below.
    track.enabled = true;
    const producer = await transport.produce({
      track,
      appData: { source },
      ...sendOptionsFor(source),
      stopTracks: false,
    });
    this.#producers.set(source, producer);
    if (source === 'microphone' && this.#store.getState().microphoneMuted) {
      producer.pause();
      await this.#send('pauseProducer', { producerId: producer.id });
    }
    if (source === 'microphone') this.#adaptation.microphoneProduced();
  }

  async #measureQuality(): Promise<void> {
    const { quality, downlink, uplink } = await this.#monitor.measure(this.#store.getState());
    if (this.#closed) return;
    this.#store.update({ quality });
    await this.#adaptation.look(uplink, downlink);
    await this.#pathReporter.look(this.#sendTransport ?? this.#receiveTransport);
  }
}
