// Grades each remote participant by what we receive from them, and ourselves
// by what we send, from WebRTC statistics; notices when media that should be
// flowing has stopped ('lost': a connection interrupted, theirs or ours).
// Video that is meant to be silent (a hidden tile, audio only, a link that
// cannot carry video) is not taken for a lost connection. Also reads how our
// link carries what it carries, both ways, for the link guards.
import type { Consumer, Transport } from 'mediasoup-client/types';
import { hasStalled, receiveQuality, sendQuality, statsOfType, type ConnectionQuality, type ReceiveSample } from './connectionQuality';
import type { SessionState } from './sessionState';

export interface QualitySources {
  consumers: ReadonlyMap<string, { consumer: Consumer; participantId: string }>;
  sendTransport: () => Transport | undefined;
  /** Whether we asked the server to hold this video back (its tile is out of sight). */
  isHidden: (consumerId: string) => boolean;
}

/**
 * How our downlink carried the last second: packets lost and speech concealed, each from the
 * person who fared best (what one person's own weak uplink loses, everyone loses of them: only
 * what is lost of everyone is ours), and whether any video is meant to come to us (then holding it
 * back can help; whether it arrives says little: on a jammed link none may).
 */
export interface DownlinkReading {
  /** Undefined when nothing at all arrived or went missing (a link gone quiet is judged by recovery). */
  lossFraction: number | undefined;
  concealedFraction: number;
  videoWanted: boolean;
}

/** How our uplink carries what we send: the browser's estimate of its room, and the loss the server reports. */
export interface UplinkReading {
  estimate: number | undefined;
  /** Of what we send, the share lost on its way to the server (undefined: not known, no video going out). */
  lossFraction: number | undefined;
}

export interface LinkReadings {
  quality: Record<string, ConnectionQuality>;
  downlink: DownlinkReading;
  uplink: UplinkReading | undefined;
}

interface StreamSample extends ReceiveSample {
  concealedSamples: number;
  totalSamplesReceived: number;
}

export class QualityMonitor {
  readonly #sources: QualitySources;
  readonly #lastReceiveSamples = new Map<string, ReceiveSample>();
  /** Per consumer: its counters at the last reading, for the link readings. */
  readonly #lastStreamSamples = new Map<string, StreamSample>();
  /** Per consumer: when its packet count last went up, or when it began to be expected. */
  readonly #lastProgress = new Map<string, { packets: number; at: number }>();
  /** The consumers whose media was expected at the last reading. */
  #expectedBefore = new Set<string>();

  constructor(sources: QualitySources) {
    this.#sources = sources;
  }

  /** The grades by participant id ('self' for what we send), and how our link carries what it carries. */
  async measure(state: SessionState): Promise<LinkReadings> {
    const now = Date.now();
    const quality: Record<string, ConnectionQuality> = {};
    const bySender = new Map<string, { received: number; lost: number; samples: number; concealed: number }>();
    let videoWanted = false;
    let uplink: UplinkReading | undefined;
    const expected = expectedKinds(state);
    const expectedNow = new Set<string>();
    let flowing = 0;
    let stalled = 0;
    for (const [consumerId, { consumer, participantId }] of this.#sources.consumers) {
      const inbound = statsOfType(await consumer.getStats(), 'inbound-rtp')[0];
      const sample = { packetsReceived: Number(inbound?.['packetsReceived'] ?? 0), packetsLost: Number(inbound?.['packetsLost'] ?? 0) };
      const streamSample = {
        ...sample,
        concealedSamples: Number(inbound?.['concealedSamples'] ?? 0) - Number(inbound?.['silentConcealedSamples'] ?? 0),
        totalSamplesReceived: Number(inbound?.['totalSamplesReceived'] ?? 0),
      };
      const before = this.#lastStreamSamples.get(consumerId);
      this.#lastStreamSamples.set(consumerId, streamSample);
      if (before) {
        const totals = bySender.get(participantId) ?? { received: 0, lost: 0, samples: 0, concealed: 0 };
        bySender.set(participantId, totals);
        totals.received += Math.max(0, streamSample.packetsReceived - before.packetsReceived);
        totals.lost += Math.max(0, streamSample.packetsLost - before.packetsLost);
        totals.samples += Math.max(0, streamSample.totalSamplesReceived - before.totalSamplesReceived);
        totals.concealed += Math.max(0, streamSample.concealedSamples - before.concealedSamples);
      }
      const isExpected = expected.get(participantId)?.has(consumer.kind) === true && !this.#sources.isHidden(consumerId);
      if (consumer.kind === 'video' && !this.#sources.isHidden(consumerId) && videoMeantFrom(state.participants.find((candidate) => candidate.id === participantId), state)) videoWanted = true;
      const progress = this.#lastProgress.get(consumerId);
      // Just began, or back after a silence we asked for: it gets its time to arrive.
      if (!progress || sample.packetsReceived > progress.packets || (isExpected && !this.#expectedBefore.has(consumerId))) {
        this.#lastProgress.set(consumerId, { packets: sample.packetsReceived, at: now });
      }
      if (isExpected) {
        expectedNow.add(consumerId);
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
    this.#expectedBefore = expectedNow;
    const sendTransport = this.#sources.sendTransport();
    const sendState = sendTransport?.connectionState;
    if (sendState === 'disconnected' || sendState === 'failed' || (stalled > 0 && flowing === 0)) {
      // Everything stopped at once, or our own path is down: it is our connection.
      quality['self'] = 'lost';
    } else if (sendTransport) {
      const report = await sendTransport.getStats();
      const reports = statsOfType(report, 'remote-inbound-rtp');
      // Only the video's reports tell the loss on our own link: to an Opus sender the media server
      // reports the worst loss among those who hear it (so that its FEC covers them), which is
      // someone else's downlink. With no video going out, our own loss is not known.
      const ownLinkReports = reports.filter((entry) => entry['kind'] === 'video');
      const ownLoss = ownLinkReports.length ? Math.max(...ownLinkReports.map((entry) => Number(entry['fractionLost'] ?? 0))) : undefined;
      if (sendState === 'connected') uplink = { estimate: availableOutgoingBitrate(report), lossFraction: ownLoss };
      const rtts = reports.map((report) => report['roundTripTime']).filter((value): value is number => typeof value === 'number');
      const graded = sendQuality(ownLoss, rtts.length ? Math.max(...rtts) : undefined);
      if (graded) quality['self'] = graded;
    }
    for (const consumerId of [...this.#lastProgress.keys()]) {
      if (this.#sources.consumers.has(consumerId)) continue;
      this.#lastProgress.delete(consumerId);
      this.#lastReceiveSamples.delete(consumerId);
      this.#lastStreamSamples.delete(consumerId);
    }
    const senders = [...bySender.values()];
    const losses = senders.filter((totals) => totals.received + totals.lost > 0).map((totals) => totals.lost / (totals.received + totals.lost));
    const concealments = senders.filter((totals) => totals.samples > 0).map((totals) => totals.concealed / totals.samples);
    const downlink = {
      lossFraction: losses.length ? Math.min(...losses) : undefined,
      concealedFraction: concealments.length ? Math.min(...concealments) : 0,
      videoWanted,
    };
    return { quality, downlink, uplink };
  }
}

/** The browser's estimate of the room on its uplink (its selected candidate pair's). */
function availableOutgoingBitrate(report: RTCStatsReport): number | undefined {
  let estimate: number | undefined;
  report.forEach((entry: Record<string, unknown>) => {
    if (entry['type'] !== 'transport' || typeof entry['selectedCandidatePairId'] !== 'string') return;
    const pair = report.get(entry['selectedCandidatePairId']) as Record<string, unknown> | undefined;
    const value = pair?.['availableOutgoingBitrate'];
    if (typeof value === 'number') estimate = value;
  });
  return estimate;
}

/**
 * What each remote participant should be sending us now: audio unless muted; video unless
 * their camera is off, or video is held back on their link or ours (by a guard, or by the server's
 * congestion control), or either of us chose audio only.
 */
function expectedKinds(state: SessionState): Map<string, Set<'audio' | 'video'>> {
  const expected = new Map<string, Set<'audio' | 'video'>>();
  for (const participant of state.participants) {
    const kinds = new Set<'audio' | 'video'>();
    if (!participant.audioMuted) kinds.add('audio');
    const forwarded = state.forwardedVideo[participant.id] !== 'none';
    if (videoMeantFrom(participant, state) && !state.receivingHeldBack && forwarded) kinds.add('video');
    expected.set(participant.id, kinds);
  }
  return expected;
}

/** Whether `participant`'s video is meant to come to us, our own downlink aside (its guard judges whether to hold it back). */
function videoMeantFrom(participant: SessionState['participants'][number] | undefined, state: SessionState): boolean {
  return participant !== undefined && !participant.videoOff && !participant.audioOnly && !participant.videoHeldBack && !state.audioOnly;
}

function rank(quality: ConnectionQuality): number {
  return quality === 'lost' ? -1 : quality === 'poor' ? 0 : quality === 'fair' ? 1 : 2;
}
