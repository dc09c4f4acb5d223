// The live consults of this server, by id. A live consult is created when its
// first participant joins and forgotten when it closes (last one left, or its worker
// died). Creation is asynchronous (a router is made on a worker), so concurrent
// first joins share one pending creation instead of racing to make two.
import type { Logger } from '../logger';
import type { WorkerPool } from '../media/workerPool';
import type { ConsultInfo, MediaAccess } from '../../shared/protocol';
import type { Participant } from './participant';
import type { ChatArchive } from './chatRoom';
import type { ConsultMemory } from './consultMemory';
import { Consult, type ConsultAuditor } from './consult';
import type { ConsultDocuments } from '../documents/documentStore';

/** How long a consult whose worker died waits for a worker to move to (a restart takes a second or two). */
const workerRestartWaitMs = 15_000;

export interface RegistryOptions {
  maxParticipants: number;
  maxWaiting: number;
  reconnectGraceMs: number;
  /** Where a consult's audit events go. */
  auditorFor: (consultId: string) => ConsultAuditor;
  /** Where a consult's chat is kept. */
  chatFor: (consultId: string) => ChatArchive;
  /** A consult's documents and annotations. */
  documentsFor: (consultId: string) => ConsultDocuments;
  /** What a consult keeps beyond a restart. */
  memoryFor: (consultId: string) => ConsultMemory;
  /** TURN credentials (and the relay policy) for someone allowed media. */
  mediaAccessFor: (participant: Participant) => MediaAccess;
  /** Told of every consult made, to listen to its events (the metrics), if anyone listens. */
  onCreated?: ((consult: Consult) => void) | undefined;
}

export class ConsultRegistry {
  readonly #pool: WorkerPool;
  readonly #options: RegistryOptions;
  readonly #logger: Logger;
  readonly #consults = new Map<string, Consult>();
  readonly #pending = new Map<string, Promise<Consult>>();

  constructor(pool: WorkerPool, options: RegistryOptions, logger: Logger) {
    this.#pool = pool;
    this.#options = options;
    this.#logger = logger;
  }

  get size(): number {
    return this.#consults.size;
  }

  /** The live consults, for metrics. */
  consults(): IterableIterator<Consult> {
    return this.#consults.values();
  }

  get(consultId: string): Consult | undefined {
    return this.#consults.get(consultId);
  }

  async getOrCreate(info: ConsultInfo): Promise<Consult> {
    const consultId = info.id;
    const existing = this.#consults.get(consultId);
    if (existing && !existing.closed) return existing;
    const pending = this.#pending.get(consultId);
    if (pending) return pending;

    const creation = this.#pool
      .createRouter()
      .then((slot) => {
        const options = {
          maxParticipants: this.#options.maxParticipants,
          maxWaiting: this.#options.maxWaiting,
          reconnectGraceMs: this.#options.reconnectGraceMs,
          audit: this.#options.auditorFor(consultId),
          chat: this.#options.chatFor(consultId),
          documents: this.#options.documentsFor(consultId),
          memory: this.#options.memoryFor(consultId),
          newMediaSlot: () => this.#pool.createRouter({ waitMs: workerRestartWaitMs }),
          mediaAccessFor: this.#options.mediaAccessFor,
        };
        const consult = new Consult(info, slot, options, this.#logger);
        this.#consults.set(consultId, consult);
        consult.events.on('closed', () => {
          if (this.#consults.get(consultId) === consult) this.#consults.delete(consultId);
        });
        this.#options.onCreated?.(consult);
        return consult;
      })
      .finally(() => this.#pending.delete(consultId));
    this.#pending.set(consultId, creation);
    return creation;
  }

  /** The live consult a participant is in, by participant id. */
  consultOf(participantId: string): Consult | undefined {
    for (const consult of this.#consults.values()) {
      if (consult.participants.has(participantId)) return consult;
    }
    return undefined;
  }

  /** Whether anyone is in the consult right now. */
  isLive(consultId: string): boolean {
    return (this.#consults.get(consultId)?.participants.size ?? 0) > 0;
  }

  closeAll(reason: 'server-shutdown'): void {
    for (const consult of [...this.#consults.values()]) consult.close(reason);
  }
}
