// The pre-join network check, in the browser: can media reach the server
// directly (its UDP port, its TCP port) and can the TURN relay be reached
// (UDP, TCP, TLS)? Each direct path is tried with a real ICE check against a
// throwaway transport the server opened for us, which also gives the round
// trip; each relay by asking it for an allocation without credentials: a
// relay that answers "who are you?" (401) is reachable, and credentials come
// only with being let in.
import type { NetworkCheckDirectProbe, NetworkCheckPlan, NetworkCheckRelayProbe } from '../../shared/api';

export type PathKind = 'direct-udp' | 'direct-tcp' | 'relay-udp' | 'relay-tcp' | 'relay-tls';

export interface PathCheck {
  path: PathKind;
  reached: boolean;
  /** Direct: the ICE round trip. Relay: how long its first answer took (two round trips or more). */
  ms: number | null;
}

/** good: direct UDP, quick; slow: direct UDP, far or congested; limited: only TCP or the relay; blocked: nothing. */
export type NetworkVerdict = 'good' | 'slow' | 'limited' | 'blocked';

export interface NetworkCheckResult {
  paths: PathCheck[];
  verdict: NetworkVerdict;
  /** The round trip of the best direct path, when one was found. */
  rttMs: number | null;
}

/** Beyond this round trip conversation gets hard (people talk over each other). */
export const slowRttMs = 400;
const attemptMs = 6000;

export function verdictOf(paths: PathCheck[]): Pick<NetworkCheckResult, 'verdict' | 'rttMs'> {
  const reached = (path: PathKind) => paths.find((check) => check.path === path && check.reached);
  const udp = reached('direct-udp');
  if (udp) return { verdict: udp.ms !== null && udp.ms > slowRttMs ? 'slow' : 'good', rttMs: udp.ms };
  const tcp = reached('direct-tcp');
  if (tcp || paths.some((check) => check.reached)) return { verdict: 'limited', rttMs: tcp?.ms ?? null };
  return { verdict: 'blocked', rttMs: null };
}

export async function runNetworkCheck(plan: NetworkCheckPlan): Promise<NetworkCheckResult> {
  const paths = await Promise.all([...plan.direct.map(checkDirect), ...plan.relays.map(checkRelay)]);
  return { paths, ...verdictOf(paths) };
}

/** The far end of a throwaway transport, as an SDP answer to the browser's data-channel offer. */
export function probeAnswer(probe: NetworkCheckDirectProbe, mid: string): string {
  const candidates = probe.iceCandidates.map(
    (candidate) =>
      `a=candidate:${candidate.foundation} 1 ${candidate.protocol} ${candidate.priority} ${candidate.address} ${candidate.port} typ ${candidate.type}${
        candidate.tcpType ? ` tcptype ${candidate.tcpType}` : ''
      }`,
  );
  return [
    'v=0',
    'o=- 1 1 IN IP4 0.0.0.0',
    's=-',
    't=0 0',
    'a=ice-lite',
    `a=group:BUNDLE ${mid}`,
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'c=IN IP4 0.0.0.0',
    `a=mid:${mid}`,
    `a=ice-ufrag:${probe.iceParameters.usernameFragment}`,
    `a=ice-pwd:${probe.iceParameters.password}`,
    `a=fingerprint:${probe.fingerprint.algorithm} ${probe.fingerprint.value}`,
    // The far end would start DTLS, and never does: the check stops at ICE.
    'a=setup:active',
    'a=sctp-port:5000',
    ...candidates,
    'a=end-of-candidates',
    '',
  ].join('\r\n');
}

async function checkDirect(probe: NetworkCheckDirectProbe): Promise<PathCheck> {
  const path: PathKind = probe.protocol === 'udp' ? 'direct-udp' : 'direct-tcp';
  const connection = new RTCPeerConnection({ iceServers: [] });
  try {
    connection.createDataChannel('network-check');
    await connection.setLocalDescription(await connection.createOffer());
    const mid = /a=mid:(\S+)/.exec(connection.localDescription?.sdp ?? '')?.[1] ?? '0';
    await connection.setRemoteDescription({ type: 'answer', sdp: probeAnswer(probe, mid) });
    const rtt = await firstRoundTrip(connection, attemptMs);
    return { path, reached: rtt !== undefined, ms: rtt ?? null };
  } catch {
    return { path, reached: false, ms: null };
  } finally {
    connection.close();
  }
}

/** The round trip of the first candidate pair that got an answer, in ms; undefined if none did in time. */
async function firstRoundTrip(connection: RTCPeerConnection, withinMs: number): Promise<number | undefined> {
  const deadline = performance.now() + withinMs;
  while (performance.now() < deadline) {
    const report = await connection.getStats();
    for (const entry of report.values() as IterableIterator<RTCIceCandidatePairStats>) {
      if (entry.type !== 'candidate-pair' || !entry.responsesReceived) continue;
      const seconds = entry.currentRoundTripTime ?? (entry.totalRoundTripTime ?? 0) / entry.responsesReceived;
      return Math.max(1, Math.round(seconds * 1000));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return undefined;
}

function checkRelay(relay: NetworkCheckRelayProbe): Promise<PathCheck> {
  const path: PathKind = `relay-${relay.protocol}`;
  // Deliberately not a credential: the relay refuses it, and that answer is what we wait for.
  const connection = new RTCPeerConnection({ iceServers: [{ urls: relay.url, username: 'network-check', credential: 'none' }], iceTransportPolicy: 'relay' });
  const startedAt = performance.now();
  return new Promise<PathCheck>((resolve) => {
    let finished = false;
    const finish = (reached: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      connection.close();
      resolve({ path, reached, ms: reached ? Math.round(performance.now() - startedAt) : null });
    };
    const timer = setTimeout(() => finish(false), attemptMs);
    connection.addEventListener('icecandidateerror', (event) => {
      // 300-699: the relay answered (with an error, as it must without credentials); 701: nothing answered.
      if (event.errorCode >= 300 && event.errorCode <= 699) finish(true);
    });
    connection.addEventListener('icegatheringstatechange', () => {
      // Done trying every interface without an answer (errors come before this).
      if (connection.iceGatheringState === 'complete') setTimeout(() => finish(false), 250);
    });
    connection.createDataChannel('network-check');
    connection.setLocalDescription().catch(() => finish(false));
  });
}
