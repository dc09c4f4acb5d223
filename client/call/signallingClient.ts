// A typed Socket.IO connection with promise-based requests: `request('join',
// payload)` resolves with the acknowledgement's data or rejects with a
// RequestError carrying the server's error code.
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ErrorCode, ServerToClientEvents } from '../../shared/protocol';

export type ConsiliumSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long to wait for any acknowledgement before giving up. */
const requestTimeoutMs = 15_000;

export class RequestError extends Error {
  override name = 'RequestError';
  readonly code: ErrorCode | 'timeout';

  constructor(code: ErrorCode | 'timeout', message: string) {
    super(message);
    this.code = code;
  }
}

type AckData<E extends keyof ClientToServerEvents> =
  Parameters<ClientToServerEvents[E]> extends [...unknown[], (response: Ack<infer T>) => void] ? T : never;
type RequestArgs<E extends keyof ClientToServerEvents> =
  Parameters<ClientToServerEvents[E]> extends [infer P, (response: never) => void] ? [payload: P] : [];

/** Gives up on a lost connection after this long (the server keeps our place as long). */
export const reconnectWindowMs = 60_000;

export function connectSignalling(): ConsiliumSocket {
  // Socket.IO retries by itself; the session gives up after reconnectWindowMs.
  return io({ autoConnect: true, reconnection: true, reconnectionDelay: 500, reconnectionDelayMax: 3000 });
}

export async function request<E extends keyof ClientToServerEvents>(
  socket: ConsiliumSocket,
  event: E,
  ...args: RequestArgs<E>
): Promise<AckData<E>> {
  let response: Ack<AckData<E>>;
  try {
    // Socket.IO's typing cannot follow the generic event; the shapes are
    // guaranteed by RequestArgs/AckData above.
    const emitter = socket.timeout(requestTimeoutMs) as unknown as {
      emitWithAck(event: string, ...payload: unknown[]): Promise<Ack<AckData<E>>>;
    };
    response = await emitter.emitWithAck(event, ...args);
  } catch {
    throw new RequestError('timeout', `no answer to ${event}`);
  }
  if (!response.ok) throw new RequestError(response.error.code, response.error.message);
  return response;
}
