// The load the bots put on a target, and how one measurement window over it
// is taken: latency and loss on the SFU path and the bypass, CPU of the
// worker, the server and the bench, and whether the load generator itself
// kept up (if it did not, the numbers describe the bots, not the SFU).
import { type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Bot } from './bot';
import { BypassProbe } from './bypass';
import { packetsPerSecond, Pacer, PathStats, type PathWindow, type VideoStreamPlan } from './media';
import type { GeneratorHealth, Percentiles } from './results';
import { type CameraStream, cameraPlan } from './simulcast';
import { CpuMeter, machineBusySeconds, udpReceiveDrops } from './system';

/** What the bots' cameras send, and the stream each receiver gets of one. */
export interface LoadVideo {
  camera: readonly CameraStream[];
  forwarded: VideoStreamPlan;
}

export interface MeasuredProcesses {
  workerPid: number;
  /** The signalling server's process; undefined for the bare-mediasoup anchor. */
  serverPid: number | undefined;
}

export interface WindowMeasurement {
  seconds: number;
  sfu: PathWindow;
  bypass: PathWindow | undefined;
  cpu: { workerCores: number; serverCores: number | null; benchCores: number; otherCores: number };
  /** Datagrams dropped by full receive buffers at the worker's and at the bots' sockets. */
  udpReceiveDrops: { worker: number; bots: number };
  generator: GeneratorHealth;
}

const loopDelayResolutionMs = 10;

/** Thresholds past which the bench says the load generator, not the SFU, was the limit. */
const saturation = { cpuShare: 0.85, eventLoopP99Ms: 20, sendRate: 0.97 };

export function generatorHealth(input: {
  loadGeneratorCores: number;
  /** CPUs the bots and the server may use. */
  generatorCpus: number;
  eventLoopDelayP99Ms: number;
  /** Reported, not judged: a major garbage collection stalls the bots this long at any load. */
  eventLoopDelayMaxMs: number;
  /** Reported, not judged: the pacer catches up gradually, so one stall shows in several late packets. */
  pacerLatenessP95Ms: number | null;
  sendRate: number | null;
  skippedPackets: number;
  /** Datagrams the bots' own sockets dropped. */
  botSocketDrops: number;
}): GeneratorHealth {
  const reasons: string[] = [];
  const share = input.loadGeneratorCores / input.generatorCpus;
  if (share >= saturation.cpuShare) reasons.push(`bots and signalling used ${Math.round(share * 100)} % of their CPU`);
  if (input.eventLoopDelayP99Ms > saturation.eventLoopP99Ms) {
    reasons.push(`bots' event loop delay p99 ${input.eventLoopDelayP99Ms.toFixed(1)} ms`);
  }
  if (input.sendRate !== null && input.sendRate < saturation.sendRate) {
    reasons.push(`bots sent ${Math.round(input.sendRate * 100)} % of their target rate`);
  }
  if (input.skippedPackets > 0) reasons.push(`the pacer skipped ${input.skippedPackets} packets`);
  if (input.botSocketDrops > 0) reasons.push(`the bots' sockets dropped ${input.botSocketDrops} datagrams (receive buffers full)`);
  return {
    saturated: reasons.length > 0,
    reasons,
    loadGeneratorCores: input.loadGeneratorCores,
    eventLoopDelayP99Ms: input.eventLoopDelayP99Ms,
    eventLoopDelayMaxMs: input.eventLoopDelayMaxMs,
    pacerLatenessP95Ms: input.pacerLatenessP95Ms,
    sendRate: input.sendRate,
  };
}

/**
 * What the SFU adds: each percentile of the SFU path minus the same
 * percentile of the bypass (never below zero). Both paths share the bots'
 * own costs (stamping, SRTP, a loopback hop, the event loop), which this
 * takes out; what the bypass cannot take out (the SFU path fans each packet
 * out to two receivers) stays in, so these are upper bounds.
 */
export function forwardingLatency(sfu: PathWindow['latencyMs'], bypass: PathWindow['latencyMs'] | undefined): Percentiles {
  const minus = (through: number | undefined, direct: number | undefined): number | null =>
    through === undefined || direct === undefined ? null : Math.max(0, through - direct);
  return { p50: minus(sfu.p50, bypass?.p50), p95: minus(sfu.p95, bypass?.p95), p99: minus(sfu.p99, bypass?.p99) };
}

export function percentilesOf(latency: PathWindow['latencyMs'] | undefined): Percentiles {
  return { p50: latency?.p50 ?? null, p95: latency?.p95 ?? null, p99: latency?.p99 ?? null };
}

export class Load {
  readonly pacer = new Pacer();
  readonly sfu = new PathStats();
  readonly bypassPath = new PathStats();
  readonly bots = new Set<Bot>();
  readonly videoBitrate: number;
  /** What each bot's camera sends, and the one stream a receiver gets of it (what the bypass sends). */
  readonly camera: readonly CameraStream[];
  readonly forwarded: VideoStreamPlan;
  readonly #generatorCpus: number;
  readonly #loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: loopDelayResolutionMs });
  #bypass: BypassProbe | undefined;

  private constructor(videoBitrate: number, generatorCpus: number, video: LoadVideo) {
    this.videoBitrate = videoBitrate;
    this.camera = video.camera;
    this.forwarded = video.forwarded;
    this.#generatorCpus = generatorCpus;
    this.#loopDelay.enable();
  }

  /**
   * With `bypass`, a calibration stream runs peer to peer alongside the bots.
   * Without `video`, cameras send one stream at `videoBitrate`.
   */
  static async start(videoBitrate: number, generatorCpus: number, bypass: boolean, video?: LoadVideo): Promise<Load> {
    const camera = cameraPlan('single', videoBitrate);
    const load = new Load(videoBitrate, generatorCpus, video ?? { camera, forwarded: camera[0] ?? { bitrate: videoBitrate, framesPerSecond: 30, temporalLayers: 1 } });
    if (bypass) {
      try {
        load.#bypass = await BypassProbe.start(load.forwarded, load.pacer, load.bypassPath);
      } catch (error) {
        await load.close();
        throw error;
      }
    }
    return load;
  }

  /** Packets handed over so far by the bots and the bypass, and packets skipped. */
  #sent(): { packets: number; skipped: number } {
    let packets = this.#bypass?.sent.packets ?? 0;
    let skipped = this.#bypass?.sent.skipped ?? 0;
    for (const bot of this.bots) {
      const sent = bot.sent;
      packets += sent.packets;
      skipped += sent.skipped;
    }
    return { packets, skipped };
  }

  /** Resets the generator's own health counters (event loop delay, pacer lateness). */
  resetHealth(): void {
    this.#loopDelay.reset();
    this.pacer.lateness.clear();
  }

  /** Health over the time since resetHealth(), given the cores the bench and server used meanwhile. */
  health(loadGeneratorCores: number, sendRate: number | null, skippedPackets: number, botSocketDrops: number): GeneratorHealth {
    const [lateness] = this.pacer.lateness.percentiles([95]);
    return generatorHealth({
      loadGeneratorCores,
      generatorCpus: this.#generatorCpus,
      // The histogram counts the sampling interval in: an idle loop reads about 10 ms.
      eventLoopDelayP99Ms: this.#loopDelay.count > 0 ? Math.max(0, this.#loopDelay.percentile(99) / 1e6 - loopDelayResolutionMs) : 0,
      eventLoopDelayMaxMs: this.#loopDelay.count > 0 ? Math.max(0, this.#loopDelay.max / 1e6 - loopDelayResolutionMs) : 0,
      pacerLatenessP95Ms: lateness === undefined ? null : lateness / 1000,
      sendRate,
      skippedPackets,
      botSocketDrops,
    });
  }

  /** One measurement window of `seconds` with the bots as they are. */
  async measure(seconds: number, processes: MeasuredProcesses): Promise<WindowMeasurement> {
    const before = this.#sent();
    this.resetHealth();
    const meter = new CpuMeter({ worker: processes.workerPid, server: processes.serverPid, bench: process.pid });
    const dropsBefore = { worker: udpReceiveDrops(processes.workerPid), bots: udpReceiveDrops(process.pid) };
    meter.start();
    const busyBefore = machineBusySeconds();
    const started = performance.now();
    this.sfu.beginWindow();
    if (this.#bypass) this.bypassPath.beginWindow();
    await sleep(seconds * 1000);
    const sfu = this.sfu.endWindow();
    const bypass = this.#bypass ? this.bypassPath.endWindow() : undefined;
    const used = meter.stop();
    const busy = machineBusySeconds() - busyBefore;
    const udpDrops = {
      worker: Math.max(0, udpReceiveDrops(processes.workerPid) - dropsBefore.worker),
      bots: Math.max(0, udpReceiveDrops(process.pid) - dropsBefore.bots),
    };
    const elapsed = (performance.now() - started) / 1000;
    const after = this.#sent();
    const perSecond = this.bots.size * packetsPerSecond(this.camera) + (this.#bypass ? packetsPerSecond([this.forwarded]) : 0);
    const expectedPackets = perSecond * elapsed;
    const [workerCores, serverCores, benchCores] = [used['worker'] ?? 0, used['server'] ?? null, used['bench'] ?? 0];
    const otherCores = Math.max(0, busy / elapsed - workerCores - (serverCores ?? 0) - benchCores);
    const cpu = { workerCores, serverCores, benchCores, otherCores };
    return {
      seconds: elapsed,
      sfu,
      bypass,
      cpu,
      udpReceiveDrops: udpDrops,
      generator: this.health(
        cpu.benchCores + (cpu.serverCores ?? 0),
        expectedPackets > 0 ? (after.packets - before.packets) / expectedPackets : null,
        after.skipped - before.skipped,
        udpDrops.bots,
      ),
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.bots].map((bot) => bot.close()));
    this.bots.clear();
    await this.#bypass?.close();
    this.pacer.close();
    this.#loopDelay.disable();
  }
}
