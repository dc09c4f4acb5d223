// The media side of a consult session, once we are in the call: the
// mediasoup Device, the send and receive transports (ICE restarts included),
// our microphone and camera going out, the others' tracks coming in, device
// switching, and the connection-quality grades from WebRTC statistics.
import { Device } from 'mediasoup-client';
import type { Consumer, Producer, Transport } from 'mediasoup-client/types';
import type { JoinResponse, MediaAccess, MediaSource, ProducerAnnouncement } from '../../shared/protocol';
import type { ConnectionPathReport, ProduceRequest, SetRtpCapabilitiesRequest } from '../../shared/schemas';
import { hasStalled, receiveQuality, sendQuality, statsOfType, type ConnectionQuality, type ReceiveSample } from './connectionQuality';
import { acquireCamera, acquireMicrophone, type DeviceChoice } from './localMedia';
import { ConsumerViews } from './consumerViews';
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
/** A media path not found by then means the network blocks calls: everyone is told. */
const noPathAfterMs = 8000;

type MediaStart = Pick<JoinResponse, 'routerRtpCapabilities'> & { mediaAccess?: MediaAccess | null | undefined };

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
  readonly #lastReceiveSamples = new Map<string, ReceiveSample>();
  /** Per consumer: when its packet count last went up (or when it began). */
  readonly #lastProgress = new Map<string, { packets: number; at: number }>();
  readonly #restartTimers = new Map<Transport, ReturnType<typeof setTimeout>>();
  #qualityTimer: ReturnType<typeof setInterval> | undefined;
  #access: MediaAccess = { iceServers: [], iceTransportPolicy: 'all' };
  /** When our transports were made, to tell "still looking for a path" from "there is none". */
  #startedAt = 0;
  #reportedPath: ConnectionPathReport['path'] | undefined;
  #closed = false;

  constructor(context: MediaSessionContext) {
    this.#store = context.store;
    this.#send = context.send;
    this.#devices = context.devices;
    this.#views = new ConsumerViews(context.send);
  }

  /** The page draws `participantId`'s video `height` device pixels tall (0: not seen): the server sends what that needs. */
  setViewHeight(participantId: string, height: number): void {
    const consumerId = [...this.#consumers].find(([, entry]) => entry.participantId === participantId && entry.consumer.kind === 'video')?.[0];
    // Back in sight: its silence until now was ours, not a lost connection.
    if (consumerId && height > 0 && this.#views.isHidden(consumerId)) this.#lastProgress.set(consumerId, { packets: this.#lastProgress.get(consumerId)?.packets ?? 0, at: Date.now() });
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
    this.#startedAt = Date.now();
    const device = new Device();
    await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities });
    this.#device = device;
    this.#sendTransport = await this.#createTransport('send');
    this.#receiveTransport = await this.#createTransport('receive');

    for (const track of localStream.getTracks()) {
      await this.#produce(track, track.kind === 'audio' ? 'microphone' : 'camera');
    }
    await this.#send('setRtpCapabilities', {
      rtpCapabilities: device.recvRtpCapabilities as SetRtpCapabilitiesRequest['rtpCapabilities'],
    });
    this.#store.update({ phase: 'in-call' });
    this.#qualityTimer = setInterval(() => {
      this.#measureQuality().catch((error: unknown) => console.warn('could not read connection statistics', error));
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
    this.#lastProgress.set(consumer.id, { packets: 0, at: Date.now() });
    this.#store.setTrack(options.participantId, consumer.kind, consumer.track);
    await this.#send('resumeConsumer', { consumerId: consumer.id });
  }

  dropConsumer(consumerId: string): void {
    const entry = this.#consumers.get(consumerId);
    if (!entry) return;
    this.#consumers.delete(consumerId);
    this.#lastProgress.delete(consumerId);
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

  /** Tells the server (for the doctor) which path our media found, or that it found none. */
  async #reportPath(): Promise<void> {
    const transport = this.#sendTransport ?? this.#receiveTransport;
    if (!transport) return;
    let path: ConnectionPathReport['path'] | undefined;
    if (transport.connectionState === 'connected') path = pathOf(await transport.getStats());
    else if (Date.now() - this.#startedAt >= noPathAfterMs && this.#reportedPath === undefined) path = 'none';
    if (path === undefined || path === this.#reportedPath) return;
    this.#reportedPath = path;
    this.#store.update({ mediaPath: path });
    await this.#send('reportConnectionPath', { path });
  }

  async #produce(track: MediaStreamTrack, source: MediaSource): Promise<void> {
    const transport = this.#sendTransport;
    if (!transport) return;
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
  }

  /**
   * Grades each remote participant by what we receive from them, and
   * ourselves by what we send; notices when media that should be flowing has
   * stopped ('lost': a connection interrupted, theirs or ours).
   */
  async #measureQuality(): Promise<void> {
    const now = Date.now();
    const quality: Record<string, ConnectionQuality> = {};
    const expected = this.#expectedKinds();
    let flowing = 0;
    let stalled = 0;
    for (const [consumerId, { consumer, participantId }] of this.#consumers) {
      const inbound = statsOfType(await consumer.getStats(), 'inbound-rtp')[0];
      const sample = { packetsReceived: Number(inbound?.['packetsReceived'] ?? 0), packetsLost: Number(inbound?.['packetsLost'] ?? 0) };
      const progress = this.#lastProgress.get(consumerId) ?? { packets: 0, at: now };
      if (sample.packetsReceived > progress.packets) this.#lastProgress.set(consumerId, { packets: sample.packetsReceived, at: now });
      if (expected.get(participantId)?.has(consumer.kind) && !this.#views.isHidden(consumerId)) {
        if (hasStalled(this.#lastProgress.get(consumerId)?.at ?? now, now)) {
          stalled += 1;
          quality[participantId] ??= 'lost';
          continue;
        }
        flowing += 1;
      }
      const previous = this.#lastReceiveSamples.get(consumerId);
      this.#lastReceiveSamples.set(consumerId, sample);
      const graded = previous ? receiveQuality(previous, sample) : undefined;
      // A participant is as good as their worst stream; one stream still arriving means they are not lost.
      const current = quality[participantId];
      if (graded && (current === undefined || current === 'lost' || rank(graded) < rank(current))) quality[participantId] = graded;
    }
    const sendState = this.#sendTransport?.connectionState;
    if (sendState === 'disconnected' || sendState === 'failed' || (stalled > 0 && flowing === 0)) {
      // Everything stopped at once, or our own path is down: it is our connection.
      quality['self'] = 'lost';
    } else if (this.#sendTransport) {
      const reports = statsOfType(await this.#sendTransport.getStats(), 'remote-inbound-rtp');
      const worstLoss = Math.max(...reports.map((report) => Number(report['fractionLost'] ?? 0)), 0);
      const rtts = reports.map((report) => report['roundTripTime']).filter((value): value is number => typeof value === 'number');
      const graded = sendQuality(reports.length ? worstLoss : undefined, rtts.length ? Math.max(...rtts) : undefined);
      if (graded) quality['self'] = graded;
    }
    for (const consumerId of this.#lastReceiveSamples.keys()) {
      if (!this.#consumers.has(consumerId)) this.#lastReceiveSamples.delete(consumerId);
    }
    if (!this.#closed) this.#store.update({ quality });
    await this.#reportPath();
  }

  /** What each remote participant should be sending now: audio unless muted, video unless their camera is off. */
  #expectedKinds(): Map<string, Set<'audio' | 'video'>> {
    const expected = new Map<string, Set<'audio' | 'video'>>();
    for (const participant of this.#store.getState().participants) {
      const kinds = new Set<'audio' | 'video'>();
      if (!participant.audioMuted) kinds.add('audio');
      if (!participant.videoOff) kinds.add('video');
      expected.set(participant.id, kinds);
    }
    return expected;
  }
}

/** The path of the selected candidate pair: direct UDP or TCP, or through TURN (and how we reach TURN). */
function pathOf(report: RTCStatsReport): ConnectionPathReport['path'] | undefined {
  let path: ConnectionPathReport['path'] | undefined;
  report.forEach((entry: Record<string, unknown>) => {
    if (entry['type'] !== 'transport' || typeof entry['selectedCandidatePairId'] !== 'string') return;
    const pair = report.get(entry['selectedCandidatePairId']) as Record<string, unknown> | undefined;
    const local = pair && (report.get(String(pair['localCandidateId'])) as Record<string, unknown> | undefined);
    if (!local) return;
    if (local['candidateType'] === 'relay') {
      const relayProtocol = local['relayProtocol'];
      path = relayProtocol === 'tls' ? 'relay-tls' : relayProtocol === 'tcp' ? 'relay-tcp' : 'relay-udp';
    } else {
      path = local['protocol'] === 'tcp' ? 'tcp' : 'udp';
    }
  });
  return path;
}

function rank(quality: ConnectionQuality): number {
  return quality === 'lost' ? -1 : quality === 'poor' ? 0 : quality === 'fair' ? 1 : 2;
}
