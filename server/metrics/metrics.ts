// Prometheus metrics (prom-client): one registry per server. Gauges read the
// live state when scraped (consults, participants, mediasoup objects, worker
// usage, Socket.IO connections); the two histograms are observed as things
// happen (`watch` listens to each consult's events). Nothing here names a person.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Worker } from 'mediasoup/types';
import { roles } from '../../shared/schemas';
import type { Consult } from '../live/consult';
import type { Participant, TransportDirection } from '../live/participant';

export interface MetricsSources {
  consults: () => Iterable<Consult>;
  workers: () => readonly Worker[];
  /** Open Socket.IO connections. */
  connections: () => number;
}

const participantStates = ['waiting', 'admitted', 'reconnecting'] as const;
const directions: TransportDirection[] = ['send', 'receive'];
const kinds = ['audio', 'video'] as const;

interface ByteTotals {
  received: number;
  sent: number;
}

export class ServerMetrics {
  readonly registry = new Registry();
  readonly #sources: MetricsSources;
  readonly #joinDuration: Histogram<'role'>;
  readonly #waitTime: Histogram<'role'>;
  /** Bytes of transports seen at the last scrape, and of those closed since (so the counters never go down). */
  readonly #lastSeen = new Map<string, ByteTotals>();
  readonly #closedTotals: ByteTotals = { received: 0, sent: 0 };

  constructor(sources: MetricsSources) {
    this.#sources = sources;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });

    this.#joinDuration = new Histogram({
      name: 'consilium_join_duration_seconds',
      help: 'From a join request reaching the server to being in the call: joined (doctors) or admitted by the doctor (patients, interpreters)',
      labelNames: ['role'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers,
    });
    this.#waitTime = new Histogram({
      name: 'consilium_waiting_room_wait_seconds',
      help: 'Time from entering the waiting room to being admitted (only those admitted are counted)',
      labelNames: ['role'],
      buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600],
      registers,
    });

    // Every role appears from the first scrape, at zero.
    for (const role of roles) {
      this.#joinDuration.zero({ role });
      if (role !== 'doctor') this.#waitTime.zero({ role });
    }

    new Gauge({
      name: 'consilium_consults_live',
      help: 'Consults with someone in them now',
      registers,
      collect() {
        this.set([...sources.consults()].length);
      },
    });
    new Gauge({
      name: 'consilium_participants',
      help: 'Participants now, by role and state (reconnecting: their connection dropped, their place is kept)',
      labelNames: ['role', 'state'],
      registers,
      collect() {
        const counts = new Map<string, number>();
        for (const consult of sources.consults()) {
          for (const participant of consult.participants.values()) {
            const key = `${participant.role}/${stateOf(participant)}`;
            counts.set(key, (counts.get(key) ?? 0) + 1);
          }
        }
        for (const role of roles) {
          for (const state of participantStates) this.set({ role, state }, counts.get(`${role}/${state}`) ?? 0);
        }
      },
    });
    new Gauge({
      name: 'consilium_waiting_room_size',
      help: 'People waiting to be admitted, across all consults',
      registers,
      collect() {
        let waiting = 0;
        for (const consult of sources.consults()) {
          for (const participant of consult.participants.values()) if (!participant.admitted) waiting += 1;
        }
        this.set(waiting);
      },
    });
    new Gauge({
      name: 'consilium_mediasoup_transports',
      help: 'WebRTC transports now, by direction',
      labelNames: ['direction'],
      registers,
      collect() {
        const counts = new Map<string, number>(directions.map((direction) => [direction, 0]));
        for (const participant of participantsOf(sources)) {
          for (const { direction } of participant.transports()) counts.set(direction, (counts.get(direction) ?? 0) + 1);
        }
        for (const [direction, count] of counts) this.set({ direction }, count);
      },
    });
    for (const [name, help, pick] of [
      ['consilium_mediasoup_producers', 'Producers now, by kind', (participant: Participant) => participant.producers()],
      ['consilium_mediasoup_consumers', 'Consumers now, by kind', (participant: Participant) => participant.consumers()],
    ] as const) {
      new Gauge({
        name,
        help,
        labelNames: ['kind'],
        registers,
        collect() {
          const counts = new Map<string, number>(kinds.map((kind) => [kind, 0]));
          for (const participant of participantsOf(sources)) {
            for (const { kind } of pick(participant)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
          }
          for (const [kind, count] of counts) this.set({ kind }, count);
        },
      });
    }
    // Each is read once per scrape, for the two metrics that use it.
    const usagesOfWorkers = sharedWhileRunning(() => workerUsages(sources));
    new Counter({
      name: 'consilium_mediasoup_worker_cpu_seconds_total',
      help: 'CPU time (user and system) used by each mediasoup worker',
      labelNames: ['worker_pid'],
      registers,
      async collect() {
        const usages = await usagesOfWorkers();
        this.reset();
        for (const { pid, usage } of usages) this.inc({ worker_pid: pid }, (usage.ru_utime + usage.ru_stime) / 1000);
      },
    });
    new Gauge({
      name: 'consilium_mediasoup_worker_max_rss_bytes',
      help: 'Largest resident memory each mediasoup worker has had',
      labelNames: ['worker_pid'],
      registers,
      async collect() {
        const usages = await usagesOfWorkers();
        this.reset();
        for (const { pid, usage } of usages) this.set({ worker_pid: pid }, usage.ru_maxrss * 1024);
      },
    });
    const bytes = sharedWhileRunning(() => this.#transportBytes());
    for (const [name, direction, pick] of [
      ['consilium_media_bytes_received_total', 'received', (totals: ByteTotals) => totals.received],
      ['consilium_media_bytes_sent_total', 'sent', (totals: ByteTotals) => totals.sent],
    ] as const) {
      new Counter({
        name,
        help: `Bytes ${direction} on WebRTC transports (read when scraped)`,
        registers,
        async collect() {
          const totals = await bytes();
          this.reset();
          this.inc(pick(totals));
        },
      });
    }
    new Gauge({
      name: 'consilium_socketio_connections',
      help: 'Open Socket.IO connections',
      registers,
      collect() {
        this.set(sources.connections());
      },
    });
  }

  /** Observes a consult from its start: who enters its call, and after how long. */
  watch(consult: Consult): void {
    consult.events.on('admitted', (participant) => this.#participantAdmitted(participant));
  }

  #participantAdmitted(participant: Participant): void {
    const now = Date.now();
    this.#joinDuration.observe({ role: participant.role }, (now - participant.joinRequestedAt) / 1000);
    if (participant.role !== 'doctor') this.#waitTime.observe({ role: participant.role }, (now - participant.arrivedAt) / 1000);
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  close(): void {
    this.registry.clear();
  }

  /**
   * Bytes over every transport this server has had: live ones read now
   * (getStats), closed ones as last seen. Bytes a transport moved between the
   * last scrape and its closing are not counted.
   */
  async #transportBytes(): Promise<ByteTotals> {
    const live = new Map<string, ByteTotals>();
    await Promise.all(
      [...participantsOf(this.#sources)].flatMap((participant) =>
        participant.transports().map(async ({ transport }) => {
          try {
            const [stats] = await transport.getStats();
            if (stats) live.set(transport.id, { received: stats.bytesReceived, sent: stats.bytesSent });
          } catch {
            // Closed while we asked: its last seen bytes are kept below.
          }
        }),
      ),
    );
    for (const [id, seen] of this.#lastSeen) {
      if (live.has(id)) continue;
      this.#closedTotals.received += seen.received;
      this.#closedTotals.sent += seen.sent;
      this.#lastSeen.delete(id);
    }
    const totals = { ...this.#closedTotals };
    for (const [id, current] of live) {
      this.#lastSeen.set(id, current);
      totals.received += current.received;
      totals.sent += current.sent;
    }
    return totals;
  }
}

/** Calls made while one is running share its result (a scrape asks from several metrics at once). */
function sharedWhileRunning<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    running ??= read().finally(() => {
      running = undefined;
    });
    return running;
  };
}

function stateOf(participant: Participant): (typeof participantStates)[number] {
  if (participant.reconnecting) return 'reconnecting';
  return participant.admitted ? 'admitted' : 'waiting';
}

function* participantsOf(sources: MetricsSources): Generator<Participant> {
  for (const consult of sources.consults()) yield* consult.participants.values();
}

async function workerUsages(sources: MetricsSources) {
  const workers = sources.workers();
  const usages = await Promise.all(workers.map((worker) => worker.getResourceUsage().catch(() => undefined)));
  return workers.flatMap((worker, index) => {
    const usage = usages[index];
    return usage ? [{ pid: String(worker.pid), usage }] : [];
  });
}
