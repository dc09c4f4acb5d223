// Join storm: K participants arrive at R per second, each through a real
// invite link (the doctor with a session), admitted by their doctor bot.
// Timed per participant from opening the connection; the signalling
// server's CPU over the storm is divided by the number of joins.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BotTimings } from '../bot';
import type { ConsiliumIdentity } from '../consiliumSignalling';
import { Load } from '../load';
import type { JoinStormResult, Milestone } from '../results';
import { Samples } from '../stats';
import { CpuMeter } from '../system';
import { type ConsiliumTarget, startConsiliumBot } from '../targets';

export interface JoinStormOptions {
  participants: number;
  ratePerSecond: number;
  videoBitrate: number;
  generatorCpus: number;
}

const firstPacketTimeoutMs = 20_000;

interface Arrival {
  identity: ConsiliumIdentity;
  guest: boolean;
  timings: BotTimings;
  error?: string;
}

function milestone(values: (number | undefined)[]): Milestone {
  const samples = new Samples();
  for (const value of values) if (value !== undefined) samples.add(value);
  const [p50, p95] = samples.percentiles([50, 95]);
  return { count: samples.count, p50: p50 ?? null, p95: p95 ?? null };
}

export async function runJoinStorm(target: ConsiliumTarget, options: JoinStormOptions, log: (line: string) => void): Promise<JoinStormResult> {
  const consults = Math.ceil(options.participants / 3);
  const prepared = await target.prepare(consults);
  // Doctor, patient, interpreter of consult 1, then of consult 2, …: each doctor is in before their guests.
  const arrivals: Arrival[] = [];
  for (const consult of prepared) {
    arrivals.push(
      { identity: { as: 'doctor', consultId: consult.consultId, cookie: consult.doctorCookie }, guest: false, timings: {} },
      { identity: { as: 'guest', inviteToken: consult.patientToken, displayName: 'Bench patient' }, guest: true, timings: {} },
      { identity: { as: 'guest', inviteToken: consult.interpreterToken, displayName: 'Bench interpreter' }, guest: true, timings: {} },
    );
  }
  arrivals.length = options.participants;

  const load = await Load.start(options.videoBitrate, options.generatorCpus, false);
  const media = { videoBitrate: options.videoBitrate, pacer: load.pacer, path: load.sfu };
  try {
    // A live server has run its code before: one consult comes and goes first, unmeasured.
    const warmUp = await target.startConsult(media);
    await Promise.race([Promise.all(warmUp.map((bot) => bot.firstRemotePacket())), sleep(firstPacketTimeoutMs)]);
    await Promise.all(warmUp.map((bot) => bot.close()));

    const meter = new CpuMeter({ worker: target.workerPid, server: target.serverPid, bench: process.pid });
    load.resetHealth();
    meter.start();
    const started = performance.now();
    const joins = arrivals.map(async (arrival, index) => {
      await sleep((index / options.ratePerSecond) * 1000);
      try {
        const bot = await startConsiliumBot(target.server.url, arrival.identity, media, arrival.timings);
        load.bots.add(bot);
        if (arrival.guest) {
          const timedOut = await Promise.race([bot.firstRemotePacket().then(() => false), sleep(firstPacketTimeoutMs).then(() => true)]);
          if (timedOut) arrival.error = `no remote packet within ${firstPacketTimeoutMs / 1000} s`;
        }
      } catch (error) {
        arrival.error = error instanceof Error ? error.message : String(error);
      }
    });
    let settled = 0;
    const progress = setInterval(() => log(`join storm: ${settled}/${arrivals.length} participants settled`), 2000);
    await Promise.all(joins.map((join) => join.finally(() => (settled += 1))));
    clearInterval(progress);
    const durationSeconds = (performance.now() - started) / 1000;
    const used = meter.stop();
    const cpuSecondsOf = (name: string): number => (used[name] ?? 0) * durationSeconds;
    const failed = arrivals.filter((arrival) => arrival.error !== undefined);
    const guests = arrivals.filter((arrival) => arrival.guest && arrival.error === undefined);
    const everyone = arrivals.filter((arrival) => arrival.error === undefined);
    const result: JoinStormResult = {
      participants: arrivals.length,
      consults,
      ratePerSecond: options.ratePerSecond,
      videoKbps: Math.round(options.videoBitrate / 1000),
      completed: everyone.length,
      failed: failed.length,
      errors: [...new Set(failed.map((arrival) => arrival.error ?? ''))].slice(0, 5),
      durationSeconds,
      milestonesMs: {
        connected: milestone(everyone.map((arrival) => arrival.timings.connected)),
        joined: milestone(everyone.map((arrival) => arrival.timings.joined)),
        admitted: milestone(guests.map((arrival) => arrival.timings.admitted)),
        producing: milestone(everyone.map((arrival) => arrival.timings.producing)),
        firstRemotePacket: milestone(guests.map((arrival) => arrival.timings.firstRemotePacket)),
      },
      serverCpuMsPerJoin: (cpuSecondsOf('server') * 1000) / arrivals.length,
      workerCpuMsPerJoin: (cpuSecondsOf('worker') * 1000) / arrivals.length,
      generator: load.health((used['bench'] ?? 0) + (used['server'] ?? 0), null, 0, 0),
    };
    return result;
  } finally {
    await load.close();
  }
}
