// What the bench reads from the operating system: CPU time and memory of a
// process from /proc, CPU pinning with taskset, and a description of the
// machine for the result.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ticksPerSecond = ((): number => {
  const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const value = Number(result.stdout?.trim());
  return Number.isInteger(value) && value > 0 ? value : 100;
})();

/** User plus system CPU seconds a process (all its threads) has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/**
 * CPU seconds the whole machine has been busy so far (every process, every
 * CPU: /proc/stat less idle and iowait): what the bench's own processes did
 * not use of it was other work sharing the machine.
 */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return [user, nice, system, irq, softirq, steal].reduce((sum: number, value) => sum + (value ?? 0), 0) / ticksPerSecond;
}

/** Resident memory of a process, in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * Datagrams the kernel dropped because a process's UDP sockets' receive
 * buffers were full (the `drops` column of /proc/net/udp and udp6, over the
 * sockets the process holds). Drops at the bots' sockets are the load
 * generator falling behind; drops at the worker's are the SFU's.
 */
export function udpReceiveDrops(pid: number): number {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // closed meanwhile
    }
  }
  let drops = 0;
  for (const table of ['/proc/net/udp', '/proc/net/udp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length >= 13 && inodes.has(fields[9] ?? '')) drops += Number(fields[12]);
    }
  }
  return drops;
}

/** Measures how many cores each named process used between start() and stop(). */
export class CpuMeter {
  readonly #pids: Map<string, number>;
  #startedMs = 0;
  #start = new Map<string, number>();

  constructor(pids: Record<string, number | undefined>) {
    this.#pids = new Map(Object.entries(pids).filter((entry): entry is [string, number] => entry[1] !== undefined));
  }

  start(): void {
    this.#startedMs = performance.now();
    this.#start = new Map([...this.#pids].map(([name, pid]) => [name, cpuSeconds(pid)]));
  }

  /** Cores used on average (1 = one core fully busy), by name. */
  stop(): Record<string, number> {
    const seconds = (performance.now() - this.#startedMs) / 1000;
    const used: Record<string, number> = {};
    for (const [name, pid] of this.#pids) used[name] = (cpuSeconds(pid) - (this.#start.get(name) ?? 0)) / seconds;
    return used;
  }
}

/** Where things run: the worker alone on one core, everything else on the others. */
export interface CpuLayout {
  pinned: boolean;
  workerCpus: string;
  otherCpus: string;
  description: string;
}

export function cpuLayout(wanted: boolean): CpuLayout {
  const count = cpus().length;
  const haveTaskset = spawnSync('taskset', ['--version']).status === 0;
  if (!wanted || count < 2 || !haveTaskset) {
    const why = !wanted ? 'pinning turned off' : count < 2 ? 'only one CPU' : 'taskset not found';
    return { pinned: false, workerCpus: '', otherCpus: '', description: `not pinned (${why}): worker, bots and signalling share all ${count} CPUs` };
  }
  const otherCpus = count === 2 ? '1' : `1-${count - 1}`;
  return {
    pinned: true,
    workerCpus: '0',
    otherCpus,
    description: `mediasoup worker pinned to CPU 0; bots, bench and signalling server pinned to CPU ${otherCpus}`,
  };
}

/** Pins every thread of `pid` to `cpuList` (taskset syntax); throws if taskset refuses. */
export function pin(pid: number, cpuList: string): void {
  if (!cpuList) return;
  const result = spawnSync('taskset', ['-a', '-cp', cpuList, String(pid)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`taskset could not pin process ${pid} to CPU ${cpuList}: ${result.stderr.trim()}`);
}

export interface MachineDescription {
  cpuModel: string;
  cpus: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  mediasoup: string;
  mscNode: string;
  werift: string;
  cpuLayout: string;
}

/** A dependency's version, from the package.json above its entry point (some packages do not export it). */
function packageVersion(name: string): string {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve(name));
    while (dir !== dirname(dir)) {
      const manifest = join(dir, 'package.json');
      if (existsSync(manifest)) {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; version?: unknown };
        if (parsed.name === name && typeof parsed.version === 'string') return parsed.version;
      }
      dir = dirname(dir);
    }
  } catch {
    // fall through
  }
  return 'unknown';
}

export function describeMachine(layout: CpuLayout): MachineDescription {
  const all = cpus();
  return {
    cpuModel: all[0]?.model.trim() ?? 'unknown',
    cpus: all.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: `Linux ${release()}`,
    node: process.version,
    mediasoup: packageVersion('mediasoup'),
    mscNode: packageVersion('msc-node'),
    werift: packageVersion('werift'),
    cpuLayout: layout.description,
  };
}
