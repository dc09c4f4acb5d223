// A coarse connection quality from WebRTC statistics, for the indicator on
// each tile: what people need is "fine", "shaky", "bad" or "nothing is
// arriving", not numbers.

/** 'lost': media that should be flowing has stopped (a connection interrupted). */
export type ConnectionQuality = 'good' | 'fair' | 'poor' | 'lost';

/** How long media that should flow may stay silent before we call the connection interrupted. */
export const stallAfterMs = 2000;

/**
 * Whether a stream that should be flowing has stalled: no packet for
 * `stallAfterMs`. `lastProgressAt` is when its packet count last went up (or
 * when we started receiving it).
 */
export function hasStalled(lastProgressAt: number, now: number): boolean {
  return now - lastProgressAt >= stallAfterMs;
}

export interface ReceiveSample {
  packetsReceived: number;
  packetsLost: number;
}

/** Quality of what we receive, from two samples of one inbound stream. */
export function receiveQuality(previous: ReceiveSample, current: ReceiveSample): ConnectionQuality | undefined {
  const received = current.packetsReceived - previous.packetsReceived;
  const lost = Math.max(0, current.packetsLost - previous.packetsLost);
  if (received + lost === 0) return undefined; // nothing expected (muted, camera off) or nothing yet
  return classify(lost / (received + lost), undefined);
}

/** Quality of what we send, from the receiver's reports (loss fraction 0..1, round trip in seconds). */
export function sendQuality(fractionLost: number | undefined, roundTripTime: number | undefined): ConnectionQuality | undefined {
  if (fractionLost === undefined && roundTripTime === undefined) return undefined;
  return classify(fractionLost ?? 0, roundTripTime);
}

function classify(lossRate: number, roundTripTime: number | undefined): ConnectionQuality {
  const rtt = roundTripTime ?? 0;
  if (lossRate < 0.02 && rtt < 0.3) return 'good';
  if (lossRate < 0.08 && rtt < 0.6) return 'fair';
  return 'poor';
}

/** Reads the first stats entry of a type from an RTCStatsReport. */
export function statsOfType(report: RTCStatsReport, type: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  report.forEach((entry: Record<string, unknown>) => {
    if (entry['type'] === type) found.push(entry);
  });
  return found;
}
