// A fixed pool of mediasoup workers (one process per core by default), each
// with one WebRtcServer so all of a worker's media uses a single UDP port
// (and a TCP port as fallback for networks that block UDP).
import { createWorker } from 'mediasoup';
import type { ActiveSpeakerObserver, Router, TransportListenInfo, WebRtcServer, Worker } from 'mediasoup/types';
import type { MediaConfig } from '../config';
import type { Logger } from '../logger';
import { mediaCodecs } from './mediaCodecs';

export interface MediaSlot {
  router: Router;
  webRtcServer: WebRtcServer;
  /** Tells which microphone dominates, for the speaker highlight. */
  activeSpeakerObserver: ActiveSpeakerObserver;
}

interface PooledWorker {
  index: number;
  worker: Worker;
  webRtcServer: WebRtcServer;
  routers: Set<Router>;
}

export class WorkerPool {
  readonly #config: MediaConfig;
  readonly #logger: Logger;
  readonly #workers: (PooledWorker | undefined)[];
  #closed = false;

  private constructor(config: MediaConfig, logger: Logger) {
    this.#config = config;
    this.#logger = logger;
    this.#workers = new Array<PooledWorker | undefined>(config.workerCount).fill(undefined);
  }

  static async create(config: MediaConfig, logger: Logger): Promise<WorkerPool> {
    const pool = new WorkerPool(config, logger);
    try {
      for (let index = 0; index < config.workerCount; index++) {
        await pool.#startWorker(index);
      }
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Workers currently alive (one may be restarting after a crash). */
  get liveWorkerCount(): number {
    return this.#workers.filter((worker) => worker !== undefined).length;
  }

  /** The workers alive now (for metrics and the benchmark: pid, resource usage). */
  get workers(): Worker[] {
    return this.#workers.flatMap((pooled) => (pooled ? [pooled.worker] : []));
  }

  /**
   * A new router on the worker hosting the fewest routers. `waitMs`: when no
   * worker is alive (one died and is restarting), how long to wait for one.
   */
  async createRouter({ waitMs = 0 } = {}): Promise<MediaSlot> {
    const deadline = Date.now() + waitMs;
    let chosen = this.#leastLoaded();
    while (!chosen && !this.#closed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      chosen = this.#leastLoaded();
    }
    if (this.#closed) throw new Error('worker pool is closed');
    if (!chosen) throw new Error('no mediasoup worker is running');
    const pooled = chosen;
    const router = await pooled.worker.createRouter({ mediaCodecs });
    pooled.routers.add(router);
    router.observer.once('close', () => pooled.routers.delete(router));
    try {
      const activeSpeakerObserver = await router.createActiveSpeakerObserver({ interval: 300 });
      return { router, webRtcServer: pooled.webRtcServer, activeSpeakerObserver };
    } catch (error) {
      router.close();
      throw error;
    }
  }

  #leastLoaded(): PooledWorker | undefined {
    let chosen: PooledWorker | undefined;
    for (const candidate of this.#workers) {
      // A worker that just died closes its routers before it says it died: skip it already.
      if (!candidate || candidate.worker.closed) continue;
      if (!chosen || candidate.routers.size < chosen.routers.size) chosen = candidate;
    }
    return chosen;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const pooled of this.#workers) pooled?.worker.close();
    this.#workers.fill(undefined);
  }

  async #startWorker(index: number): Promise<void> {
    const worker = await createWorker({ logLevel: 'warn', logTags: ['ice', 'dtls'] });
    const port = this.#config.portBase + index;
    const listenInfos: TransportListenInfo[] = (['udp', 'tcp'] as const).map((protocol) => ({
      protocol,
      ip: this.#config.listenIp,
      port,
      ...(this.#config.announcedAddress ? { announcedAddress: this.#config.announcedAddress } : {}),
    }));
    let webRtcServer: WebRtcServer;
    try {
      webRtcServer = await worker.createWebRtcServer({ listenInfos });
    } catch (error) {
      worker.close();
      throw new Error(
        `cannot listen for media on ${this.#config.listenIp}:${port} (UDP and TCP): ${error instanceof Error ? error.message : String(error)}. ` +
          `Another program may be using the port (choose another MEDIA_PORT_BASE; each worker uses the next port), or ${this.#config.listenIp} is not an address of this machine (MEDIA_LISTEN_IP).`,
        { cause: error },
      );
    }
    const pooled: PooledWorker = { index, worker, webRtcServer, routers: new Set() };
    this.#workers[index] = pooled;
    this.#logger.info({ workerPid: worker.pid, workerIndex: index, mediaPort: port }, 'mediasoup worker started');

    worker.on('died', (error) => {
      this.#workers[index] = undefined;
      // Its routers are closed by mediasoup; their consults move to another worker (Consult).
      this.#logger.error({ err: error, workerPid: worker.pid, workerIndex: index }, 'mediasoup worker died; restarting it');
      if (this.#closed) return;
      this.#startWorker(index).catch((restartError: unknown) => {
        this.#logger.fatal({ err: restartError, workerIndex: index }, 'mediasoup worker could not be restarted');
      });
    });
  }
}
