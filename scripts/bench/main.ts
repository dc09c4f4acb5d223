// `npm run bench`: the load harness. Starts its own Consilium server (and a
// bare mediasoup worker for the anchor), drives it with bots, and writes
// bench/results/<timestamp>.json and .md. Flags: see options.ts or --help.
// Run it under the CPU lock: flock /tmp/consilium-cpu.lock npm run bench -- …
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { compareResults, loadResult, renderComparison } from './compare';
import { OptionsError, parseOptions, usage } from './options';
import { renderMarkdown } from './report';
import { type BenchResult, benchResultSchema, type CapacityRun } from './results';
import { runCapacity } from './scenarios/capacity';
import { runJoinStorm } from './scenarios/joinStorm';
import { runSoak } from './scenarios/soak';
import { cpuLayout, describeMachine, pin } from './system';
import { BareTarget, type CallTarget, ConsiliumTarget } from './targets';

const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

function fail(message: string, code = 1): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(code);
}

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  if (error instanceof OptionsError) fail(`${error.message}\nRun \`npm run bench -- --help\` for the flags.`, 2);
  throw error;
}
if (options.help) {
  console.log(usage);
  process.exit(0);
}

// Read the previous result first: a bad path should not cost a whole run.
let previous: BenchResult | undefined;
try {
  previous = options.compare ? loadResult(options.compare) : undefined;
  if (previous && options.existingResult) {
    console.log(renderComparison(compareResults(previous, loadResult(options.existingResult)), options.compare ?? ''));
    process.exit(0);
  }
} catch (error) {
  fail(error instanceof Error ? error.message : String(error), 2);
}

// The bots allocate a lot per packet (werift). A small young generation keeps
// V8's scavenges short, so the load generator stalls less and sends smoother;
// measured here: scavenges over 5 ms fell from 20-35 to 2-8 per 15 s. This
// applies to the bench process only, never to the server it measures.
const generatorHeapFlag = '--max-semi-space-size=4';
if (!process.execArgv.includes(generatorHeapFlag)) {
  const again = spawnSync(process.execPath, [...process.execArgv, generatorHeapFlag, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(again.status ?? 1);
}

const layout = cpuLayout(options.pin);
if (layout.pinned) pin(process.pid, layout.otherCpus);
const generatorCpus = layout.pinned ? cpus().length - 1 : cpus().length;
const warnings: string[] = [];
if (!layout.pinned) warnings.push(`Not pinned: ${layout.description}. Worker CPU and latency are less trustworthy.`);
log(layout.description);

const startedAt = new Date();
const capacity: CapacityRun[] = [];
let joinStorm: BenchResult['joinStorm'] = null;
let soak: BenchResult['soak'] = null;

async function withTarget<T>(start: () => Promise<CallTarget>, use: (target: CallTarget) => Promise<T>): Promise<T> {
  const target = await start();
  try {
    return await use(target);
  } finally {
    await target.close();
  }
}

async function scenario(name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const message = `${name} failed: ${error instanceof Error ? error.message : String(error)}`;
    warnings.push(message);
    log(message);
  }
}

if (options.scenarios.has('capacity')) {
  for (const targetName of options.targets) {
    for (const videoBitrate of options.videoBitrates) {
      // Both ways of sending one after the other, each on a fresh server, so they see the machine alike.
      for (const layers of options.layerModes) {
        const what = `${targetName}, ${videoBitrate / 1000} kbps${layers === 'simulcast' ? ' simulcast' : ''}`;
        await scenario(`capacity (${what})`, async () => {
          log(`capacity: ${what} video, steps ${options.steps.join(', ')}`);
          const start = (): Promise<CallTarget> => (targetName === 'consilium' ? ConsiliumTarget.start(layout) : BareTarget.start(layout));
          const { steps, warmupSeconds, windowSeconds, viewHeight } = options;
          const run = await withTarget(start, (target) =>
            runCapacity(target, { videoBitrate, layers, viewHeight, steps, warmupSeconds, windowSeconds, generatorCpus }, log),
          );
          capacity.push(run);
          log(`capacity: ${what}: ${run.note}`);
        });
      }
    }
  }
}

const firstBitrate = options.videoBitrates[0] ?? 800_000;

if (options.scenarios.has('storm')) {
  await scenario('join storm', async () => {
    log(`join storm: ${options.storm.participants} participants at ${options.storm.ratePerSecond}/s`);
    const target = await ConsiliumTarget.start(layout);
    try {
      joinStorm = await runJoinStorm(target, { ...options.storm, videoBitrate: firstBitrate, generatorCpus }, log);
    } finally {
      await target.close();
    }
  });
}

if (options.scenarios.has('soak')) {
  await scenario('soak', async () => {
    const measured = capacity.find((run) => run.target === 'consilium' && run.layers === 'single' && run.videoKbps === firstBitrate / 1000)
      ?.maxConsultsWithinTarget;
    const consults = options.soak.consults ?? (measured ? Math.max(1, Math.floor(measured / 2)) : 3);
    if (options.soak.consults === undefined) {
      warnings.push(
        measured
          ? `Soak at ${consults} consults: half of the ${measured} measured within target in this run (a load-generator limit if the capacity ramp says so).`
          : `Soak at ${consults} consults: no capacity measured in this run; pass --soak-consults to choose.`,
      );
    }
    log(`soak: ${consults} consults for ${(options.soak.durationSeconds / 60).toFixed(1)} minutes`);
    const target = await ConsiliumTarget.start(layout);
    try {
      soak = await runSoak(target, { ...options.soak, consults, videoBitrate: firstBitrate, generatorCpus }, log);
    } finally {
      await target.close();
    }
  });
}

const result = benchResultSchema.parse({
  schema: 'consilium-bench/1',
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  quick: options.quick,
  command: ['npm run bench --', ...process.argv.slice(2)].join(' '),
  machine: describeMachine(layout),
  capacity,
  joinStorm,
  soak,
  warnings,
} satisfies BenchResult);

const outDir = resolve(options.outDir);
mkdirSync(outDir, { recursive: true });
const stem = join(outDir, startedAt.toISOString().replace(/[:.]/g, '-'));
let markdown = renderMarkdown(result);
if (previous && options.compare) {
  const comparison = renderComparison(compareResults(previous, result), options.compare);
  console.log(comparison);
  markdown += `\n## Comparison\n\n${comparison}`;
}
writeFileSync(`${stem}.json`, `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(`${stem}.md`, markdown);
log(`results: ${stem}.json and ${stem}.md`);
// Bots' sockets and timers are closed; anything werift left behind must not keep us alive.
process.exit(warnings.some((warning) => warning.includes(' failed: ')) ? 1 : 0);
