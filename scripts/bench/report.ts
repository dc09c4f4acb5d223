// A bench result as a Markdown report (bench/results/<timestamp>.md).
import { capacityTarget, disturbedAboveCores } from './scenarios/capacity';
import type { BenchResult, CapacityRun, CapacityStep, Milestone } from './results';

export const format = {
  ms: (value: number | null | undefined): string => (value === null || value === undefined ? '–' : value.toFixed(2)),
  cores: (value: number | null | undefined): string => (value === null || value === undefined ? '–' : value.toFixed(3)),
  percent: (fraction: number): string => `${(fraction * 100).toFixed(3)} %`,
  mib: (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(1)}`,
  ratio: (value: number | null): string => (value === null ? '–' : `×${value.toFixed(2)}`),
  /** Cores as a percentage of one core. */
  corePercent: (value: number | null | undefined): string => (value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)} %`),
  kbps: (value: number | null | undefined): string => (value === null || value === undefined ? '–' : String(Math.round(value))),
};

/** "800 kbps", or "800 kbps simulcast" for the top layer of a simulcast camera. */
export function videoLabel(run: Pick<CapacityRun, 'videoKbps' | 'layers'>): string {
  return `${run.videoKbps} kbps${run.layers === 'simulcast' ? ' simulcast' : ''}`;
}

/** What each bot's camera sent, e.g. "r0 67 kbps at 15 fps, r1 333 kbps, r2 800 kbps (3 temporal layers each)". */
function cameraDescription(run: CapacityRun): string {
  const streams = run.camera ?? [];
  if (run.layers === 'single' || streams.length === 0) return `one stream of ${run.videoKbps} kbps`;
  const layers = streams.map((stream) => `${stream.rid ?? '?'} ${stream.kbps} kbps${stream.framesPerSecond === 30 ? '' : ` at ${stream.framesPerSecond} fps`}`);
  return `${layers.join(', ')} (${streams[0]?.temporalLayers ?? 1} temporal layers each)`;
}

function sentKbps(run: CapacityRun): number | null {
  return run.camera ? run.camera.reduce((sum, stream) => sum + stream.kbps, 0) : null;
}

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

function capacitySection(run: CapacityRun): string[] {
  const rows = run.steps.map((step) => {
    const { forwarding, sfuPath, bypass } = step.latencyMs;
    return [
      String(step.consults),
      String(step.streams),
      format.cores(step.cpu.workerCores),
      format.cores(step.cpu.serverCores),
      format.cores(step.cpu.benchCores),
      format.cores(step.cpu.otherCores),
      format.percent(step.loss),
      `${step.udpReceiveDrops.worker} / ${step.udpReceiveDrops.bots}`,
      format.kbps(step.forwardedVideoKbps),
      `${format.ms(forwarding.p50)} / ${format.ms(forwarding.p95)} / ${format.ms(forwarding.p99)}`,
      `${format.ms(sfuPath.p95)} / ${format.ms(bypass.p95)}`,
      step.generator.sendRate === null ? '–' : `${Math.round(step.generator.sendRate * 100)} %`,
      step.generator.saturated ? `**saturated**: ${step.generator.reasons.join('; ')}` : 'ok',
      step.withinTarget ? 'yes' : 'no',
    ];
  });
  return [
    run.layers === 'simulcast' ? `### ${run.target}, ${run.videoKbps} kbps video in simulcast` : `### ${run.target}, ${run.videoKbps} kbps video`,
    '',
    `Each camera sends ${cameraDescription(run)}` +
      (run.viewHeight ? `; receivers say they draw each video ${run.viewHeight} px tall.` : '.'),
    '',
    ...table(
      [
        'consults',
        'streams',
        'worker CPU (cores)',
        'signalling CPU',
        'bots CPU',
        'other work on the machine (cores)',
        'loss',
        'UDP drops worker / bots',
        'video kbps per received stream',
        'forwarding p50 / p95 / p99 (ms)',
        'p95 SFU path / bypass (ms)',
        'send rate',
        'load generator',
        'within target',
      ],
      rows,
    ),
    '',
    `- Worker CPU per consult (slope): **${format.cores(run.workerCoresPerConsult)} core** (intercept ${format.cores(run.workerCoresIntercept)}); ` +
      `the line reaches one core at ${run.projectedConsultsPerCore === null ? '–' : Math.round(run.projectedConsultsPerCore)} consults.`,
    `- Largest N within target (forwarding p95 < ${capacityTarget.forwardingP95Ms} ms, loss < ${capacityTarget.loss * 100} %): ` +
      `**${run.maxConsultsWithinTarget ?? 'none'}**; ramp stopped by: ${run.limitedBy}.`,
    ...(run.note ? [`- ${run.note}`] : []),
    '',
  ];
}

function anchorSection(result: BenchResult): string[] {
  const rows: string[][] = [];
  for (const ours of result.capacity.filter((run) => run.target === 'consilium')) {
    const bare = result.capacity.find((run) => run.target === 'bare-mediasoup' && run.videoKbps === ours.videoKbps && run.layers === ours.layers);
    if (!bare) continue;
    const video = videoLabel(ours);
    const ratio = (a: number | null, b: number | null): string => (a === null || b === null || b === 0 ? '–' : format.ratio(a / b));
    rows.push([video, 'worker core per consult', format.cores(ours.workerCoresPerConsult), format.cores(bare.workerCoresPerConsult), ratio(ours.workerCoresPerConsult, bare.workerCoresPerConsult)]);
    rows.push([video, 'largest N within target', String(ours.maxConsultsWithinTarget ?? '–'), String(bare.maxConsultsWithinTarget ?? '–'), ratio(ours.maxConsultsWithinTarget, bare.maxConsultsWithinTarget)]);
    const common = ours.steps.filter((step) => bare.steps.some((other) => other.consults === step.consults)).at(-1);
    const bareStep = bare.steps.find((step) => step.consults === common?.consults);
    if (common && bareStep) {
      rows.push([
        video,
        `forwarding p95 at N=${common.consults} (ms)`,
        format.ms(common.latencyMs.forwarding.p95),
        format.ms(bareStep.latencyMs.forwarding.p95),
        ratio(common.latencyMs.forwarding.p95, bareStep.latencyMs.forwarding.p95),
      ]);
      rows.push([video, `worker CPU at N=${common.consults} (cores)`, format.cores(common.cpu.workerCores), format.cores(bareStep.cpu.workerCores), ratio(common.cpu.workerCores, bareStep.cpu.workerCores)]);
    }
  }
  if (rows.length === 0) return [];
  return ['## Consilium against a bare mediasoup router (same bots, same run)', '', ...table(['video', 'measure', 'consilium', 'bare mediasoup', 'ratio'], rows), ''];
}

/** The worker's CPU with one stream per camera against simulcast, per target and bitrate, step by step. */
export function simulcastSection(result: BenchResult): string[] {
  const lines: string[] = [];
  for (const single of result.capacity.filter((run) => run.layers === 'single')) {
    const simulcast = result.capacity.find((run) => run.layers === 'simulcast' && run.target === single.target && run.videoKbps === single.videoKbps);
    if (!simulcast) continue;
    const rows = single.steps.flatMap((step) => {
      const other = simulcast.steps.find((candidate) => candidate.consults === step.consults);
      if (!other) return [];
      const perConsult = (cores: number): number => cores / step.consults;
      const ratio = step.cpu.workerCores > 0 ? format.ratio(other.cpu.workerCores / step.cpu.workerCores) : '–';
      const limited = [step, other].some((measured) => measured.generator.saturated) ? ' (bots saturated)' : '';
      return [
        [
          `${step.consults}${limited}`,
          format.corePercent(step.cpu.workerCores),
          format.corePercent(other.cpu.workerCores),
          format.corePercent(perConsult(step.cpu.workerCores)),
          format.corePercent(perConsult(other.cpu.workerCores)),
          ratio,
          `${format.kbps(step.forwardedVideoKbps)} / ${format.kbps(other.forwardedVideoKbps)}`,
          `${format.cores(step.cpu.otherCores)} / ${format.cores(other.cpu.otherCores)}`,
        ],
      ];
    });
    if (rows.length === 0) continue;
    // Summed over the steps both ramps measured undisturbed, the bots keeping up: steadier than the ratio of two fitted slopes.
    const clean = (step: CapacityStep): boolean => !step.generator.saturated && (step.cpu.otherCores ?? 0) <= disturbedAboveCores;
    const pairs = single.steps.flatMap((step) => {
      const other = simulcast.steps.find((candidate) => candidate.consults === step.consults);
      return other && clean(step) && clean(other) ? [[step, other] as const] : [];
    });
    const sum = (index: 0 | 1): number => pairs.reduce((total, pair) => total + pair[index].cpu.workerCores, 0);
    const summed =
      pairs.length > 0 && sum(0) > 0
        ? `- Summed over N = ${pairs.map(([step]) => step.consults).join(', ')} (both undisturbed, the bots keeping up): ` +
          `simulcast used ${format.ratio(sum(1) / sum(0))} the worker CPU of one stream.`
        : '';
    const last = pairs.at(-1);
    const perConsult = (run: CapacityRun, step: CapacityStep): string => {
      const participants = step.streams / step.consults / 4;
      const received = participants * (sentKbps(run) ?? run.videoKbps);
      const forwarded = (step.streams / step.consults / 2) * (step.forwardedVideoKbps ?? 0);
      return `receives ${(received / 1000).toFixed(1)} and forwards ${(forwarded / 1000).toFixed(1)} Mbit/s`;
    };
    const traffic = last
      ? `- Video per consult (at N = ${last[0].consults}): with one stream the worker ${perConsult(single, last[0])}; ` +
        `with simulcast it ${perConsult(simulcast, last[1])}.`
      : '';
    const slopeRatio =
      single.workerCoresPerConsult !== null && simulcast.workerCoresPerConsult !== null && single.workerCoresPerConsult > 0
        ? format.ratio(simulcast.workerCoresPerConsult / single.workerCoresPerConsult)
        : '–';
    lines.push(
      `### ${single.target}, ${single.videoKbps} kbps: one stream against simulcast`,
      '',
      `One stream: ${cameraDescription(single)}. Simulcast: ${cameraDescription(simulcast)}, ${format.kbps(sentKbps(simulcast))} kbps in all` +
        (simulcast.viewHeight ? `; receivers draw each video ${simulcast.viewHeight} px tall.` : '.'),
      '',
      ...table(
        [
          'consults',
          'worker CPU, one stream',
          'worker CPU, simulcast',
          'per consult, one stream',
          'per consult, simulcast',
          'simulcast / one stream',
          'video forwarded per stream, one / simulcast (kbps)',
          'other work on the machine, one / simulcast (cores)',
        ],
        rows,
      ),
      '',
      `- Worker CPU per consult (slope over the steps the bots kept up with): one stream ${format.corePercent(single.workerCoresPerConsult)}, ` +
        `simulcast ${format.corePercent(simulcast.workerCoresPerConsult)} of a core (${slopeRatio}).`,
      ...(summed ? [summed] : []),
      ...(traffic ? [traffic] : []),
      '',
    );
  }
  return lines.length > 0 ? ['## Simulcast against one stream per camera (same bots, same run)', '', ...lines] : [];
}

function milestoneRow(name: string, value: Milestone): string[] {
  return [name, String(value.count), format.ms(value.p50), format.ms(value.p95)];
}

export function renderMarkdown(result: BenchResult): string {
  const { machine } = result;
  const lines = [
    `# Consilium benchmark, ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC${result.quick ? ' (quick run)' : ''}`,
    '',
    `- Machine: ${machine.cpuModel}, ${machine.cpus} CPUs, ${machine.memoryGiB} GiB, ${machine.kernel}, Node ${machine.node}`,
    `- mediasoup ${machine.mediasoup}; bots: msc-node ${machine.mscNode} over werift ${machine.werift} (DTLS-SRTP)`,
    `- CPU layout: ${machine.cpuLayout}`,
    `- Command: \`${result.command}\``,
    `- Finished: ${result.finishedAt}`,
    '',
  ];
  if (result.capacity.length > 0) {
    lines.push(
      '## Capacity',
      '',
      'Forwarding latency: each percentile of the SFU path (send to receipt through the SFU) minus the same percentile of the ' +
        'bypass (the same bots peer to peer over loopback, measured at the same time).',
      '',
    );
    for (const run of result.capacity) lines.push(...capacitySection(run));
    lines.push(...simulcastSection(result), ...anchorSection(result));
  }
  const storm = result.joinStorm;
  if (storm) {
    lines.push(
      '## Join storm',
      '',
      `${storm.participants} participants (${storm.consults} consults) arriving at ${storm.ratePerSecond}/s with ${storm.videoKbps} kbps video: ` +
        `${storm.completed} completed, ${storm.failed} failed${storm.errors.length > 0 ? ` (${storm.errors.join('; ')})` : ''}, ${storm.durationSeconds.toFixed(1)} s in all.`,
      '',
      ...table(
        ['from opening the connection to', 'participants', 'p50 (ms)', 'p95 (ms)'],
        [
          milestoneRow('connected', storm.milestonesMs.connected),
          milestoneRow('join acknowledged', storm.milestonesMs.joined),
          milestoneRow('admitted by the doctor (guests)', storm.milestonesMs.admitted),
          milestoneRow('producing audio and video', storm.milestonesMs.producing),
          milestoneRow('first remote packet (guests)', storm.milestonesMs.firstRemotePacket),
        ],
      ),
      '',
      `- Signalling server CPU per join: **${storm.serverCpuMsPerJoin.toFixed(1)} ms**; worker CPU over the storm per join: ` +
        `${storm.workerCpuMsPerJoin.toFixed(1)} ms (it also forwards the media of everyone already in).`,
      `- Load generator: ${storm.generator.saturated ? `**saturated** (${storm.generator.reasons.join('; ')})` : 'kept up'}.`,
      '',
    );
  }
  const soak = result.soak;
  if (soak) {
    lines.push(
      '## Soak',
      '',
      `${soak.consults} consults at ${soak.videoKbps} kbps for ${(soak.durationSeconds / 60).toFixed(1)} minutes; loss ${format.percent(soak.loss)}, ` +
        `worst forwarding p95 ${format.ms(soak.worstForwardingP95Ms)} ms; load generator saturated in ${soak.generatorSaturatedSamples} of ${soak.samples.length} samples.`,
      '',
      ...table(
        ['memory', 'first (MiB)', 'last (MiB)', 'growth (MiB)', 'slope (MiB/hour)'],
        [
          ['signalling server RSS', 'serverRssMiB', 'serverRss'] as const,
          ['signalling server heap', 'serverHeapMiB', 'serverHeap'] as const,
          ['mediasoup worker RSS', 'workerRssMiB', 'workerRss'] as const,
        ].map(([name, field, key]) => [
          name,
          (soak.samples[0]?.[field] ?? 0).toFixed(1),
          (soak.samples.at(-1)?.[field] ?? 0).toFixed(1),
          format.mib(soak.growthMiB[key]),
          format.mib(soak.slopeMiBPerHour[key]),
        ]),
      ),
      '',
    );
  }
  if (result.warnings.length > 0) lines.push('## Warnings', '', ...result.warnings.map((warning) => `- ${warning}`), '');
  return `${lines.join('\n')}\n`;
}
