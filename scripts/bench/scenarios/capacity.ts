// Capacity: three-way consults added step by step (1 → N) on one worker,
// measuring worker CPU, loss and forwarding latency at each step, until the
// SFU misses its target, the load generator saturates, or the steps run out.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Bot } from '../bot';
import { forwardingLatency, Load, percentilesOf, type WindowMeasurement } from '../load';
import type { CapacityRun, CapacityStep, LayerMode } from '../results';
import { spatialLayerFor } from '../../../server/live/viewLayers';
import { type CameraStream, cameraPlan } from '../simulcast';
import { fitLine } from '../stats';
import type { CallTarget } from '../targets';

export interface CapacityOptions {
  /** The camera's bitrate: of its one stream, or of its top simulcast layer. */
  videoBitrate: number;
  layers: LayerMode;
  /** The height receivers say they draw each video at (setConsumerView). */
  viewHeight: number;
  /** Consults at each step, increasing. */
  steps: readonly number[];
  warmupSeconds: number;
  windowSeconds: number;
  /** CPUs the bots and signalling server have between them. */
  generatorCpus: number;
}

/** Forwarding p95 and loss a step must stay under. */
export const capacityTarget = { forwardingP95Ms: 5, loss: 0.001 };
/** Other work on the machine (cores) past which a step's figures are called disturbed. */
export const disturbedAboveCores = 0.2;
/** Consults started at once while ramping up. */
const startBatch = 2;
const firstPacketTimeoutMs = 15_000;

export function capacityStep(consults: number, window: WindowMeasurement): CapacityStep {
  const forwarding = forwardingLatency(window.sfu.latencyMs, window.bypass?.latencyMs);
  return {
    consults,
    streams: window.sfu.streams,
    windowSeconds: window.seconds,
    cpu: window.cpu,
    packetsReceived: window.sfu.packetsReceived,
    packetsExpected: window.sfu.packetsExpected,
    loss: window.sfu.loss,
    silentStreams: window.sfu.silentStreams,
    udpReceiveDrops: window.udpReceiveDrops,
    forwardedVideoKbps: window.sfu.videoStreams === 0 ? null : (window.sfu.videoBytesReceived * 8) / window.seconds / window.sfu.videoStreams / 1000,
    latencyMs: { sfuPath: percentilesOf(window.sfu.latencyMs), bypass: percentilesOf(window.bypass?.latencyMs), forwarding },
    generator: window.generator,
    withinTarget:
      forwarding.p95 !== null &&
      forwarding.p95 < capacityTarget.forwardingP95Ms &&
      window.sfu.loss < capacityTarget.loss &&
      window.sfu.silentStreams === 0 &&
      window.sfu.streams === consults * 12,
  };
}

export function describeStep(step: CapacityStep): string {
  const ms = (value: number | null): string => (value === null ? '–' : value.toFixed(2));
  const { forwarding } = step.latencyMs;
  const generator = step.generator.saturated ? `  LOAD GENERATOR SATURATED (${step.generator.reasons.join('; ')})` : '';
  return (
    `N=${step.consults}  worker ${step.cpu.workerCores.toFixed(3)} core  bots ${step.cpu.benchCores.toFixed(2)}` +
    (step.cpu.serverCores === null ? '' : `  server ${step.cpu.serverCores.toFixed(3)}`) +
    (step.cpu.otherCores === undefined ? '' : `  other work ${step.cpu.otherCores.toFixed(2)}`) +
    (step.forwardedVideoKbps === null || step.forwardedVideoKbps === undefined ? '' : `  video ${Math.round(step.forwardedVideoKbps)} kbps/stream`) +
    `  loss ${(step.loss * 100).toFixed(3)} % (drops: worker ${step.udpReceiveDrops.worker}, bots ${step.udpReceiveDrops.bots})  forwarding p50/p95/p99 ${ms(forwarding.p50)}/${ms(forwarding.p95)}/${ms(forwarding.p99)} ms` +
    generator
  );
}

export async function runCapacity(target: CallTarget, options: CapacityOptions, log: (line: string) => void): Promise<CapacityRun> {
  const camera = cameraPlan(options.layers, options.videoBitrate);
  // The bypass sends what a receiver gets through the SFU: the layer its tile needs, as our server picks it.
  const forwarded = camera[spatialLayerFor(options.viewHeight, camera.length)] ?? camera[0];
  if (!forwarded) throw new Error('a camera sends at least one stream');
  const load = await Load.start(options.videoBitrate, options.generatorCpus, true, { camera, forwarded });
  const media = { videoBitrate: options.videoBitrate, camera, viewHeight: options.viewHeight, pacer: load.pacer, path: load.sfu };
  const steps: CapacityStep[] = [];
  let limitedBy: CapacityRun['limitedBy'] = 'steps-exhausted';
  let note = '';
  let consults = 0;
  try {
    for (const wanted of options.steps) {
      try {
        while (consults < wanted) {
          const batch = Math.min(startBatch, wanted - consults);
          const started = await Promise.allSettled(Array.from({ length: batch }, () => target.startConsult(media)));
          const bots: Bot[] = started.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
          for (const bot of bots) load.bots.add(bot);
          const failed = started.find((result) => result.status === 'rejected');
          if (failed) throw failed.reason;
          consults += batch;
          const flowing = await Promise.race([
            Promise.all(bots.map((bot) => bot.firstRemotePacket())).then(() => true),
            sleep(firstPacketTimeoutMs).then(() => false),
          ]);
          if (!flowing) log(`not every new bot received media within ${firstPacketTimeoutMs / 1000} s (consults ${consults - batch + 1}-${consults})`);
        }
      } catch (error) {
        limitedBy = 'error';
        note = `starting consult ${consults + 1} failed: ${error instanceof Error ? error.message : String(error)}`;
        log(note);
        break;
      }
      await sleep(options.warmupSeconds * 1000);
      const step = capacityStep(consults, await load.measure(options.windowSeconds, target));
      steps.push(step);
      log(describeStep(step));
      if (step.generator.saturated) {
        limitedBy = 'load-generator';
        break;
      }
      if (!step.withinTarget) {
        limitedBy = 'sfu';
        break;
      }
    }
  } finally {
    await load.close();
  }
  return summarize(target.name, options, camera, steps, limitedBy, note);
}

function summarize(
  targetName: CapacityRun['target'],
  options: CapacityOptions,
  camera: readonly CameraStream[],
  steps: CapacityStep[],
  limitedBy: CapacityRun['limitedBy'],
  errorNote: string,
): CapacityRun {
  const trusted = steps.filter((step) => !step.generator.saturated);
  const line = fitLine(trusted.map((step) => ({ x: step.consults, y: step.cpu.workerCores })));
  const projected = line && line.slope > 0 ? (1 - line.intercept) / line.slope : null;
  const within = trusted.filter((step) => step.withinTarget).map((step) => step.consults);
  const maxWithin = within.length > 0 ? Math.max(...within) : null;
  const last = steps.at(-1);
  const notes: string[] = [];
  if (errorNote) notes.push(errorNote);
  if (limitedBy === 'load-generator' && last) {
    notes.push(
      `At ${last.consults} consults the load generator, not the SFU, was the limit (${last.generator.reasons.join('; ')}); ` +
        `the worker was at ${last.cpu.workerCores.toFixed(2)} core, so the SFU's own limit lies beyond what these bots can drive.`,
    );
  }
  if (limitedBy === 'sfu' && last) {
    const drops = last.udpReceiveDrops.worker;
    notes.push(
      `At ${last.consults} consults the SFU missed the target while the bots kept up` +
        (drops > 0
          ? `: the worker's UDP socket dropped ${drops} datagrams (receive buffer full) with the worker at ${last.cpu.workerCores.toFixed(2)} core, ` +
            `i.e. bursts overflowed the socket buffer rather than the worker running out of CPU.`
          : '.'),
    );
  }
  const disturbed = steps.filter((step) => (step.cpu.otherCores ?? 0) > disturbedAboveCores);
  if (disturbed.length > 0) {
    const most = Math.max(...disturbed.map((step) => step.cpu.otherCores ?? 0));
    notes.push(
      `Other work shared the machine during ${disturbed.length === steps.length ? 'every step' : `N=${disturbed.map((step) => step.consults).join(', ')}`} ` +
        `(up to ${most.toFixed(2)} core): those steps' CPU and latency figures are disturbed.`,
    );
  }
  if (limitedBy === 'steps-exhausted') notes.push('Every step was within target; raise --consults to find the limit.');
  if (projected !== null) {
    notes.push(`The CPU line reaches one core at about ${Math.round(projected)} consults${maxWithin !== null && projected > maxWithin ? ' (an extrapolation)' : ''}.`);
  }
  return {
    target: targetName,
    videoKbps: Math.round(options.videoBitrate / 1000),
    layers: options.layers,
    camera: camera.map((stream) => ({
      rid: stream.rid ?? null,
      kbps: Math.round(stream.bitrate / 1000),
      framesPerSecond: stream.framesPerSecond,
      temporalLayers: stream.temporalLayers,
    })),
    viewHeight: options.viewHeight,
    steps,
    workerCoresPerConsult: line?.slope ?? null,
    workerCoresIntercept: line?.intercept ?? null,
    projectedConsultsPerCore: projected,
    maxConsultsWithinTarget: maxWithin,
    limitedBy,
    note: notes.join(' '),
  };
}
