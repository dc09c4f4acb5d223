// What a consult tells those who watch it (the registry, the signalling
// connections, the metrics), typed per event. Listeners cannot break each
// other or the consult: one that throws is logged, and the others still hear.
import type { ServerToClientEvents } from '../../shared/protocol';
import type { Logger } from '../logger';
import type { Participant } from './participant';

export type ConsultCloseReason = Parameters<ServerToClientEvents['consultClosed']>[0]['reason'];

export interface ConsultEventMap {
  /** Someone entered the call: a doctor on joining, a guest when admitted. */
  admitted: [participant: Participant];
  /** The consult is over; `reason` is undefined when it closed because everyone left. */
  closed: [reason: ConsultCloseReason | undefined];
}

type Listener<E extends keyof ConsultEventMap> = (...args: ConsultEventMap[E]) => void;

export class ConsultEvents {
  readonly #logger: Logger;
  readonly #listeners: { [E in keyof ConsultEventMap]: Set<Listener<E>> } = { admitted: new Set(), closed: new Set() };

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Returns the function that stops listening. */
  on<E extends keyof ConsultEventMap>(event: E, listener: Listener<E>): () => void {
    const listeners: Set<Listener<E>> = this.#listeners[event];
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  emit<E extends keyof ConsultEventMap>(event: E, ...args: ConsultEventMap[E]): void {
    const listeners: Set<Listener<E>> = this.#listeners[event];
    for (const listener of [...listeners]) {
      try {
        listener(...args);
      } catch (error) {
        this.#logger.error({ err: error, event }, 'a consult event listener failed');
      }
    }
  }

  clear(): void {
    for (const listeners of Object.values(this.#listeners)) listeners.clear();
  }
}
