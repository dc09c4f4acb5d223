// The shape of a bench result (bench/results/<timestamp>.json), as a schema:
// the bench builds its result with these types, --compare validates the file
// it is given, and the tests check a quick run's output against it.
import { z } from 'zod';

const nonNegative = z.number().finite().nonnegative();
/** Milliseconds; null when nothing was measured (no packet in the window). */
const milliseconds = nonNegative.nullable();
const fraction = z.number().finite().min(0).max(1);

export const percentilesSchema = z.strictObject({ p50: milliseconds, p95: milliseconds, p99: milliseconds });
export type Percentiles = z.infer<typeof percentilesSchema>;

export const generatorSchema = z.strictObject({
  /** True when the bots, not the SFU, limited this measurement. */
  saturated: z.boolean(),
  reasons: z.array(z.string()),
  /** Cores used by the bench process (bots) and, with Consilium, the signalling server sharing their CPU. */
  loadGeneratorCores: nonNegative,
  eventLoopDelayP99Ms: nonNegative,
  eventLoopDelayMaxMs: nonNegative,
  pacerLatenessP95Ms: milliseconds,
  /** Packets the bots handed to their transports over packets they should have (1 = on target); null while bots come and go. */
  sendRate: nonNegative.nullable(),
});
export type GeneratorHealth = z.infer<typeof generatorSchema>;

export const targetNames = ['consilium', 'bare-mediasoup'] as const;
export const targetSchema = z.enum(targetNames);
export type TargetName = z.infer<typeof targetSchema>;

/** How the bots send their camera: one stream, or three simulcast layers as browsers do. */
export const layerModes = ['single', 'simulcast'] as const;
export type LayerMode = (typeof layerModes)[number];

export const cameraStreamSchema = z.strictObject({
  /** The simulcast stream id (r0, r1, r2); null for a single stream. */
  rid: z.string().nullable(),
  kbps: z.number().int().positive(),
  framesPerSecond: z.number().positive(),
  temporalLayers: z.number().int().positive(),
});

export const capacityStepSchema = z.strictObject({
  consults: z.number().int().positive(),
  /** Streams the bots receive: 12 per three-way consult (4 each). */
  streams: z.number().int().nonnegative(),
  windowSeconds: z.number().positive(),
  cpu: z.strictObject({
    workerCores: nonNegative,
    serverCores: nonNegative.nullable(),
    benchCores: nonNegative,
    /** Cores the rest of the machine used meanwhile (other work on a shared machine; absent in older results). */
    otherCores: nonNegative.optional(),
  }),
  packetsReceived: z.number().int().nonnegative(),
  packetsExpected: z.number().int().nonnegative(),
  loss: fraction,
  /** Streams that received nothing during the window. */
  silentStreams: z.number().int().nonnegative(),
  /** Datagrams dropped because receive buffers were full: at the worker's socket (the SFU's loss) or the bots' (the generator's). */
  udpReceiveDrops: z.strictObject({ worker: z.number().int().nonnegative(), bots: z.number().int().nonnegative() }),
  /** Video RTP payload kbps per received video stream: what the SFU forwarded to each receiver (absent in older results). */
  forwardedVideoKbps: nonNegative.nullable().optional(),
  latencyMs: z.strictObject({
    /** Send to receipt through the SFU, as the bots see it. */
    sfuPath: percentilesSchema,
    /** Send to receipt peer to peer over loopback at the same time (no SFU). */
    bypass: percentilesSchema,
    /** sfuPath minus bypass, percentile by percentile (never below zero): what the SFU adds, as an upper bound. */
    forwarding: percentilesSchema,
  }),
  generator: generatorSchema,
  /** Forwarding p95 < 5 ms and loss < 0.1 %, with every stream receiving. */
  withinTarget: z.boolean(),
});
export type CapacityStep = z.infer<typeof capacityStepSchema>;

export const capacityRunSchema = z.strictObject({
  target: targetSchema,
  /** The camera's bitrate: of its one stream, or of its top simulcast layer. */
  videoKbps: z.number().int().positive(),
  /** Older results, from before the bots could send simulcast, read as single. */
  layers: z.enum(layerModes).default('single'),
  /** The streams each bot's camera sends. */
  camera: z.array(cameraStreamSchema).optional(),
  /** The height (px) receiving bots said they draw each video at (setConsumerView); null when they said nothing. */
  viewHeight: z.number().int().nonnegative().nullable().optional(),
  steps: z.array(capacityStepSchema),
  /** Least-squares slope of worker CPU over consults, from steps the load generator kept up with. */
  workerCoresPerConsult: z.number().finite().nullable(),
  workerCoresIntercept: z.number().finite().nullable(),
  /** Where that line reaches one full core: an extrapolation when the ramp stopped earlier. */
  projectedConsultsPerCore: z.number().finite().nullable(),
  /** The largest measured N within target (null when even the first step missed it). */
  maxConsultsWithinTarget: z.number().int().positive().nullable(),
  limitedBy: z.enum(['sfu', 'load-generator', 'steps-exhausted', 'error']),
  note: z.string(),
});
export type CapacityRun = z.infer<typeof capacityRunSchema>;

const milestoneSchema = z.strictObject({ count: z.number().int().nonnegative(), p50: milliseconds, p95: milliseconds });
export type Milestone = z.infer<typeof milestoneSchema>;

export const joinStormSchema = z.strictObject({
  participants: z.number().int().positive(),
  consults: z.number().int().positive(),
  ratePerSecond: z.number().positive(),
  videoKbps: z.number().int().positive(),
  completed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  errors: z.array(z.string()),
  durationSeconds: nonNegative,
  /** Milliseconds from the start of a participant's join (opening the connection). */
  milestonesMs: z.strictObject({
    connected: milestoneSchema,
    joined: milestoneSchema,
    /** Guests only: join acknowledged, then let in by the doctor bot. */
    admitted: milestoneSchema,
    producing: milestoneSchema,
    /** Guests only (they arrive after their doctor, who is already sending). */
    firstRemotePacket: milestoneSchema,
  }),
  /** The signalling server's CPU over the storm, divided by the joins. */
  serverCpuMsPerJoin: nonNegative,
  /** The worker's, likewise: it includes forwarding the media of those already in. */
  workerCpuMsPerJoin: nonNegative,
  generator: generatorSchema,
});
export type JoinStormResult = z.infer<typeof joinStormSchema>;

export const soakSampleSchema = z.strictObject({
  atSeconds: nonNegative,
  serverRssMiB: nonNegative,
  serverHeapMiB: nonNegative,
  workerRssMiB: nonNegative,
  loss: fraction,
  forwardingP95Ms: milliseconds,
  generatorSaturated: z.boolean(),
});

const memorySeriesSchema = z.strictObject({ serverRss: z.number().finite(), serverHeap: z.number().finite(), workerRss: z.number().finite() });

export const soakSchema = z.strictObject({
  consults: z.number().int().positive(),
  videoKbps: z.number().int().positive(),
  durationSeconds: nonNegative,
  samples: z.array(soakSampleSchema).min(2),
  /** Last sample minus first, MiB. */
  growthMiB: memorySeriesSchema,
  /** Least-squares slope over the samples, MiB per hour. */
  slopeMiBPerHour: memorySeriesSchema,
  loss: fraction,
  worstForwardingP95Ms: milliseconds,
  generatorSaturatedSamples: z.number().int().nonnegative(),
});
export type SoakResult = z.infer<typeof soakSchema>;

export const machineSchema = z.strictObject({
  cpuModel: z.string(),
  cpus: z.number().int().positive(),
  memoryGiB: nonNegative,
  kernel: z.string(),
  node: z.string(),
  mediasoup: z.string(),
  mscNode: z.string(),
  werift: z.string(),
  cpuLayout: z.string(),
});

export const benchResultSchema = z.strictObject({
  schema: z.literal('consilium-bench/1'),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  quick: z.boolean(),
  command: z.string(),
  machine: machineSchema,
  capacity: z.array(capacityRunSchema),
  joinStorm: joinStormSchema.nullable(),
  soak: soakSchema.nullable(),
  warnings: z.array(z.string()),
});
export type BenchResult = z.infer<typeof benchResultSchema>;
