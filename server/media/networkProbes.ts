// Throwaway transports for the pre-join network check: one that offers only
// the media server's UDP port and one only its TCP port, so the browser can
// find out which of them its network lets through (and how far away we
// are) before the person joins. ICE only: nothing is ever sent or received
// on them, and they close by themselves after a short while.
import type { Router } from 'mediasoup/types';
import type { NetworkCheckDirectProbe } from '../../shared/api';
import { Refusal } from '../../shared/refusals';
import type { WorkerPool } from './workerPool';

export interface NetworkProbeLimits {
  /** Checks open at once, across everyone (each holds a router briefly). */
  maxOpen: number;
  /** How long a check's transports live. */
  lifetimeMs: number;
}

export class NetworkProbes {
  readonly #pool: WorkerPool;
  readonly #limits: NetworkProbeLimits;
  readonly #routers = new Set<Router>();

  constructor(pool: WorkerPool, limits: NetworkProbeLimits = { maxOpen: 20, lifetimeMs: 20_000 }) {
    this.#pool = pool;
    this.#limits = limits;
  }

  get lifetimeMs(): number {
    return this.#limits.lifetimeMs;
  }

  /** How many checks are open now. */
  get openCount(): number {
    return this.#routers.size;
  }

  async open(): Promise<NetworkCheckDirectProbe[]> {
    if (this.#routers.size >= this.#limits.maxOpen) throw new Refusal('server-busy', 'many network checks are running; try again in a minute');
    let slot: Awaited<ReturnType<WorkerPool['createRouter']>>;
    try {
      slot = await this.#pool.createRouter();
    } catch (error) {
      throw new Refusal('server-busy', `the media server cannot take a check now: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { router, webRtcServer } = slot;
    this.#routers.add(router);
    const timer = setTimeout(() => router.close(), this.#limits.lifetimeMs);
    router.observer.once('close', () => {
      clearTimeout(timer);
      this.#routers.delete(router);
    });
    try {
      const probes: NetworkCheckDirectProbe[] = [];
      for (const protocol of ['udp', 'tcp'] as const) {
        const transport = await router.createWebRtcTransport({ webRtcServer, enableUdp: protocol === 'udp', enableTcp: protocol === 'tcp' });
        const fingerprint = transport.dtlsParameters.fingerprints.find((candidate) => candidate.algorithm === 'sha-256') ?? transport.dtlsParameters.fingerprints[0];
        if (!fingerprint) throw new Error('the transport has no DTLS fingerprint');
        probes.push({
          protocol,
          iceParameters: { usernameFragment: transport.iceParameters.usernameFragment, password: transport.iceParameters.password },
          iceCandidates: transport.iceCandidates.map(({ foundation, priority, address, protocol: candidateProtocol, port, type, tcpType }) => ({
            foundation,
            priority,
            address,
            protocol: candidateProtocol,
            port,
            type,
            tcpType,
          })),
          fingerprint: { algorithm: fingerprint.algorithm, value: fingerprint.value },
        });
      }
      return probes;
    } catch (error) {
      router.close();
      throw error;
    }
  }

  close(): void {
    for (const router of this.#routers) router.close();
  }
}
