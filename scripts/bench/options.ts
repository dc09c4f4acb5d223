// Command-line flags of `npm run bench`, parsed strictly: an unknown flag or
// a bad value stops the bench with a message that says which and why.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type LayerMode, layerModes } from './results';

export const usage = `Usage: npm run bench -- [flags]   (run it under: flock /tmp/consilium-cpu.lock npm run bench -- …)

Scenarios
  --scenario LIST          capacity,storm,soak (default: all three)
  --quick                  a short run of everything (about half a minute): small steps, short windows

Capacity (three-way consults added step by step on one worker)
  --target LIST            consilium,bare (default: both; bare = the same bots on a bare mediasoup router)
  --bitrate LIST           video kbps per participant: of the one stream, or of the top simulcast layer (default: 800,1500)
  --layers LIST            single,simulcast: how the bots send their camera (default: both, one ramp each;
                           --quick: single). simulcast = three layers as browsers send them (r0, r1, r2 at
                           1/12, 5/12 and all of --bitrate; at 1200 the product's 100/500/1200 kbps)
  --view-height PX         the height receivers say they draw each video at, as a browser does; picks the
                           simulcast layer forwarded (default: 360, the middle layer)
  --consults LIST          consults at each step, increasing (default: 1,2,3,4,5,6,7,8,10,12,14,16,20,24,32,40)
  --window SECONDS         measurement window per step (default: 10)
  --warmup SECONDS         settling time after adding consults (default: 5)

Join storm
  --storm-participants K   participants joining (default: 18)
  --storm-rate R           arrivals per second (default: 3)

Soak
  --soak-consults N        consults kept running (default: half of this run's Consilium capacity at the first bitrate, else 3)
  --soak-minutes M         duration (default: 10)

Output
  --out DIR                where results go (default: bench/results)
  --compare FILE           print ratios of this run against a previous result (JSON)
  --result FILE            with --compare: compare this existing result instead of running
  --no-pin                 do not pin the worker and the bots to separate CPUs
  --help`;

export class OptionsError extends Error {
  override name = 'OptionsError';
}

const scenarios = ['capacity', 'storm', 'soak'] as const;
const targetFlags = { consilium: 'consilium', bare: 'bare-mediasoup' } as const;

/** A comma-separated list of `item`s. */
function list<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value),
    z.array(item).min(1, 'give at least one value'),
  );
}

const positiveInt = z.coerce.number().int().positive();

const flagsSchema = z
  .strictObject({
    scenario: list(z.enum(scenarios)).optional(),
    quick: z.boolean().default(false),
    target: list(z.enum(['consilium', 'bare'])).optional(),
    bitrate: list(z.coerce.number().int().min(100, 'at least 100 kbps').max(8000, 'at most 8000 kbps')).optional(),
    layers: list(z.enum(layerModes)).optional(),
    'view-height': z.coerce.number().int().min(1).max(4320).optional(),
    consults: list(positiveInt.max(500))
      .refine((steps) => steps.every((step, index) => index === 0 || step > (steps[index - 1] ?? 0)), 'steps must increase')
      .optional(),
    window: z.coerce.number().min(1).max(600).optional(),
    warmup: z.coerce.number().min(0).max(120).optional(),
    'storm-participants': positiveInt.min(2).max(600).optional(),
    'storm-rate': z.coerce.number().positive().max(200).optional(),
    'soak-consults': positiveInt.max(200).optional(),
    'soak-minutes': z.coerce.number().positive().max(24 * 60).optional(),
    out: z.string().min(1).default('bench/results'),
    compare: z.string().min(1).optional(),
    result: z.string().min(1).optional(),
    'no-pin': z.boolean().default(false),
    help: z.boolean().default(false),
  })
  .refine((flags) => !flags.result || flags.compare, { message: '--result only makes sense with --compare', path: ['result'] });

export interface BenchOptions {
  help: boolean;
  scenarios: Set<(typeof scenarios)[number]>;
  quick: boolean;
  targets: (typeof targetFlags)[keyof typeof targetFlags][];
  videoBitrates: number[];
  layerModes: LayerMode[];
  viewHeight: number;
  steps: number[];
  windowSeconds: number;
  warmupSeconds: number;
  storm: { participants: number; ratePerSecond: number };
  soak: { consults: number | undefined; durationSeconds: number; sampleSeconds: number; warmupSeconds: number };
  outDir: string;
  compare: string | undefined;
  /** Compare this file instead of running. */
  existingResult: string | undefined;
  pin: boolean;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        scenario: { type: 'string' },
        quick: { type: 'boolean' },
        target: { type: 'string' },
        bitrate: { type: 'string' },
        layers: { type: 'string' },
        'view-height': { type: 'string' },
        consults: { type: 'string' },
        window: { type: 'string' },
        warmup: { type: 'string' },
        'storm-participants': { type: 'string' },
        'storm-rate': { type: 'string' },
        'soak-consults': { type: 'string' },
        'soak-minutes': { type: 'string' },
        out: { type: 'string' },
        compare: { type: 'string' },
        result: { type: 'string' },
        'no-pin': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new OptionsError(error instanceof Error ? error.message : String(error));
  }
  const parsed = flagsSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `--${issue.path.join('.') || 'flags'}: ${issue.message}`);
    throw new OptionsError(problems.join('\n'));
  }
  const flags = parsed.data;
  const quick = flags.quick;
  return {
    help: flags.help,
    scenarios: new Set(flags.scenario ?? scenarios),
    quick,
    targets: [...new Set(flags.target ?? (['consilium', 'bare'] as const))].map((flag) => targetFlags[flag]),
    videoBitrates: (flags.bitrate ?? (quick ? [800] : [800, 1500])).map((kbps) => kbps * 1000),
    layerModes: [...new Set(flags.layers ?? (quick ? (['single'] as const) : layerModes))],
    viewHeight: flags['view-height'] ?? 360,
    steps: flags.consults ?? (quick ? [1, 2] : [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 32, 40]),
    windowSeconds: flags.window ?? (quick ? 2 : 10),
    warmupSeconds: flags.warmup ?? (quick ? 1 : 5),
    storm: { participants: flags['storm-participants'] ?? (quick ? 6 : 18), ratePerSecond: flags['storm-rate'] ?? (quick ? 6 : 3) },
    soak: {
      consults: flags['soak-consults'],
      durationSeconds: (flags['soak-minutes'] ?? (quick ? 0.1 : 10)) * 60,
      sampleSeconds: quick ? 2 : 30,
      // The server's heap settles after the fixtures (password hashing) are made.
      warmupSeconds: quick ? 1 : 60,
    },
    outDir: flags.out,
    compare: flags.compare,
    existingResult: flags.result,
    pin: !flags['no-pin'],
  };
}
