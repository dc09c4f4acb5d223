// Code run inside the browser page. Kept as source text: functions passed to
// page.evaluate would be transpiled by the test loader, which can add helpers
// that do not exist in the page.
import type { Page } from 'puppeteer-core';

/** Installed before the app loads: remembers every RTCPeerConnection it makes. */
export const recordPeerConnections = `
  (() => {
    const Native = window.RTCPeerConnection;
    const created = [];
    window.__consiliumPeerConnections = created;
    window.RTCPeerConnection = class extends Native {
      constructor(...args) {
        super(...args);
        created.push(this);
      }
    };
  })();
`;

export interface TileMedia {
  participantId: string;
  role: string;
  name: string;
  videoTrackId: string | null;
  audioTrackId: string | null;
  framesDecoded: number;
  /** The height of the frames now received (0 before the first). */
  frameHeight: number;
  totalSamplesReceived: number;
  /** Audio samples the receiver had to invent for lost or late packets (silence excluded). */
  concealedSamples: number;
  videoBytesReceived: number;
}

/**
 * For each remote tile on the page: the inbound RTP statistics of exactly the
 * video and audio tracks that tile shows and plays (matched by track id).
 */
export function remoteTileMedia(page: Page): Promise<TileMedia[]> {
  return page.evaluate(`
    (async () => {
      const inbound = [];
      for (const pc of window.__consiliumPeerConnections ?? []) {
        if (pc.connectionState === 'closed') continue;
        const report = await pc.getStats();
        report.forEach((entry) => { if (entry.type === 'inbound-rtp') inbound.push(entry); });
      }
      return [...document.querySelectorAll('.tiles .tile')].map((tile) => {
        const video = tile.querySelector('video');
        const audio = tile.querySelector('audio');
        const videoTrackId = video && video.srcObject ? video.srcObject.getVideoTracks()[0]?.id ?? null : null;
        const audioTrackId = audio && audio.srcObject ? audio.srcObject.getAudioTracks()[0]?.id ?? null : null;
        const videoStats = inbound.find((s) => s.kind === 'video' && s.trackIdentifier === videoTrackId);
        const audioStats = inbound.find((s) => s.kind === 'audio' && s.trackIdentifier === audioTrackId);
        return {
          participantId: tile.dataset.participantId,
          role: tile.dataset.role,
          name: tile.querySelector('.tile-name')?.textContent ?? '',
          videoTrackId,
          audioTrackId,
          framesDecoded: videoStats?.framesDecoded ?? 0,
          frameHeight: videoStats?.frameHeight ?? 0,
          totalSamplesReceived: audioStats?.totalSamplesReceived ?? 0,
          concealedSamples: (audioStats?.concealedSamples ?? 0) - (audioStats?.silentConcealedSamples ?? 0),
          videoBytesReceived: videoStats?.bytesReceived ?? 0,
        };
      });
    })()
  `) as Promise<TileMedia[]>;
}

/** The media of `role`'s tile on `page`. */
export async function tileOf(page: Page, role: string): Promise<TileMedia> {
  const tile = (await remoteTileMedia(page)).find((candidate) => candidate.role === role);
  if (!tile) throw new Error(`no tile for the ${role}`);
  return tile;
}

/**
 * Concealed speech over a window, as a share of the samples played: Opus hides
 * a lost 20 ms packet well, and listeners begin to hear gaps in speech above a
 * few per cent of concealment (WebRTC's own "poor audio" heuristics start at
 * 5 %). Below that bound the voice is continuous.
 */
export const concealmentBound = 0.05;

/** What share of the speech `page` played from `role` over `ms` was concealed. */
export async function concealedShare(page: Page, role: string, ms: number): Promise<number> {
  const before = await tileOf(page, role);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = await tileOf(page, role);
  const played = after.totalSamplesReceived - before.totalSamplesReceived;
  if (played <= 0) throw new Error(`audio from the ${role} stopped`);
  return (after.concealedSamples - before.concealedSamples) / played;
}

/** The bits a second of `role`'s video that `page` received over `ms`. */
export async function videoBitrate(page: Page, role: string, ms: number): Promise<number> {
  const before = await tileOf(page, role);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = await tileOf(page, role);
  return ((after.videoBytesReceived - before.videoBytesReceived) * 8 * 1000) / ms;
}

/** Video frames decoded over all of the page's peer connections (whatever its tiles show). */
export function decodedVideoFrames(page: Page): Promise<number> {
  return inboundTotal(page, 'framesDecoded', 'video');
}

/** The text each remote tile shows, by role. */
export function tileTexts(page: Page): Promise<Record<string, string>> {
  return page.evaluate(`
    Object.fromEntries([...document.querySelectorAll('.tiles .tile')].map((tile) => [tile.dataset.role, tile.textContent ?? '']))
  `) as Promise<Record<string, string>>;
}

/** Inbound RTP packets over all of the page's peer connections. */
export function inboundPacketCount(page: Page): Promise<number> {
  return inboundTotal(page, 'packetsReceived');
}

/** The sum of one inbound-rtp counter over all of the page's open peer connections (of one kind, or all). */
function inboundTotal(page: Page, counter: 'packetsReceived' | 'framesDecoded', kind?: 'audio' | 'video'): Promise<number> {
  return page.evaluate(`
    (async () => {
      let total = 0;
      for (const pc of window.__consiliumPeerConnections ?? []) {
        if (pc.connectionState === 'closed') continue;
        const report = await pc.getStats();
        report.forEach((entry) => {
          if (entry.type === 'inbound-rtp' && (${JSON.stringify(kind ?? null)} === null || entry.kind === ${JSON.stringify(kind ?? null)})) total += entry.${counter} ?? 0;
        });
      }
      return total;
    })()
  `) as Promise<number>;
}

export function remoteTileCount(page: Page): Promise<number> {
  return page.evaluate(`document.querySelectorAll('.tiles .tile').length`) as Promise<number>;
}

export interface SharedViewState {
  documentId: string;
  page: number;
  zoom: number;
  series: number;
  slice: number;
  window: string;
  renderedPage: string | null;
  renderedSlice: string | null;
  renderedWindow: string | null;
}

/** What the page's document viewer shows: the shared view, and what its canvas last drew. */
export function sharedView(page: Page): Promise<SharedViewState | null> {
  return page.evaluate(`
    (() => {
      const viewport = document.querySelector('.viewer-viewport');
      if (!viewport) return null;
      const canvas = viewport.querySelector('.document-canvas');
      return {
        documentId: viewport.dataset.documentId,
        page: Number(viewport.dataset.page),
        zoom: Number(viewport.dataset.zoom),
        series: Number(viewport.dataset.series),
        slice: Number(viewport.dataset.slice),
        window: viewport.dataset.window,
        renderedPage: canvas?.dataset.renderedPage ?? null,
        renderedSlice: canvas?.dataset.renderedSlice ?? null,
        renderedWindow: canvas?.dataset.renderedWindow ?? null,
      };
    })()
  `) as Promise<SharedViewState | null>;
}

/** The colour drawn at a point of the shown page (fractions of its width and height), as RGB. */
export function viewerPixelAt(page: Page, point: { x: number; y: number }): Promise<[number, number, number]> {
  return page.evaluate(`
    (() => {
      const viewport = document.querySelector('.viewer-viewport');
      const canvas = viewport.querySelector('.document-canvas');
      const rect = JSON.parse(viewport.dataset.pageRect);
      const ratio = canvas.width / canvas.clientWidth;
      const x = Math.round((rect.left + ${point.x} * rect.width) * ratio);
      const y = Math.round((rect.top + ${point.y} * rect.height) * ratio);
      const [r, g, b] = canvas.getContext('2d').getImageData(x, y, 1, 1).data;
      return [r, g, b];
    })()
  `) as Promise<[number, number, number]>;
}

/** What each remote tile says about its person's connection ('Connection interrupted', 'Reconnecting…'), by role. */
export function tileStates(page: Page): Promise<{ role: string; states: string[] }[]> {
  return page.evaluate(`
    [...document.querySelectorAll('.tiles .tile')].map((tile) => ({
      role: tile.dataset.role,
      states: [...tile.querySelectorAll('.tile-state')].map((state) => state.textContent ?? ''),
    }))
  `) as Promise<{ role: string; states: string[] }[]>;
}

/** The local end of a WebRTC transport's selected, working candidate pair, as getStats() reports it. */
export interface SelectedPath {
  /** 'host', 'srflx', 'prflx' or 'relay'. */
  candidateType: string;
  /** 'udp' or 'tcp': between the browser and the far end (for a relay, the TURN server). */
  protocol: string;
  /** For a relay: how the browser reaches the TURN server ('udp', 'tcp' or 'tls'). */
  relayProtocol: string | null;
}

/** The selected candidate pair of each of the page's open WebRTC connections. */
export function selectedPaths(page: Page): Promise<SelectedPath[]> {
  return page.evaluate(`
    (async () => {
      const paths = [];
      for (const pc of window.__consiliumPeerConnections ?? []) {
        if (pc.connectionState === 'closed') continue;
        const report = await pc.getStats();
        report.forEach((entry) => {
          if (entry.type !== 'transport' || !entry.selectedCandidatePairId) return;
          const pair = report.get(entry.selectedCandidatePairId);
          const local = pair && report.get(pair.localCandidateId);
          if (local && pair.state === 'succeeded') {
            paths.push({ candidateType: local.candidateType, protocol: local.protocol, relayProtocol: local.relayProtocol ?? null });
          }
        });
      }
      return paths;
    })()
  `) as Promise<SelectedPath[]>;
}

/** Every candidate pair of the page's open connections, one line each, for a failure message. */
export function candidatePairsReport(page: Page): Promise<string> {
  return page.evaluate(`
    (async () => {
      const lines = [];
      for (const pc of window.__consiliumPeerConnections ?? []) {
        if (pc.connectionState === 'closed') continue;
        const report = await pc.getStats();
        report.forEach((entry) => {
          if (entry.type !== 'candidate-pair') return;
          const local = report.get(entry.localCandidateId) ?? {};
          const remote = report.get(entry.remoteCandidateId) ?? {};
          lines.push([local.candidateType, local.protocol, local.relayProtocol ?? '', '->', remote.candidateType, remote.protocol, remote.port, entry.state, entry.nominated ? 'nominated' : '', 'req', entry.requestsSent, 'resp', entry.responsesReceived, 'rtt', entry.currentRoundTripTime].join(' '));
        });
        lines.push('--');
      }
      return lines.join('\\n');
    })()
  `) as Promise<string>;
}

/** The transport protocol ('udp' or 'tcp') of each open connection's selected pair. */
export async function selectedPathProtocols(page: Page): Promise<string[]> {
  return (await selectedPaths(page)).map((path) => path.protocol);
}

/** Resolves once the page has decoded ten more frames of `role`'s video; fails after `timeoutMs` with `what`. */
export function videoFlows(page: Page, role: string, what: string, timeoutMs = 40_000): Promise<void> {
  return keepsGrowing(page, role, (tile) => tile.framesDecoded, 10, `${what}: video from the ${role}`, timeoutMs);
}

/** Resolves once the page has received a tenth of a second more of `role`'s audio; fails after `timeoutMs` with `what`. */
export function audioFlows(page: Page, role: string, what: string, timeoutMs = 40_000): Promise<void> {
  return keepsGrowing(page, role, (tile) => tile.totalSamplesReceived, 4800, `${what}: audio from the ${role}`, timeoutMs);
}

async function keepsGrowing(page: Page, role: string, measure: (tile: TileMedia) => number, by: number, what: string, timeoutMs: number): Promise<void> {
  const current = async (): Promise<number> => {
    const tile = (await remoteTileMedia(page)).find((candidate) => candidate.role === role);
    return tile ? measure(tile) : 0;
  };
  const start = await current();
  const deadline = Date.now() + timeoutMs;
  while ((await current()) <= start + by) {
    if (Date.now() > deadline) throw new Error(`${what} stopped at ${start}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The bitrate cap on the page's microphone sender (null: none, Opus at its usual rate). */
export function voiceSendCap(page: Page): Promise<number | null> {
  return page.evaluate(`
    (() => {
      for (const pc of window.__consiliumPeerConnections ?? []) {
        if (pc.connectionState === 'closed') continue;
        const sender = pc.getSenders().find((candidate) => candidate.track?.kind === 'audio');
        if (sender) return sender.getParameters().encodings[0]?.maxBitrate ?? null;
      }
      return null;
    })()
  `) as Promise<number | null>;
}
