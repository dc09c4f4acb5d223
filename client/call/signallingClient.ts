// A typed Socket.IO connection with promise-based requests: `request('join',
// payload)` resolves with the acknowledgement's data or rejects with a
// RequestFailure carrying the server's refusal code.
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol';
import type { RequestArgs, ResponseOf } from '../../shared/requests';
import { RequestFailure } from '../api/requestFailure';

export type ConsiliumSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long to wait for any acknowledgement before giving up. */
const requestTimeoutMs = 15_000;

/** Sends one request and resolves with the answer's data, or rejects with a RequestFailure. */
export type Requester = <E extends keyof ClientToServerEvents>(event: E, ...args: RequestArgs<E>) => Promise<ResponseOf<E>>;

export function connectSignalling(): ConsiliumSocket {
  // Socket.IO retries by itself, for as long as the page is open; the session decides what to do when back.
  return io({ autoConnect: true, reconnection: true, reconnectionDelay: 500, reconnectionDelayMax: 3000 });
}

export async function request<E extends keyof ClientToServerEvents>(
  socket: ConsiliumSocket,
  event: E,
  ...args: RequestArgs<E>
): Promise<ResponseOf<E>> {
  let response: Ack<ResponseOf<E>>;
  try {
    // Socket.IO's typing cannot follow the generic event; the shapes are
    // guaranteed by RequestArgs/ResponseOf above.
    const emitter = socket.timeout(requestTimeoutMs) as unknown as {
      emitWithAck(event: string, ...payload: unknown[]): Promise<Ack<ResponseOf<E>>>;
    };
    response = await emitter.emitWithAck(event, ...args);
  } catch {
    throw new RequestFailure('timeout', `no answer to ${event}`);
  }
  if (!response.ok) throw new RequestFailure(response.error.code, response.error.message);
  return response;
}
