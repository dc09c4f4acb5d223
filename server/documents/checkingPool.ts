// A small pool of worker threads (piscina) for checking uploaded files, so
// that parsing a crafted file can never stall the main thread, where every
// live call's signalling runs. Bounded three ways:
// - a queue of at most `maxQueue` waiting files; beyond it an upload is
//   refused with `server-busy` rather than held;
// - a wall-clock budget per task, counted from when a worker starts on it
//   (not while it waits in the queue); a worker past it is terminated and
//   the file refused;
// - a heap limit per worker; a worker that reaches it dies alone and the
//   file is refused.
// Workers run at a lower scheduling priority than the rest of the server.
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Logger } from '../logger';
import type { CheckingMessage, CheckingOutcome, CheckingResults, CheckingTask } from './checkingWorker';
import { Refusal } from '../../shared/refusals';

export interface CheckingPoolOptions {
  threads: number;
  maxQueue: number;
  /** Heap (V8 old generation) per worker, in MiB. */
  maxHeapMb: number;
}

export function defaultCheckingPoolOptions(): CheckingPoolOptions {
  // Leave most cores to the media workers and the main thread.
  return { threads: Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2))), maxQueue: 32, maxHeapMb: 256 };
}

export class CheckingPool {
  readonly #pool: Piscina<CheckingMessage, CheckingOutcome<CheckingTask['kind']>>;
  readonly #logger: Logger;
  readonly #maxQueue: number;

  constructor(options: CheckingPoolOptions, logger: Logger) {
    this.#logger = logger;
    this.#maxQueue = options.maxQueue;
    this.#pool = new Piscina({
      filename: new URL('./checkingWorker.ts', import.meta.url).href,
      minThreads: 0,
      maxThreads: options.threads,
      maxQueue: options.maxQueue,
      idleTimeout: 60_000,
      niceIncrement: 5,
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb, maxYoungGenerationSizeMb: 32 },
    });
  }

  /** Files waiting for a worker. */
  get queued(): number {
    return this.#pool.queueSize;
  }

  async run<T extends CheckingTask>(task: T, budgetMs: number): Promise<CheckingResults[T['kind']]> {
    // Piscina holds its `maxQueue` only to tasks without an AbortSignal: abortable ones (all of ours)
    // wait in a queue of their own that it does not bound (piscinajs/piscina#899). So the bound is kept here.
    if (this.queued >= this.#maxQueue) throw this.#busy(task);
    const { port1: startedHere, port2: startedThere } = new MessageChannel();
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    startedHere.once('message', () => {
      timer = setTimeout(() => abort.abort(), budgetMs);
    });
    try {
      const outcome = await this.#pool.run({ task, started: startedThere }, { transferList: [startedThere], signal: abort.signal });
      if (!outcome.ok) throw new Refusal(outcome.refusal.code, outcome.refusal.message);
      return outcome.value as CheckingResults[T['kind']];
    } catch (error) {
      throw this.#refusalFor(error, task, budgetMs, abort.signal.aborted);
    } finally {
      clearTimeout(timer);
      startedHere.close();
    }
  }

  #refusalFor(error: unknown, task: CheckingTask, budgetMs: number, timedOut: boolean): unknown {
    if (error instanceof Refusal) return error;
    if (timedOut) {
      this.#logger.warn({ task: task.kind, budgetMs }, 'checking an upload took too long; worker stopped');
      return new Refusal('file-too-complex', `checking this file took longer than ${Math.round(budgetMs / 1000)} s`);
    }
    const message = error instanceof Error ? error.message : String(error);
    if (message === 'Task queue is at limit') return this.#busy(task);
    if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
      this.#logger.warn({ task: task.kind }, 'checking an upload ran out of memory; worker stopped');
      return new Refusal('file-too-complex', 'checking this file needed more memory than the server allows');
    }
    return error;
  }

  #busy(task: CheckingTask): Refusal {
    this.#logger.warn({ task: task.kind, queued: this.queued }, 'upload checking queue full; upload refused');
    return new Refusal('server-busy', 'the server is checking many other files right now; try again in a minute');
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}
