// The signalling side of a consult session: the Socket.IO connection, joining
// (and waiting behind another window holding our link), and coming back by
// itself after any interruption: within the server's grace period as the same
// participant (`resume`); after it, or after a server restart, by joining
// again (someone the doctor let in before goes straight back in). Requests
// made while we are away wait until we are back; a request that got no
// answer, or a server too busy to give one, is asked again; only a refusal
// that no retry can change (the link withdrawn or expired, the consult
// ended, removed) ends the session.
import type { JoinResponse, ResumeResponse } from '../../shared/protocol';
import type { JoinRequest } from '../../shared/schemas';
import { failureCodeOf, isPassingFailure } from '../api/requestFailure';
import type { SessionFailure, SessionStore } from './sessionState';
import { connectSignalling, request, type ConsiliumSocket, type Requester } from './signallingClient';

/** How often to ask again while our link is open elsewhere, or while a request gets no answer. */
export const retryMs = 3000;

/** How many times a first join is asked again after no answer, or a busy server. */
const firstJoinRetries = 3;

/** Refusals after which joining again is pointless: they end the session. */
const finalRefusals = new Set<string>([
  'link-invalid',
  'link-expired',
  'link-revoked',
  'consult-ended',
  'unauthenticated',
  'forbidden',
  'not-found',
  'invalid-payload',
]);

export interface SignallingEvents {
  /** We are the same participant again, on a new connection. */
  resumed(view: ResumeResponse): Promise<void>;
  /** Our place was gone (the grace period passed, or the server restarted): we joined afresh. */
  rejoined(joined: JoinResponse): Promise<void>;
  /** Nothing more can be done. */
  failed(failure: SessionFailure, cause: unknown): void;
}

export class SignallingConnection {
  readonly socket: ConsiliumSocket;
  readonly #store: SessionStore;
  readonly #events: SignallingEvents;
  #details: JoinRequest | undefined;
  /** What the server told us at join (and since, at resume), with the token that lets us come back. */
  #joined: JoinResponse | undefined;
  /** Settled while we are in the consult on this connection; requests wait on it. */
  #ready: Deferred;
  #closed = false;
  /** The server said it is restarting: the connection it drops is to be made again. */
  #restarting = false;
  /** Counts connections: a way back begun on an earlier one gives way to the newest. */
  #connections = 0;

  constructor(store: SessionStore, events: SignallingEvents) {
    this.#store = store;
    this.#events = events;
    this.#ready = deferred();
    this.socket = connectSignalling();
    this.socket.on('disconnect', (reason) => this.#lost(reason));
    this.socket.on('connect', () => {
      this.#connections += 1;
      if (this.#joined) void this.#comeBack(this.#connections);
    });
    this.socket.on('connect_error', (error) => {
      // Before the first join there is nothing to come back to.
      if (!this.#joined) this.#events.failed('connection-lost', error);
    });
  }

  get joined(): JoinResponse | undefined {
    return this.#joined;
  }

  /** Sends a request once we are in the consult (waiting while we are away). */
  request: Requester = async (event, ...args) => {
    await this.#ready.promise;
    return request(this.socket, event, ...args);
  };

  /**
   * Joins the consult. One link is one person: while it is open elsewhere the
   * server answers `link-in-use`, and we wait behind it, asking again every
   * few seconds, until that window closes (or its connection is lost). No
   * answer, or a passing one, is asked again too. Coming back (`connection`
   * set), only a final refusal ends it: a full call or waiting room may have
   * room in a moment. Undefined when the session was closed meanwhile, or
   * the connection coming back was lost (the next one comes back itself).
   */
  async join(details: JoinRequest, connection?: number): Promise<JoinResponse | undefined> {
    this.#details = details;
    const current = () => connection === undefined || (connection === this.#connections && this.socket.connected);
    // A first join that keeps failing says so (the page offers to try again); coming back keeps trying.
    let passingLeft = connection === undefined ? firstJoinRetries : Infinity;
    while (!this.#closed && current()) {
      try {
        const joined = await request(this.socket, 'join', details);
        this.#joined = joined;
        this.#store.update({ linkInUse: false, reconnecting: false, restarting: false });
        this.#ready.resolve();
        return joined;
      } catch (error) {
        const code = failureCodeOf(error);
        if (code === 'link-in-use') {
          this.#store.update({ linkInUse: true });
        } else {
          const giveUp = isPassingFailure(code) ? passingLeft-- <= 0 : connection === undefined || finalRefusals.has(code);
          if (giveUp) throw error;
          console.warn('join: asking again after', code);
        }
        await sleep(retryMs);
      }
    }
    return undefined;
  }

  /** The server is restarting (it said so): we will be back when it is. */
  serverRestarting(): void {
    this.#restarting = true;
    this.#store.update({ restarting: true, reconnecting: true });
  }

  /** Best effort on leaving the page, so the others do not see a minute of "reconnecting" after a closed tab. */
  leaveQuietly(): void {
    this.socket.emit('leave', () => undefined);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ready.reject(new Error('the session is over'));
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  #lost(reason: string): void {
    if (this.#closed || reason === 'io client disconnect') return;
    if (this.#ready.settled) this.#ready = deferred();
    this.#store.update({ reconnecting: true });
    // The server closes a connection itself after telling us why (removed, ended: the session is over by
    // then), when a newer connection of ours took over, or when it is shutting down: only then, come back.
    if (reason === 'io server disconnect') {
      if (this.#restarting) this.socket.connect();
      else this.#events.failed('connection-lost', reason);
    }
  }

  /**
   * On a new connection: become the same participant if our place is kept,
   * else join again. A newer connection supersedes this one's way back.
   */
  async #comeBack(connection: number): Promise<void> {
    const joined = this.#joined;
    const details = this.#details;
    if (!joined || !details || this.#closed || connection !== this.#connections) return;
    try {
      const resumed = await request(this.socket, 'resume', { participantId: joined.participantId, resumeToken: joined.resumeToken });
      this.#joined = { ...resumed, resumeToken: joined.resumeToken };
      this.#back();
      await this.#events.resumed(resumed);
    } catch (error) {
      if (this.#closed) return;
      const code = failureCodeOf(error);
      if (code === 'not-found' || code === 'consult-closed') {
        await this.#joinAgain(details, connection);
      } else if (finalRefusals.has(code)) {
        this.#events.failed(code, error);
      } else if (this.socket.connected) {
        // No answer, or a passing refusal: try again shortly on this connection (once it is
        // lost, the next one comes back by itself; a request buffered meanwhile would go twice).
        await sleep(retryMs);
        if (this.socket.connected) await this.#comeBack(connection);
      }
    }
  }

  async #joinAgain(details: JoinRequest, connection: number): Promise<void> {
    try {
      const joined = await this.join(details, connection);
      if (!joined) return;
      this.#back();
      await this.#events.rejoined(joined);
    } catch (error) {
      this.#events.failed(failureCodeOf(error), error);
    }
  }

  #back(): void {
    this.#restarting = false;
    this.#store.update({ reconnecting: false, restarting: false });
    this.#ready.resolve();
  }
}

interface Deferred {
  promise: Promise<void>;
  settled: boolean;
  resolve(): void;
  reject(error: Error): void;
}

function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<void>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  // Nobody may be waiting when it is rejected (the session closed): that is not an error.
  promise.catch(() => undefined);
  const state: Deferred = {
    promise,
    settled: false,
    resolve: () => {
      state.settled = true;
      resolve();
    },
    reject: (error) => {
      state.settled = true;
      reject(error);
    },
  };
  return state;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
