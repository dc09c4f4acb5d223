// --compare: this run (or a given result) against a previous one, measure by
// measure, as current / previous.
import { readFileSync } from 'node:fs';
import { format, videoLabel } from './report';
import { type BenchResult, benchResultSchema, type CapacityRun } from './results';

export interface ComparisonRow {
  measure: string;
  previous: number | null;
  current: number | null;
  /** current / previous; null when either is missing or previous is zero. */
  ratio: number | null;
  /** Which direction is an improvement. */
  better: 'lower' | 'higher';
}

export function loadResult(path: string): BenchResult {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const parsed = benchResultSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path} is not a bench result: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

function row(measure: string, previous: number | null | undefined, current: number | null | undefined, better: 'lower' | 'higher'): ComparisonRow {
  const before = previous ?? null;
  const now = current ?? null;
  return { measure, previous: before, current: now, ratio: before === null || now === null || before === 0 ? null : now / before, better };
}

function capacityRows(previous: CapacityRun, current: CapacityRun): ComparisonRow[] {
  const label = `${current.target} ${videoLabel(current)}`;
  const rows = [
    row(`${label}: worker core per consult`, previous.workerCoresPerConsult, current.workerCoresPerConsult, 'lower'),
    row(`${label}: largest N within target`, previous.maxConsultsWithinTarget, current.maxConsultsWithinTarget, 'higher'),
    row(`${label}: consults per core (projected)`, previous.projectedConsultsPerCore, current.projectedConsultsPerCore, 'higher'),
  ];
  const common = current.steps.filter((step) => previous.steps.some((other) => other.consults === step.consults)).at(-1);
  const before = previous.steps.find((step) => step.consults === common?.consults);
  if (common && before) {
    rows.push(
      row(`${label}: forwarding p50 at N=${common.consults} (ms)`, before.latencyMs.forwarding.p50, common.latencyMs.forwarding.p50, 'lower'),
      row(`${label}: forwarding p95 at N=${common.consults} (ms)`, before.latencyMs.forwarding.p95, common.latencyMs.forwarding.p95, 'lower'),
      row(`${label}: loss at N=${common.consults}`, before.loss, common.loss, 'lower'),
    );
  }
  return rows;
}

export function compareResults(previous: BenchResult, current: BenchResult): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const run of current.capacity) {
    const earlier = previous.capacity.find((other) => other.target === run.target && other.videoKbps === run.videoKbps && other.layers === run.layers);
    if (earlier) rows.push(...capacityRows(earlier, run));
  }
  if (previous.joinStorm && current.joinStorm) {
    const [before, now] = [previous.joinStorm, current.joinStorm];
    rows.push(
      row('join storm: admitted p50 (ms)', before.milestonesMs.admitted.p50, now.milestonesMs.admitted.p50, 'lower'),
      row('join storm: first remote packet p50 (ms)', before.milestonesMs.firstRemotePacket.p50, now.milestonesMs.firstRemotePacket.p50, 'lower'),
      row('join storm: first remote packet p95 (ms)', before.milestonesMs.firstRemotePacket.p95, now.milestonesMs.firstRemotePacket.p95, 'lower'),
      row('join storm: signalling CPU per join (ms)', before.serverCpuMsPerJoin, now.serverCpuMsPerJoin, 'lower'),
    );
  }
  if (previous.soak && current.soak) {
    rows.push(
      row('soak: server RSS slope (MiB/hour)', previous.soak.slopeMiBPerHour.serverRss, current.soak.slopeMiBPerHour.serverRss, 'lower'),
      row('soak: worker RSS slope (MiB/hour)', previous.soak.slopeMiBPerHour.workerRss, current.soak.slopeMiBPerHour.workerRss, 'lower'),
    );
  }
  return rows;
}

export function renderComparison(rows: ComparisonRow[], previousLabel: string): string {
  if (rows.length === 0) return `Nothing to compare with ${previousLabel}: no scenario in common.\n`;
  const value = (number: number | null): string => (number === null ? '–' : Math.abs(number) >= 100 ? number.toFixed(0) : number.toPrecision(3));
  const lines = [
    `Compared with ${previousLabel} (ratio = now / before):`,
    '',
    '| measure | before | now | ratio | better when |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((entry) => `| ${entry.measure} | ${value(entry.previous)} | ${value(entry.current)} | ${format.ratio(entry.ratio)} | ${entry.better} |`),
  ];
  return `${lines.join('\n')}\n`;
}
