// Synthetic media for the bots: VP8-shaped video frames and Opus-shaped audio
// packets, cheap to make, each carrying a probe (send time and a per-stream
// counter) so the receiver can measure latency and loss. The SFU only looks
// at the VP8 payload descriptor and key-frame bit, which are real; the rest
// of the payload is filler. A single pacer emits every stream on schedule.
import { performance } from 'node:perf_hooks';
import { RtpHeader, RtpPacket } from 'msc-node';
import { Samples } from './stats';

/** Marks the probe inside a payload: 'CBNC', then send time (float64 µs) and counter (uint32). */
const probeMagic = Buffer.from('CBNC');
const probeLength = probeMagic.length + 8 + 4;
/** Largest RTP payload we make, like a browser keeping under a 1200-byte MTU budget. */
const maxPayloadBytes = 1100;

/** Monotonic microseconds (one clock for every bot and probe in this process). */
export function monotonicMicros(): number {
  return performance.now() * 1000;
}

export type PacketSink = (packet: RtpPacket) => void;

/** Anything the pacer drives. */
export interface PacedSource {
  readonly periodUs: number;
  nextDueUs: number;
  emit(): void;
  /** Emissions skipped because the pacer fell too far behind. */
  skipped: number;
}

abstract class SyntheticSource implements PacedSource {
  abstract readonly periodUs: number;
  nextDueUs = 0;
  skipped = 0;
  packetsSent = 0;
  bytesSent = 0;
  #sequenceNumber = Math.floor(Math.random() * 0xffff);
  #timestamp = Math.floor(Math.random() * 0xffffffff);
  #probeCounter = 0;
  readonly #sink: PacketSink;
  protected abstract readonly clockRate: number;

  constructor(sink: PacketSink) {
    this.#sink = sink;
  }

  abstract emit(): void;

  /** Makes one packet and hands it over, stamped with the time it is handed over. */
  protected send(prefix: Buffer | undefined, payloadBytes: number, marker: boolean): void {
    const payload = Buffer.alloc(Math.max(payloadBytes, (prefix?.length ?? 0) + probeLength));
    let offset = prefix ? prefix.copy(payload, 0) : 0;
    offset += probeMagic.copy(payload, offset);
    payload.writeDoubleBE(monotonicMicros(), offset);
    payload.writeUInt32BE(this.#probeCounter, offset + 8);
    this.#probeCounter = (this.#probeCounter + 1) >>> 0;
    const header = new RtpHeader({ sequenceNumber: this.#sequenceNumber, timestamp: this.#timestamp, marker, payloadType: 0 });
    this.#sequenceNumber = (this.#sequenceNumber + 1) & 0xffff;
    this.packetsSent += 1;
    this.bytesSent += payload.length;
    this.#sink(new RtpPacket(header, payload));
  }

  protected advanceTimestamp(): void {
    this.#timestamp = (this.#timestamp + Math.round((this.periodUs / 1e6) * this.clockRate)) >>> 0;
  }
}

/** Opus-shaped audio: one 20 ms packet at 32 kbps. */
export class AudioSource extends SyntheticSource {
  readonly periodUs = 20_000;
  protected readonly clockRate = 48_000;
  static readonly bitrate = 32_000;
  /** TOC byte: SILK-only wideband 20 ms, mono, one frame (never mistaken for DTX). */
  static readonly #toc = Buffer.from([0x48]);

  emit(): void {
    this.send(AudioSource.#toc, (AudioSource.bitrate / 8) * (this.periodUs / 1e6), true);
    this.advanceTimestamp();
  }
}

/** One stream of a camera: a single layer, or one simulcast layer. */
export interface VideoStreamPlan {
  bitrate: number;
  framesPerSecond: number;
  /** Temporal layers marked in the VP8 payload descriptor (L1T3: 3); 1 marks none. */
  temporalLayers: number;
}

/**
 * Which temporal layer each frame of a repeating pattern belongs to, and whether it
 * refers only to the base layer (the descriptor's layer-sync bit): libwebrtc's L1T2 and L1T3.
 */
const temporalPatterns: Record<number, readonly (readonly [number, boolean])[]> = {
  1: [[0, false]],
  2: [[0, false], [1, true]],
  3: [[0, false], [2, true], [1, true], [2, false]],
};

/** VP8-shaped video at a fixed bitrate and frame rate; key frames on request and every few seconds. */
export class VideoSource extends SyntheticSource {
  readonly periodUs: number;
  protected readonly clockRate = 90_000;
  readonly #frameBytes: number;
  readonly #framesPerKeyFrame: number;
  readonly #pattern: readonly (readonly [number, boolean])[];
  #frameIndex = 0;
  #patternIndex = 0;
  #pictureId = Math.floor(Math.random() * 0x7fff);
  #tl0PictureIndex = Math.floor(Math.random() * 0xff);
  #keyFrameRequested = true;

  constructor(sink: PacketSink, bitrate: number, framesPerSecond = 30, temporalLayers = 1) {
    super(sink);
    this.periodUs = 1e6 / framesPerSecond;
    this.#frameBytes = Math.round(bitrate / 8 / framesPerSecond);
    this.#framesPerKeyFrame = Math.round(framesPerSecond * 5);
    const pattern = temporalPatterns[temporalLayers];
    if (!pattern) throw new Error(`no temporal pattern for ${temporalLayers} layers`);
    this.#pattern = pattern;
  }

  requestKeyFrame(): void {
    this.#keyFrameRequested = true;
  }

  emit(): void {
    const keyFrame = this.#keyFrameRequested || this.#frameIndex % this.#framesPerKeyFrame === 0;
    this.#keyFrameRequested = false;
    // A key frame starts the temporal pattern afresh, as an encoder does.
    if (keyFrame) this.#patternIndex = 0;
    const [temporalLayer, layerSync] = this.#pattern[this.#patternIndex % this.#pattern.length] ?? [0, false];
    if (temporalLayer === 0) this.#tl0PictureIndex = (this.#tl0PictureIndex + 1) & 0xff;
    // With temporal layers: TL0PICIDX, then TID and the layer-sync bit (RFC 7741, as libwebrtc writes them).
    const temporal = this.#pattern.length > 1 ? [this.#tl0PictureIndex, (temporalLayer << 6) | (layerSync ? 0x20 : 0)] : [];
    const packets = Math.max(1, Math.ceil(this.#frameBytes / maxPayloadBytes));
    const perPacket = Math.ceil(this.#frameBytes / packets);
    for (let index = 0; index < packets; index++) {
      const first = index === 0;
      // Payload descriptor (RFC 7741) with a 15-bit picture id, as browsers send it.
      const extensions = temporal.length > 0 ? 0xe0 : 0x80;
      const descriptor = [first ? 0x90 : 0x80, extensions, 0x80 | (this.#pictureId >> 8), this.#pictureId & 0xff, ...temporal];
      // The first packet starts the VP8 frame header: key frames carry a start code and size.
      const frameHeader = !first ? [] : keyFrame ? [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01] : [0x11, 0x02, 0x00];
      this.send(Buffer.from([...descriptor, ...frameHeader]), perPacket, index === packets - 1);
    }
    this.#pictureId = (this.#pictureId + 1) & 0x7fff;
    this.#frameIndex += 1;
    this.#patternIndex += 1;
    this.advanceTimestamp();
  }
}

/** Packets one participant (audio, and a camera of these streams) should send per second. */
export function packetsPerSecond(camera: readonly Pick<VideoStreamPlan, 'bitrate' | 'framesPerSecond'>[]): number {
  let video = 0;
  for (const { bitrate, framesPerSecond } of camera) {
    const frameBytes = Math.round(bitrate / 8 / framesPerSecond);
    video += framesPerSecond * Math.max(1, Math.ceil(frameBytes / maxPayloadBytes));
  }
  return 1e6 / 20_000 + video;
}

export interface SentCounts {
  packets: number;
  bytes: number;
  skipped: number;
}

/** What these sources have handed over so far. */
export function sentBy(sources: readonly (AudioSource | VideoSource)[]): SentCounts {
  const counts = { packets: 0, bytes: 0, skipped: 0 };
  for (const source of sources) {
    counts.packets += source.packetsSent;
    counts.bytes += source.bytesSent;
    counts.skipped += source.skipped;
  }
  return counts;
}

/**
 * Emits every source on schedule from one timer. When the process falls
 * behind (a garbage collection, a busy moment), each source catches up by at
 * most one emission per tick, as a browser's pacer spreads a backlog instead
 * of sending it at once; send times are stamped when a packet is really
 * handed over, so latency stays honest. Beyond half a second behind, a
 * source gives up on those packets and counts them as skipped.
 */
export class Pacer {
  readonly #sources = new Set<PacedSource>();
  readonly #timer: NodeJS.Timeout;
  /** How late emissions were, in microseconds: a saturated load generator shows here first. */
  readonly lateness = new Samples();

  constructor(tickMs = 5) {
    this.#timer = setInterval(() => this.#tick(), tickMs);
  }

  add(source: PacedSource): void {
    // A random phase, so a hundred streams do not all fire in the same millisecond.
    source.nextDueUs = monotonicMicros() + Math.random() * source.periodUs;
    this.#sources.add(source);
  }

  remove(source: PacedSource): void {
    this.#sources.delete(source);
  }

  close(): void {
    clearInterval(this.#timer);
    this.#sources.clear();
  }

  #tick(): void {
    const now = monotonicMicros();
    for (const source of this.#sources) {
      if (now - source.nextDueUs > 500_000) {
        const missed = Math.floor((now - source.nextDueUs) / source.periodUs);
        source.skipped += missed;
        source.nextDueUs += missed * source.periodUs;
      }
      if (source.nextDueUs <= now) {
        this.lateness.add(now - source.nextDueUs);
        source.emit();
        source.nextDueUs += source.periodUs;
      }
    }
  }
}

/** What one received stream saw during a measurement window. */
export interface WindowCounts {
  received: number;
  expected: number;
  /** RTP payload bytes received (duplicates left out). */
  bytes: number;
}

/** One received stream: counts probes (loss from counter gaps) and records latency into its path. */
export class StreamReceiver {
  readonly #path: PathStats;
  /** Ring of recently seen counters (counter + 1), to ignore duplicates. */
  readonly #seen = new Uint32Array(4096);
  #first: number | undefined;
  #highest = 0;
  #received = 0;
  #bytes = 0;
  #onFirstPacket: (() => void) | undefined;
  readonly kind: 'audio' | 'video';

  constructor(path: PathStats, kind: 'audio' | 'video', onFirstPacket?: () => void) {
    this.#path = path;
    this.kind = kind;
    this.#onFirstPacket = onFirstPacket;
    path.receivers.add(this);
  }

  onPayload(payload: Buffer): void {
    const nowUs = monotonicMicros();
    if (this.#onFirstPacket) {
      this.#onFirstPacket();
      this.#onFirstPacket = undefined;
    }
    const at = payload.indexOf(probeMagic);
    if (at < 0 || at + probeLength > payload.length) {
      this.#path.unmarked += 1;
      return;
    }
    const sentUs = payload.readDoubleBE(at + probeMagic.length);
    const counter = payload.readUInt32BE(at + probeMagic.length + 8);
    const slot = counter % this.#seen.length;
    if (this.#seen[slot] === counter + 1) return;
    this.#seen[slot] = counter + 1;
    if (!this.#path.measuring) return;
    this.#path.latency.add(nowUs - sentUs);
    if (this.#first === undefined || counter < this.#first) this.#first = counter;
    if (counter > this.#highest) this.#highest = counter;
    this.#received += 1;
    this.#bytes += payload.length;
  }

  /** Starts counting afresh. */
  resetWindow(): void {
    this.#first = undefined;
    this.#highest = 0;
    this.#received = 0;
    this.#bytes = 0;
  }

  window(): WindowCounts {
    if (this.#first === undefined) return { received: 0, expected: 0, bytes: 0 };
    return { received: this.#received, expected: this.#highest - this.#first + 1, bytes: this.#bytes };
  }

  close(): void {
    this.#path.receivers.delete(this);
  }
}

/** Every stream received over one path (through the SFU, or the bypass), measured in windows. */
export class PathStats {
  readonly receivers = new Set<StreamReceiver>();
  readonly latency = new Samples();
  measuring = false;
  unmarked = 0;

  beginWindow(): void {
    this.latency.clear();
    for (const receiver of this.receivers) receiver.resetWindow();
    this.measuring = true;
  }

  /** Stops measuring; latency percentiles in milliseconds, loss as a fraction. */
  endWindow(): PathWindow {
    this.measuring = false;
    let received = 0;
    let expected = 0;
    let silentStreams = 0;
    let videoStreams = 0;
    let videoBytes = 0;
    for (const receiver of this.receivers) {
      const counts = receiver.window();
      received += counts.received;
      expected += counts.expected;
      if (counts.received === 0) silentStreams += 1;
      if (receiver.kind === 'video') {
        videoStreams += 1;
        videoBytes += counts.bytes;
      }
    }
    const [p50, p95, p99] = this.latency.percentiles([50, 95, 99]).map((value) => (value === undefined ? undefined : value / 1000));
    return {
      streams: this.receivers.size,
      silentStreams,
      packetsReceived: received,
      packetsExpected: expected,
      loss: expected === 0 ? 0 : Math.max(0, (expected - received) / expected),
      videoStreams,
      videoBytesReceived: videoBytes,
      latencyMs: { p50, p95, p99 },
    };
  }
}

export interface PathWindow {
  streams: number;
  /** Streams that received nothing in the window (a broken consumer, or total loss). */
  silentStreams: number;
  packetsReceived: number;
  packetsExpected: number;
  loss: number;
  /** Received video streams, and the RTP payload bytes they carried in the window. */
  videoStreams: number;
  videoBytesReceived: number;
  latencyMs: { p50: number | undefined; p95: number | undefined; p99: number | undefined };
}
