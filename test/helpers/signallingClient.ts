// A raw Socket.IO client for integration tests: sends exactly what it is
// given (including malformed payloads) and returns the server's raw answer.
import assert from 'node:assert/strict';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol';
import type { ProduceRequest } from '../../shared/schemas';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** `headers`: more handshake headers, such as the Origin a browser page would send. */
export async function connect(port: number, cookie?: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  const extraHeaders = { ...headers, ...(cookie ? { cookie } : {}) };
  const socket: TestSocket = io(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Emits `event` with `args` and resolves with the acknowledgement as sent. */
export function ask<T extends object = Record<string, unknown>>(socket: TestSocket, event: string, ...args: unknown[]): Promise<Ack<T>> {
  const untyped = socket.timeout(5000) as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<Ack<T>> };
  return untyped.emitWithAck(event, ...args);
}

/** Fails the test unless the server refused with `code`. */
export function assertRefusal(response: { ok: boolean; error?: { code: string } }, code: string, what: string): void {
  assert.equal(response.ok, false, `${what} was accepted`);
  assert.equal(response.error?.code, code, what);
}

/** Like ask, but fails the test unless the server said ok. */
export async function expectOk<T extends object = Record<string, unknown>>(
  socket: TestSocket,
  event: string,
  ...args: unknown[]
): Promise<T> {
  const response = await ask<T>(socket, event, ...args);
  if (!response.ok) throw new Error(`${event} refused: ${response.error.code} ${response.error.message}`);
  return response;
}

export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    // typescript-eslint and tsc disagree on this generic event name; tsc needs it as a plain string.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    (socket as unknown as Socket).once(event as string, (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** RTP parameters for a fake Opus microphone, as a browser would send them. */
export function opusRtpParameters(ssrc: number): ProduceRequest['rtpParameters'] {
  return {
    mid: '0',
    codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } }],
    headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 }],
    encodings: [{ ssrc }],
    rtcp: { cname: `cname-${ssrc}`, reducedSize: true },
  };
}

/** RTP parameters for a fake VP8 camera sending three simulcast layers, as a browser would send them. */
export function vp8RtpParameters(firstSsrc: number): ProduceRequest['rtpParameters'] {
  return {
    mid: '1',
    codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }, { type: 'ccm', parameter: 'fir' }] }],
    headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 }],
    encodings: [0, 1, 2].map((layer) => ({ ssrc: firstSsrc + layer, scalabilityMode: 'L1T3' })),
    rtcp: { cname: `cname-${firstSsrc}`, reducedSize: true },
  };
}
