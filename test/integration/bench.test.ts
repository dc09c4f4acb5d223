// `npm run bench -- --quick` runs to completion and writes a well-formed
// result: JSON that matches the schema, with numbers that make sense, and the
// Markdown report next to it. Nothing here judges how fast anything is.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchResult, benchResultSchema, type Percentiles } from '../../scripts/bench/results';

function bench(args: string[], timeout = 150_000) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench/main.ts', ...args], { encoding: 'utf8', timeout });
}

function assertOrdered(latency: Percentiles, what: string): void {
  const { p50, p95, p99 } = latency;
  assert.ok(p50 !== null && p95 !== null && p99 !== null, `${what}: measured`);
  assert.ok(p50 > 0 && p50 <= p95 && p95 <= p99, `${what}: 0 < p50 ≤ p95 ≤ p99 (${p50}, ${p95}, ${p99})`);
}

describe('load harness (npm run bench)', function () {
  this.timeout(180_000);
  let outDir: string;
  let result: BenchResult;
  let markdown: string;
  let jsonPath: string;

  before(() => {
    outDir = mkdtempSync(join(tmpdir(), 'consilium-bench-'));
    const run = bench(['--quick', '--out', outDir]);
    assert.equal(run.status, 0, `the quick bench failed:\n${run.stderr}`);
    const files = readdirSync(outDir);
    const json = files.filter((file) => file.endsWith('.json'));
    assert.equal(json.length, 1, `one JSON result: ${files.join(', ')}`);
    jsonPath = join(outDir, json[0] ?? '');
    const mdPath = jsonPath.replace(/\.json$/, '.md');
    assert.ok(files.includes(mdPath.slice(outDir.length + 1)), 'a Markdown report next to it');
    result = benchResultSchema.parse(JSON.parse(readFileSync(jsonPath, 'utf8')));
    markdown = readFileSync(mdPath, 'utf8');
  });

  after(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('describes the machine and how it ran', () => {
    assert.equal(result.quick, true);
    assert.ok(result.machine.cpus >= 1);
    assert.match(result.machine.mediasoup, /^3\.\d+\.\d+$/);
    assert.match(result.machine.mscNode, /^\d+\.\d+\.\d+$/);
    assert.ok(Date.parse(result.finishedAt) >= Date.parse(result.startedAt));
    assert.deepEqual(result.warnings.filter((warning) => warning.includes('failed')), []);
  });

  it('measures capacity for our server and for the bare mediasoup anchor', () => {
    assert.deepEqual(result.capacity.map((run) => [run.target, run.videoKbps]), [
      ['consilium', 800],
      ['bare-mediasoup', 800],
    ]);
    for (const run of result.capacity) {
      assert.notEqual(run.limitedBy, 'error', run.note);
      assert.ok(run.steps.length >= 1, `${run.target}: at least one step`);
      run.steps.forEach((step, index) => {
        const what = `${run.target} N=${step.consults}`;
        assert.equal(step.consults, index + 1, `${what}: quick steps are 1, 2`);
        assert.equal(step.streams, 12 * step.consults, `${what}: 12 received streams per three-way consult`);
        assert.equal(step.silentStreams, 0, `${what}: every stream received`);
        // The shape of a result, not its figures: loss and speed under load are the bench's to report, not a test's to judge.
        assert.ok(step.packetsReceived > 0, `${what}: packets flowed (${step.packetsReceived})`);
        assert.ok(step.packetsReceived <= step.packetsExpected, `${what}: no more packets than expected`);
        assert.ok(step.loss >= 0 && step.loss <= 1, `${what}: loss is a fraction (${step.loss})`);
        assert.ok(Number.isFinite(step.cpu.workerCores) && step.cpu.workerCores > 0, `${what}: the worker's CPU was measured (${step.cpu.workerCores})`);
        assert.ok(step.cpu.benchCores > 0, `${what}: the bots used CPU`);
        assert.equal(step.cpu.serverCores === null, run.target === 'bare-mediasoup', `${what}: server CPU only with a server`);
        assertOrdered(step.latencyMs.sfuPath, `${what} SFU path`);
        assertOrdered(step.latencyMs.bypass, `${what} bypass`);
        for (const key of ['p50', 'p95', 'p99'] as const) {
          const forwarding = step.latencyMs.forwarding[key];
          const through = step.latencyMs.sfuPath[key];
          assert.ok(forwarding !== null && through !== null && forwarding <= through, `${what}: forwarding ${key} is part of the SFU path`);
        }
        assert.ok(step.generator.sendRate !== null && step.generator.sendRate > 0, `${what}: a send rate was measured`);
      });
    }
  });

  it('times a join storm through invite links and the waiting room', () => {
    const storm = result.joinStorm;
    assert.ok(storm);
    assert.equal(storm.participants, 6);
    assert.equal(storm.failed, 0, storm.errors.join('; '));
    assert.equal(storm.completed, 6);
    const { connected, joined, admitted, producing, firstRemotePacket } = storm.milestonesMs;
    assert.deepEqual([connected.count, joined.count, admitted.count, producing.count, firstRemotePacket.count], [6, 6, 4, 6, 4]);
    for (const [earlier, later] of [
      [connected, joined],
      [joined, producing],
      [admitted, firstRemotePacket],
    ] as const) {
      assert.ok(earlier.p50 !== null && later.p50 !== null && earlier.p50 <= later.p50, 'milestones come in order');
    }
    assert.ok(Number.isFinite(storm.serverCpuMsPerJoin) && storm.serverCpuMsPerJoin > 0, `signalling CPU per join was measured (${storm.serverCpuMsPerJoin})`);
  });

  it('samples memory during a soak', () => {
    const soak = result.soak;
    assert.ok(soak);
    assert.ok(soak.samples.length >= 2);
    for (const sample of soak.samples) {
      assert.ok(sample.serverRssMiB > 20 && sample.serverHeapMiB > 1 && sample.serverHeapMiB < sample.serverRssMiB);
      assert.ok(sample.workerRssMiB > 1);
    }
    const first = soak.samples[0];
    const last = soak.samples.at(-1);
    assert.ok(first && last);
    assert.equal(soak.growthMiB.workerRss, last.workerRssMiB - first.workerRssMiB);
  });

  it('writes the same figures as a Markdown report', () => {
    for (const heading of ['## Capacity', '### consilium, 800 kbps video', '### bare-mediasoup, 800 kbps video', '## Join storm', '## Soak']) {
      assert.ok(markdown.includes(heading), `the report has "${heading}"`);
    }
    const consilium = result.capacity[0];
    assert.ok(consilium?.steps[0]);
    assert.ok(markdown.includes(`| 1 | 12 | ${consilium.steps[0].cpu.workerCores.toFixed(3)} |`), 'the first step row carries the measured worker CPU');
    assert.match(markdown, /\| 800 kbps \| worker core per consult \|/);
  });

  it('compares a result with a previous one', () => {
    const run = bench(['--compare', jsonPath, '--result', jsonPath], 30_000);
    assert.equal(run.status, 0, run.stderr);
    const rows = run.stdout.split('\n').filter((line) => /^\| (consilium|bare-mediasoup|join storm|soak)/.test(line));
    assert.ok(rows.length >= 10, `a row per measure:\n${run.stdout}`);
    for (const line of rows) {
      const [measure, before, now, ratio] = line.split('|').slice(1, 5).map((cell) => cell.trim());
      // A run against itself: the same value twice and a ratio of one, or a dash where there is nothing to divide.
      assert.equal(now, before, `${measure}: the same value on both sides`);
      const dividable = before !== undefined && before !== '–' && Number(before) !== 0;
      assert.equal(ratio, dividable ? '×1.00' : '–', `${measure}: ratio`);
    }
    assert.match(run.stdout, /\| join storm: signalling CPU per join \(ms\) \| [\d.]+ \| [\d.]+ \| ×1\.00 \|/);
  });

  it('refuses bad flags and bad files with a clear message', () => {
    for (const [args, message] of [
      [['--bogus'], /Unknown option '--bogus'/],
      [['--consults', '4,2'], /--consults: steps must increase/],
      [['--bitrate', 'fast'], /--bitrate/],
      [['--scenario', 'capacity,nap'], /--scenario/],
      [['--result', jsonPath], /--result only makes sense with --compare/],
      [['--compare', join(outDir, 'missing.json')], /cannot read .*missing\.json/],
    ] as const) {
      const run = bench([...args], 30_000);
      assert.equal(run.status, 2, `${args.join(' ')}: exit status`);
      assert.match(run.stderr, message);
    }
  });
});
