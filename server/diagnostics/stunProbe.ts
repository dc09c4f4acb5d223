// Asks a STUN/TURN server for a binding (RFC 8489), over UDP, TCP or TLS,
// the way a browser first talks to it: an answer proves the server is there
// and speaks STUN on that port (not some other service), and gives the
// round-trip time. Binding requests need no credentials.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isIP, connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

export type StunTransport = 'udp' | 'tcp' | 'tls';

export type StunProbeResult = { ok: true; rttMs: number } | { ok: false; reason: string };

const magicCookie = 0x2112a442;
const bindingRequest = 0x0001;
const bindingSuccess = 0x0101;

function bindingRequestMessage(transactionId: Buffer): Buffer {
  const message = Buffer.alloc(20);
  message.writeUInt16BE(bindingRequest, 0);
  message.writeUInt16BE(0, 2);
  message.writeUInt32BE(magicCookie, 4);
  transactionId.copy(message, 8);
  return message;
}

/** Whether `data` begins with a binding success answering `transactionId`. */
export function isBindingSuccess(data: Buffer, transactionId: Buffer): boolean {
  return data.length >= 20 && data.readUInt16BE(0) === bindingSuccess && data.readUInt32BE(4) === magicCookie && data.subarray(8, 20).equals(transactionId);
}

export interface StunProbeOptions {
  timeoutMs?: number;
  /** For TLS: certificate authorities to trust instead of the system's (tests). */
  ca?: Buffer | undefined;
}

export function stunProbe(host: string, port: number, transport: StunTransport, { timeoutMs = 3000, ca }: StunProbeOptions = {}): Promise<StunProbeResult> {
  const transactionId = randomBytes(12);
  const request = bindingRequestMessage(transactionId);
  return new Promise((resolve) => {
    const startedAt = performance.now();
    let close = () => undefined as void;
    let settled = false;
    const settle = (result: StunProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      close();
      resolve(result);
    };
    const timer = setTimeout(() => settle({ ok: false, reason: `no answer within ${timeoutMs / 1000} s` }), timeoutMs);
    const fromAnswer = (data: Buffer): StunProbeResult =>
      isBindingSuccess(data, transactionId)
        ? { ok: true, rttMs: Math.round(performance.now() - startedAt) }
        : { ok: false, reason: 'something answered, but not a STUN/TURN server' };

    if (transport === 'udp') {
      const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
      close = () => socket.close();
      socket.on('message', (data) => settle(fromAnswer(data)));
      socket.on('error', (error) => settle({ ok: false, reason: error.message }));
      socket.send(request, port, host);
      return;
    }

    const socket: Socket =
      transport === 'tls'
        ? connectTls({ host, port, ...(isIP(host) ? {} : { servername: host }), ...(ca ? { ca } : {}) }, () => socket.write(request))
        : connectTcp({ host, port }, () => socket.write(request));
    close = () => socket.destroy();
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 20) settle(fromAnswer(received));
    });
    socket.on('error', (error) => settle({ ok: false, reason: error.message }));
    socket.on('end', () => settle({ ok: false, reason: 'the connection was closed without an answer' }));
  });
}
