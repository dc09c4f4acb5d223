// One person in one consult, and the mediasoup objects they own. Closing the
// participant closes their transports, which closes their producers and
// consumers (mediasoup cascades), which in turn closes others' consumers of
// their producers.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Consumer, Producer, RtpCapabilities, WebRtcTransport } from 'mediasoup/types';
import type { MediaSource, ParticipantInfo, Role, ServerToClientEvents, WaitingParticipantInfo } from '../../shared/protocol';
import type { VideoLimitsRequest } from '../../shared/schemas';
import type { Logger } from '../logger';
import { Refusal } from '../../shared/refusals';

/** How a participant is told about things; the signalling layer provides it. */
export interface ParticipantChannel {
  notify<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
  /** Ends the connection (after a removal). */
  disconnect(): void;
}

/** Who is joining, as established by the signalling layer (link or session). */
export interface ParticipantIdentity {
  role: Role;
  displayName: string;
  /** The invite link they came with; doctors have none. */
  linkId: string | undefined;
  /** One person, one place in a consult: their invite link (`link:<id>`) or their doctor account (`doctor:<id>`). */
  seat: string;
}

export type TransportDirection = 'send' | 'receive';

export interface ProducerAppData {
  [key: string]: unknown;
  participantId: string;
  source: MediaSource;
}

export interface TransportEntry {
  transport: WebRtcTransport;
  direction: TransportDirection;
}

/** How a participant starts: their id, kept for the same person across connections; admitted or waiting. */
export interface ParticipantStart {
  id: string;
  admitted: boolean;
  /** When their join request reached the server (before authorization and router set-up). */
  joinRequestedAt: number;
}

export class Participant {
  readonly id: string;
  readonly role: Role;
  readonly displayName: string;
  readonly linkId: string | undefined;
  readonly seat: string;
  /** When their join request reached the server (before authorization and router set-up). */
  readonly joinRequestedAt: number;
  /** When they entered the consult (the waiting room, for guests). */
  readonly arrivedAt = Date.now();
  /** The consult's logger with this participant's id: every line about them carries both ids, never their name. */
  readonly logger: Logger;
  /** Handed to the client at join; proves a new connection is this participant coming back. */
  readonly resumeToken = randomBytes(32).toString('base64url');
  readonly #transports = new Map<string, TransportEntry>();
  readonly #producers = new Map<string, Producer<ProducerAppData>>();
  /** Keyed by consumer id. */
  readonly #consumers = new Map<string, Consumer>();
  /** How their media reaches the server, as their browser reported it. */
  #path: ParticipantInfo['path'] = null;
  /** What of video they can take, as their browser said (setVideoLimits). */
  #videoLimits: VideoLimitsRequest = { audioOnly: false, sendingHeldBack: false, receivingHeldBack: false, downlinkWeak: false };
  /** Doctors are admitted on arrival, and so is anyone the doctor let in before; everyone else waits for a doctor. */
  #admitted: boolean;
  /** Set once the client can receive: until then no producer is announced to it. */
  #rtpCapabilities: RtpCapabilities | undefined;
  #channel: ParticipantChannel;
  /** Set while a trial of their downlink runs: when it fires, the trial ends unkept (see leaseTrial). */
  #trialTimer: NodeJS.Timeout | undefined;
  /** Set while the connection is lost: when it fires, they have left, unless their media still arrives. */
  #reconnectTimer: NodeJS.Timeout | undefined;
  /** The running suspension (see suspend); a check of their media that finds another one running is void. */
  #suspension: symbol | undefined;
  #closed = false;

  constructor(identity: ParticipantIdentity, channel: ParticipantChannel, logger: Logger, start: ParticipantStart) {
    this.id = start.id;
    this.role = identity.role;
    this.displayName = identity.displayName;
    this.linkId = identity.linkId;
    this.seat = identity.seat;
    this.joinRequestedAt = start.joinRequestedAt;
    this.logger = logger.child({ participantId: this.id });
    this.#channel = channel;
    this.#admitted = start.admitted;
  }

  /** How the audit log names them. */
  get auditName(): string {
    return `${this.role} ${this.displayName}`;
  }

  get admitted(): boolean {
    return this.#admitted;
  }

  /** A doctor let them in. */
  admit(): void {
    this.#admitted = true;
  }

  get rtpCapabilities(): RtpCapabilities | undefined {
    return this.#rtpCapabilities;
  }

  /** What their browser can receive; given once. */
  setRtpCapabilities(rtpCapabilities: RtpCapabilities): void {
    if (this.#rtpCapabilities) throw new Refusal('already-exists', 'RTP capabilities were already given');
    this.#rtpCapabilities = rtpCapabilities;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get channel(): ParticipantChannel {
    return this.#channel;
  }

  get reconnecting(): boolean {
    return this.#reconnectTimer !== undefined;
  }

  /**
   * The connection dropped: keep everything for `graceMs`, then give up, unless their media still
   * arrives then (waiting another `graceMs`, and so on). On a link jammed by the voices themselves
   * the signalling (TCP) can fail for minutes while the sound still gets through both ways, and
   * giving up would end a call their link still carries.
   */
  suspend(graceMs: number, onExpired: () => void): void {
    clearTimeout(this.#reconnectTimer);
    const suspension = Symbol('suspension');
    this.#suspension = suspension;
    let before = this.#mediaReceived();
    const wait = (): void => {
      this.#reconnectTimer = setTimeout(() => {
        void Promise.all([before, this.#mediaReceived()]).then(([then, now]) => {
          if (this.#suspension !== suspension || this.#closed) return;
          if (now > then) {
            this.logger.info('connection still lost, but their media still arrives: keeping their place');
            before = Promise.resolve(now);
            wait();
          } else {
            onExpired();
          }
        });
      }, graceMs);
    };
    wait();
  }

  /** A new connection took over: notifications go there from now on. */
  rebind(channel: ParticipantChannel): void {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#suspension = undefined;
    this.#channel = channel;
  }

  /** Bytes received so far on their transports (media, its reports, and connectivity checks). */
  async #mediaReceived(): Promise<number> {
    let bytes = 0;
    for (const { transport } of this.#transports.values()) {
      try {
        for (const stats of await transport.getStats()) bytes += stats.bytesReceived;
      } catch {
        // closed meanwhile: nothing more comes on it
      }
    }
    return bytes;
  }

  matchesResumeToken(candidate: string): boolean {
    const expected = Buffer.from(this.resumeToken);
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  info(): ParticipantInfo {
    const live = (source: MediaSource): boolean => {
      const producer = this.producerFor(source);
      return producer !== undefined && !producer.paused;
    };
    return {
      id: this.id,
      role: this.role,
      displayName: this.displayName,
      audioMuted: !live('microphone'),
      videoOff: !live('camera'),
      reconnecting: this.reconnecting,
      path: this.#path,
      audioOnly: this.#videoLimits.audioOnly,
      videoHeldBack: this.#videoLimits.sendingHeldBack,
      downlinkWeak: this.#videoLimits.downlinkWeak,
    };
  }

  /**
   * Whether video may be forwarded to them at all: not by their choice, not while their downlink
   * cannot carry it, and not while their connection is lost (most often a link so jammed that
   * their browser's word of it cannot get through): the voices alone go on to them then.
   */
  get receivesVideo(): boolean {
    return !this.#videoLimits.audioOnly && !this.#videoLimits.receivingHeldBack && !this.reconnecting;
  }

  /** Their downlink is being tried with video again after it was held back (see VideoFlow). */
  get videoOnTrial(): boolean {
    return this.#videoLimits.downlinkWeak && this.receivesVideo;
  }

  /** Their browser said what of video they can take; false when it is what we knew. */
  setVideoLimits(limits: VideoLimitsRequest): boolean {
    const known = this.#videoLimits;
    const unchanged =
      known.audioOnly === limits.audioOnly &&
      known.sendingHeldBack === limits.sendingHeldBack &&
      known.receivingHeldBack === limits.receivingHeldBack &&
      known.downlinkWeak === limits.downlinkWeak;
    if (unchanged) return false;
    this.#videoLimits = { ...limits };
    clearTimeout(this.#trialTimer);
    this.#trialTimer = undefined;
    return true;
  }

  /** A trial of their downlink began: unless their browser says something new within `ms`, `onUnkept` ends it. */
  leaseTrial(ms: number, onUnkept: () => void): void {
    clearTimeout(this.#trialTimer);
    this.#trialTimer = setTimeout(() => {
      this.#trialTimer = undefined;
      onUnkept();
    }, ms);
  }

  /** Their trial ended unkept: video to them is held back again, as their browser would have asked. */
  endTrial(): void {
    this.#videoLimits = { ...this.#videoLimits, receivingHeldBack: true, downlinkWeak: true };
  }

  /** Their browser found this path for its media (or none); false when it is what we knew. */
  reportPath(path: NonNullable<ParticipantInfo['path']>): boolean {
    if (path === this.#path) return false;
    this.#path = path;
    return true;
  }

  waitingInfo(): WaitingParticipantInfo {
    return { id: this.id, role: this.role, displayName: this.displayName, arrivedAt: new Date(this.arrivedAt).toISOString() };
  }

  // ------------------------------------------------------------ their mediasoup objects
  // Each is forgotten when it closes; reading gives copies, so nobody else changes these.

  addTransport(transport: WebRtcTransport, direction: TransportDirection): void {
    this.#transports.set(transport.id, { transport, direction });
    transport.observer.once('close', () => this.#transports.delete(transport.id));
  }

  transport(transportId: string): TransportEntry | undefined {
    return this.#transports.get(transportId);
  }

  transportFor(direction: TransportDirection): WebRtcTransport | undefined {
    for (const entry of this.#transports.values()) {
      if (entry.direction === direction) return entry.transport;
    }
    return undefined;
  }

  transports(): TransportEntry[] {
    return [...this.#transports.values()];
  }

  addProducer(producer: Producer<ProducerAppData>): void {
    this.#producers.set(producer.id, producer);
    producer.observer.once('close', () => this.#producers.delete(producer.id));
  }

  producer(producerId: string): Producer<ProducerAppData> | undefined {
    return this.#producers.get(producerId);
  }

  producerFor(source: MediaSource): Producer<ProducerAppData> | undefined {
    for (const producer of this.#producers.values()) {
      if (producer.appData.source === source) return producer;
    }
    return undefined;
  }

  producers(): Producer<ProducerAppData>[] {
    return [...this.#producers.values()];
  }

  addConsumer(consumer: Consumer): void {
    this.#consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => this.#consumers.delete(consumer.id));
  }

  consumer(consumerId: string): Consumer | undefined {
    return this.#consumers.get(consumerId);
  }

  isConsuming(producerId: string): boolean {
    for (const consumer of this.#consumers.values()) {
      if (consumer.producerId === producerId) return true;
    }
    return false;
  }

  consumers(): Consumer[] {
    return [...this.#consumers.values()];
  }

  /**
   * Their media died with the consult's router (its worker crashed): forget
   * it all, and what they could receive, so their client can make it again.
   */
  resetMedia(): void {
    for (const { transport } of this.#transports.values()) transport.close();
    this.#transports.clear();
    this.#producers.clear();
    this.#consumers.clear();
    this.#rtpCapabilities = undefined;
    this.#path = null;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#suspension = undefined;
    clearTimeout(this.#trialTimer);
    this.#trialTimer = undefined;
    for (const { transport } of this.#transports.values()) transport.close();
    this.#transports.clear();
    this.#producers.clear();
    this.#consumers.clear();
  }
}
