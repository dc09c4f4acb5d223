// Soak: a steady load for a long while, sampling the memory of the
// signalling server and the worker (and loss and latency) as it runs; growth
// that does not level off is a leak.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { forwardingLatency, Load } from '../load';
import type { SoakResult } from '../results';
import { fitLine } from '../stats';
import { rssBytes } from '../system';
import type { ConsiliumTarget } from '../targets';

export interface SoakOptions {
  consults: number;
  videoBitrate: number;
  durationSeconds: number;
  sampleSeconds: number;
  warmupSeconds: number;
  generatorCpus: number;
}

const MiB = 2 ** 20;

export async function runSoak(target: ConsiliumTarget, options: SoakOptions, log: (line: string) => void): Promise<SoakResult> {
  const load = await Load.start(options.videoBitrate, options.generatorCpus, true);
  const media = { videoBitrate: options.videoBitrate, pacer: load.pacer, path: load.sfu };
  try {
    for (let index = 0; index < options.consults; index++) {
      for (const bot of await target.startConsult(media)) load.bots.add(bot);
    }
    await sleep(options.warmupSeconds * 1000);
    const samples: SoakResult['samples'] = [];
    let received = 0;
    let expected = 0;
    const started = performance.now();
    while (samples.length < 2 || (performance.now() - started) / 1000 + options.sampleSeconds <= options.durationSeconds + 0.5) {
      const window = await load.measure(options.sampleSeconds, target);
      const memory = await target.server.memory();
      received += window.sfu.packetsReceived;
      expected += window.sfu.packetsExpected;
      const sample = {
        atSeconds: (performance.now() - started) / 1000,
        serverRssMiB: memory.rss / MiB,
        serverHeapMiB: memory.heapUsed / MiB,
        workerRssMiB: rssBytes(target.workerPid) / MiB,
        loss: window.sfu.loss,
        forwardingP95Ms: forwardingLatency(window.sfu.latencyMs, window.bypass?.latencyMs).p95,
        generatorSaturated: window.generator.saturated,
      };
      samples.push(sample);
      log(
        `soak ${Math.round(sample.atSeconds)} s: server ${sample.serverRssMiB.toFixed(1)} MiB (heap ${sample.serverHeapMiB.toFixed(1)}), ` +
          `worker ${sample.workerRssMiB.toFixed(1)} MiB, loss ${(sample.loss * 100).toFixed(3)} %`,
      );
    }
    const first = samples[0];
    const last = samples.at(-1);
    if (!first || !last) throw new Error('the soak took no samples');
    const slope = (pick: (sample: SoakResult['samples'][number]) => number): number =>
      fitLine(samples.map((sample) => ({ x: sample.atSeconds / 3600, y: pick(sample) })))?.slope ?? 0;
    const p95s = samples.flatMap((sample) => (sample.forwardingP95Ms === null ? [] : [sample.forwardingP95Ms]));
    return {
      consults: options.consults,
      videoKbps: Math.round(options.videoBitrate / 1000),
      durationSeconds: last.atSeconds,
      samples,
      growthMiB: {
        serverRss: last.serverRssMiB - first.serverRssMiB,
        serverHeap: last.serverHeapMiB - first.serverHeapMiB,
        workerRss: last.workerRssMiB - first.workerRssMiB,
      },
      slopeMiBPerHour: {
        serverRss: slope((sample) => sample.serverRssMiB),
        serverHeap: slope((sample) => sample.serverHeapMiB),
        workerRss: slope((sample) => sample.workerRssMiB),
      },
      loss: expected === 0 ? 0 : Math.max(0, (expected - received) / expected),
      worstForwardingP95Ms: p95s.length > 0 ? Math.max(...p95s) : null,
      generatorSaturatedSamples: samples.filter((sample) => sample.generatorSaturated).length,
    };
  } finally {
    await load.close();
  }
}
