// The signalling side of a consult session: the Socket.IO connection, joining
// (and waiting behind another window holding our link), coming back after a
// drop with our resume token, and giving up when the server could no longer
// be keeping our place.
import type { JoinResponse, ResumeResponse } from '../../shared/protocol';
import type { JoinRequest } from '../../shared/schemas';
import { failureCodeOf, RequestFailure } from '../api/requestFailure';
import type { SessionFailure, SessionStore } from './sessionState';
import { connectSignalling, reconnectWindowMs, request, type ConsiliumSocket } from './signallingClient';

/** How often to ask again while our link is open elsewhere. */
const linkInUseRetryMs = 3000;

export interface SignallingEvents {
  /** We are the same participant again, on a new connection. */
  resumed(view: ResumeResponse): Promise<void>;
  /** Nothing more can be done on this connection. */
  failed(failure: SessionFailure, cause: unknown): void;
}

export class SignallingConnection {
  readonly socket: ConsiliumSocket;
  readonly #store: SessionStore;
  readonly #events: SignallingEvents;
  /** What the server told us at join (and since, at resume), with the token that lets us come back. */
  #joined: JoinResponse | undefined;
  #giveUpTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(store: SessionStore, events: SignallingEvents) {
    this.#store = store;
    this.#events = events;
    this.socket = connectSignalling();
    this.socket.on('disconnect', (reason) => this.#lost(reason));
    this.socket.on('connect', () => {
      if (this.#joined) this.#resume().catch((error: unknown) => this.#events.failed(failureCodeOf(error), error));
    });
    this.socket.on('connect_error', (error) => {
      // Before the first join there is nothing to come back to.
      if (!this.#joined) this.#events.failed('connection-lost', error);
    });
  }

  get joined(): JoinResponse | undefined {
    return this.#joined;
  }

  /**
   * Joins the consult. One link is one person: while it is open elsewhere the
   * server answers `link-in-use`, and we wait behind it, asking again every
   * few seconds, until that window closes (or its connection is lost).
   * Undefined when the session was closed meanwhile.
   */
  async join(details: JoinRequest): Promise<JoinResponse | undefined> {
    while (!this.#closed) {
      try {
        const joined = await request(this.socket, 'join', details);
        this.#joined = joined;
        this.#store.update({ linkInUse: false });
        return joined;
      } catch (error) {
        if (!(error instanceof RequestFailure && error.code === 'link-in-use')) throw error;
        this.#store.update({ linkInUse: true });
        await new Promise((resolve) => setTimeout(resolve, linkInUseRetryMs));
      }
    }
    return undefined;
  }

  /** Best effort on leaving the page, so the others do not see a minute of "reconnecting" after a closed tab. */
  leaveQuietly(): void {
    this.socket.emit('leave', () => undefined);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#giveUpTimer);
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  #lost(reason: string): void {
    if (this.#closed || reason === 'io client disconnect') return;
    // The server closes a connection itself only after telling us why (removed,
    // ended) or when a newer connection of ours took over: nothing to retry.
    if (reason === 'io server disconnect') {
      this.#events.failed('connection-lost', reason);
      return;
    }
    this.#store.update({ reconnecting: true });
    clearTimeout(this.#giveUpTimer);
    this.#giveUpTimer = setTimeout(() => this.#events.failed('connection-lost', 'gave up reconnecting'), reconnectWindowMs);
  }

  /** Back on a new connection: become the same participant, then let the session catch up. */
  async #resume(): Promise<void> {
    const joined = this.#joined;
    if (!joined || this.#closed) return;
    const resumed = await request(this.socket, 'resume', { participantId: joined.participantId, resumeToken: joined.resumeToken });
    clearTimeout(this.#giveUpTimer);
    this.#joined = { ...resumed, resumeToken: joined.resumeToken };
    await this.#events.resumed(resumed);
  }
}
