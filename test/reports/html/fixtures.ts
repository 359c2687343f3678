/**
 * Synthetic results files for the report tests: realistic shapes (histograms recorded from seeded
 * latency samples, per-second time series, the engine statistics each engine reports, sweeps), so the
 * report can be tested without running engines; and a hostile file whose every string is markup.
 */
import { LatencyHistogram } from '../../../engines/runtime/index.js';
import type { TimeseriesSample } from '../../../reports/schema.js';
import type { EnginePlan } from '../../../engines/api/index.js';
import type { LatencySummary, ResultsFile, RunResult, TrialOutcome } from '../../../reports/schema.js';
import { SeededRandom } from '../../../engines/api/index.js';

export const ATTACK_SCRIPT = '</script><script>window.pwned=1</script>';
export const ATTACK_IMG = '<img src=x onerror="window.pwned=2">';
export const ATTACK_COMMENT = '<!--<script>window.pwned=3</script>-->';
/** Every hostile string, for assertions that each is shown as text. */
export const ATTACKS = [ATTACK_SCRIPT, ATTACK_IMG, ATTACK_COMMENT];

function latencySummary(random: SeededRandom, count: number, medianMs: number): LatencySummary {
  const h = new LatencyHistogram();
  for (let i = 0; i < count; i++) {
    // Log-normal body with a rare heavy tail: shapes like a real engine's.
    const z = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
    const tail = random.next() < 0.002 ? 20 : 1;
    h.record(medianMs * Math.exp(0.6 * z) * tail);
  }
  const s = h.summary();
  return { count: s.count, p50: s.p50, p90: s.p90, p99: s.p99, p999: s.p999, max: s.max, mean: s.mean, histogram: h.toJSON() };
}

function timeseries(random: SeededRandom, seconds: number, rate: number, latencyMs: number, warmupS = 1): TimeseriesSample[] {
  const samples: TimeseriesSample[] = [];
  for (let t = 1; t <= seconds; t++) {
    const phase = t <= warmupS ? 'warmup' : t > seconds - 1 ? 'drain' : 'measure';
    samples.push({
      t: t + random.next() * 0.01,
      phase,
      inputEventsPerSec: rate * (0.97 + 0.06 * random.next()),
      outputRecordsPerSec: rate * 0.3 * (0.9 + 0.2 * random.next()),
      backlog: Math.round(random.next() * 20),
      latency: t === 1 ? null : { p50: latencyMs, p99: latencyMs * (2 + random.next()), max: latencyMs * 4 },
      heapUsedBytes: 8e6 + t * 1e5 + random.next() * 1e6,
      rssBytes: 7e7,
      cpuPercent: 40 + random.next() * 20,
    });
  }
  return samples;
}

export function flinkStats(): Record<string, unknown> {
  return {
    chains: [
      { task: 'Source: events -> timestamps -> split', operators: ['events', 'timestamps', 'split'], parallelism: 2 },
      { task: 'count -> Sink: counts', operators: ['count', 'counts'], parallelism: 2 },
    ],
    tasks: [0, 1].flatMap((subtask) => [
      {
        name: 'Source: events -> timestamps -> split',
        subtask,
        busyMs: 800 + subtask * 50,
        backPressuredMs: 300,
        recordsIn: 50000,
        recordsOut: 400000,
      },
      { name: 'count -> Sink: counts', subtask, busyMs: 1500, backPressuredMs: 0, recordsIn: 400000, recordsOut: 20000 },
    ]),
    buffers: { sent: 1200, avgFillRatio: 0.42, flushedByTimeout: 700, flushedFull: 450, flushedByEvent: 50 },
    checkpoints: Array.from({ length: 6 }, (_, i) => ({
      id: i + 1,
      durationMs: 30 + i * 5,
      alignmentMs: 3 + i,
      syncDurationMs: 0.5,
      asyncDurationMs: 12 + i,
      sizeBytes: 1e5 + i * 1e4,
      status: i === 4 ? 'FAILED' : 'COMPLETED',
    })),
    slots: { taskManagers: 2, slotsPerTaskManager: 1, required: 2 },
    lateRecordsDropped: 0,
  };
}

export function sparkStats(batches = 8): Record<string, unknown> {
  const t0 = 1_700_000_000_000;
  return {
    batchIntervalMs: 1000,
    batches: Array.from({ length: batches }, (_, i) => ({
      time: t0 + i * 1000,
      records: 5000 + i * 10,
      schedulingDelayMs: i > 4 ? (i - 4) * 150 : 2,
      processingDelayMs: i === 5 ? 1300 : 600 + i * 20,
      totalDelayMs: 0,
      stages: 2,
      tasks: 4,
    })).map((b) => ({ ...b, totalDelayMs: b.schedulingDelayMs + b.processingDelayMs })),
    batchesTotal: batches,
    shuffleBytes: 12_345_678,
    stateEntries: 4321,
    checkpoints: [
      { time: t0 + 3000, durationMs: 40, sizeBytes: 2e5 },
      { time: t0 + 6000, durationMs: 55, sizeBytes: 2.2e5 },
    ],
    rateLimit: [
      { time: t0, ratePerSec: 20000 },
      { time: t0 + 2000, ratePerSec: 15000 },
      { time: t0 + 5000, ratePerSec: 12000 },
    ],
    lateRecordsDropped: 3,
  };
}

export function stormStats(): Record<string, unknown> {
  return {
    flavour: 'storm',
    windowing: 'storm',
    completeLatencyMs: { count: 50000, mean: 4.2, p50: 3.1, p99: 19 },
    acked: 50000,
    failed: 2,
    replayed: 2,
    bolts: [
      { component: 'timestamps', executors: 1, executed: 50000, executeLatencyMs: 0.01, capacity: 0.2 },
      { component: 'split', executors: 1, executed: 50000, executeLatencyMs: 0.03, capacity: 0.55 },
      { component: 'count', executors: 2, executed: 400000, executeLatencyMs: 0.02, capacity: 0.93 },
      { component: '__acker', executors: 1, executed: 900000, executeLatencyMs: 0.004, capacity: 0.4 },
    ],
    windows: [
      {
        component: 'count',
        tasks: 2,
        tuplesHeld: 0,
        tuplesHeldPeak: 81234,
        windowsEvaluated: 12,
        activations: 10,
        expired: 400000,
        late: 7,
        resultsEmitted: 9000,
        anchorPairs: 123456789,
        watermarks: 11,
      },
    ],
    queues: Array.from({ length: 15 }, (_, i) => ({ executor: `count-${i}`, capacity: 1024, highWaterMark: (i * 97) % 1024 })),
    assignment: { workers: 1, supervisors: 1, executors: 6, ackers: 1 },
  };
}

export const ENGINE_STATS: Record<string, () => Record<string, unknown>> = {
  reference: () => ({ lateRecordsDropped: 0, windowsFired: 1234, recordsIn: 100000, lateRecordsByOperator: {} }),
  flink: flinkStats,
  spark: () => sparkStats(),
  storm: stormStats,
};

export interface RunSpec {
  engine: string;
  workload: string;
  trial: number;
  /** Median event-time latency (ms). */
  latencyMs: number;
  rate?: number;
  seconds?: number;
  input?: 'generator' | 'file';
  digest?: string;
  engineStats?: Record<string, unknown>;
  options?: Record<string, string | number | boolean | null>;
}

export function syntheticRun(spec: RunSpec, seed: number): RunResult {
  const random = new SeededRandom(seed);
  const rate = spec.rate ?? 20000;
  const seconds = spec.seconds ?? 6;
  const events = rate * (seconds - 2);
  return {
    engine: spec.engine,
    workload: spec.workload,
    trial: spec.trial,
    status: 'ok',
    options: {
      'run.parallelism': 1,
      'run.seed': 42,
      'run.warmup': 1000,
      'run.duration': (seconds - 2) * 1000,
      'run.events': null,
      [`${spec.workload}.window`]: 1000,
      [`${spec.engine}.someOption`]: 7,
      ...spec.options,
    },
    input: {
      events,
      eventsTotal: rate * (seconds - 1),
      rate,
      source: spec.input ?? 'generator',
      ...(spec.input === 'file' ? { file: '/data/events.jsonl' } : {}),
      // Fixed, not drawn: drawing would move every later random figure of the fixtures.
      backlogAtEnd: 0,
      lagAtEndMs: 1,
    },
    durationMs: (seconds - 2) * 1000,
    throughput: { inputEventsPerSec: rate * (0.98 + 0.04 * random.next()), outputRecordsPerSec: rate * 0.3, readEventsPerSec: rate },
    latency: { eventTime: latencySummary(random, 3000, spec.latencyMs), processingTime: latencySummary(random, 3000, spec.latencyMs / 3) },
    sendLag: latencySummary(random, 100, 0.05),
    timeseries: timeseries(random, seconds, rate, spec.latencyMs),
    resources: { cpuUserMs: 900 + random.next() * 100, cpuSystemMs: 100, heapPeakBytes: 2e7 + random.next() * 1e6, rssPeakBytes: 8e7 },
    output: {
      records: 30000,
      measuredRecords: 3000,
      digest: spec.digest ?? `30000:${((seed * 2654435761) >>> 0).toString(16).padStart(8, '0')}00000000`,
      lateRecordsDropped: 0,
    },
    drained: true,
    engineStats: spec.engineStats ?? ENGINE_STATS[spec.engine]?.() ?? {},
  };
}

/** Typical latencies of the engines, so the charts look like a real comparison. */
const LATENCY: Record<string, number> = { reference: 0.4, flink: 1.5, spark: 700, storm: 4 };

export interface ResultsSpec {
  engines?: string[];
  workloads?: string[];
  trials?: number;
  seconds?: number;
  input?: 'generator' | 'file';
  /** Multiplies every latency (a baseline that was slower or faster). */
  latencyFactor?: number;
  seed?: number;
  createdAt?: string;
  extraRuns?: TrialOutcome[];
}

export function syntheticResults(spec: ResultsSpec = {}): ResultsFile {
  const engines = spec.engines ?? ['reference', 'flink', 'spark', 'storm'];
  const workloads = spec.workloads ?? ['wordcount', 'stateless'];
  const trials = spec.trials ?? 3;
  const runs: TrialOutcome[] = [];
  let seed = spec.seed ?? 1;
  for (let t = 1; t <= trials; t++) {
    for (const engine of engines) {
      for (const workload of workloads) {
        runs.push(
          syntheticRun(
            {
              engine,
              workload,
              trial: t,
              latencyMs: (LATENCY[engine] ?? 2) * (spec.latencyFactor ?? 1) * (workload === 'wordcount' ? 3 : 1),
              seconds: spec.seconds ?? 6,
              input: spec.input ?? 'generator',
              ...(spec.input === 'file' ? { digest: engine === 'storm' ? '30000:deadbeefdeadbeef' : '30000:0123456789abcdef' } : {}),
            },
            seed++,
          ),
        );
      }
    }
  }
  runs.push(...(spec.extraRuns ?? []));
  return {
    schemaVersion: 1,
    tool: { name: 'streamarena', version: '0.1.0' },
    createdAt: spec.createdAt ?? '2026-11-21T10:00:00.000Z',
    command: `streamarena run -e ${engines.join(',')} -w ${workloads.join(',')} -t ${trials}`,
    environment: {
      node: 'v20.20.2',
      os: 'linux 6.1',
      cpuModel: 'AMD EPYC',
      cores: 2,
      memoryBytes: 24e9,
      hostname: 'ci-runner',
      gitCommit: 'abc123',
    },
    runs,
  };
}

/** `sweeps[]` as `streamarena sweep` writes them: a knee per engine, verdicts, sustainable throughput. */
export function syntheticSweeps(engines = ['reference', 'flink', 'spark', 'storm'], workload = 'stateless'): unknown[] {
  const capacity: Record<string, number> = { reference: 400000, flink: 200000, spark: 120000, storm: 60000 };
  const floor: Record<string, number> = { reference: 0.3, flink: 1.2, spark: 600, storm: 3 };
  return engines.map((engine) => {
    const cap = capacity[engine] ?? 100000;
    const rates = [10000, 20000, 40000, 80000, 160000, 320000];
    const points = rates.map((rate) => {
      const load = rate / cap;
      const ok = load < 0.95;
      const base = floor[engine] ?? 2;
      const p50 = ok ? base * (1 + load * load * 3) : base * 50 * load;
      return {
        offeredRate: rate,
        achievedInputThroughput: ok ? rate : cap,
        latency: { p50, p90: p50 * 1.5, p99: p50 * 3, p999: p50 * 5, max: p50 * 8 },
        processingLatency: { p50: p50 / 2, p90: p50, p99: p50 * 2, p999: p50 * 3, max: p50 * 4 },
        backlogSlope: ok ? 0.5 : rate - cap,
        latencyGrowthMs: ok ? 0.1 : 500,
        verdict: ok ? 'sustained' : 'unsustained',
        reason: ok ? `backlog slope 0.5 ev/s <= 1 % of ${rate}` : `backlog grows by ${rate - cap} ev/s`,
        trial: 1,
        durationMs: 5000,
      };
    });
    const sustained = points.filter((p) => p.verdict === 'sustained').map((p) => p.offeredRate);
    return {
      engine,
      workload,
      options: { 'run.parallelism': 1 },
      points,
      sustainableEventsPerSec: sustained.length > 0 ? Math.max(...sustained) : null,
      search: 'ramp then bisection; bracket found',
      capacityEventsPerSec: cap,
    };
  });
}

/** A sweep results file (`runs` empty, as `streamarena sweep` writes it). */
export function sweepResults(): ResultsFile {
  return {
    ...syntheticResults({ engines: [], workloads: [] }),
    command: 'streamarena sweep -e all -w stateless --find-sustainable',
    runs: [],
    sweeps: syntheticSweeps() as ResultsFile['sweeps'],
  };
}

/** A results file whose every user-supplied string is markup or script. */
export function hostileResults(): ResultsFile {
  const base = syntheticResults({ engines: ['reference', 'flink', 'storm'], workloads: ['wordcount'], trials: 2 });
  const runs: TrialOutcome[] = base.runs.map((r): TrialOutcome => {
    const run = r as RunResult;
    return {
      ...run,
      workload: `wordcount${ATTACK_SCRIPT}`,
      options: { ...run.options, [`wordcount.label${ATTACK_IMG}`]: ATTACK_SCRIPT, 'wordcount.window': ATTACK_COMMENT },
      output: { ...run.output, digest: ATTACK_IMG },
      engineStats:
        run.engine === 'flink'
          ? {
              ...flinkStats(),
              chains: [{ task: ATTACK_SCRIPT, operators: [ATTACK_IMG, ATTACK_COMMENT], parallelism: ATTACK_IMG }],
              tasks: [{ name: ATTACK_SCRIPT, subtask: ATTACK_IMG, busyMs: 5, backPressuredMs: 1 }],
            }
          : run.engine === 'storm'
            ? {
                ...stormStats(),
                flavour: ATTACK_SCRIPT,
                bolts: [{ component: ATTACK_IMG, executors: 1, executed: 5, executeLatencyMs: 1, capacity: 0.5 }],
                queues: [{ executor: ATTACK_COMMENT, capacity: 4, highWaterMark: 2 }],
              }
            : { ...run.engineStats, [ATTACK_IMG]: ATTACK_SCRIPT, nested: { [ATTACK_COMMENT]: ATTACK_IMG } },
    };
  });
  runs.push(
    { engine: ATTACK_SCRIPT, workload: `wordcount${ATTACK_SCRIPT}`, trial: 1, status: 'failed', error: `crashed: ${ATTACK_IMG}` },
    { ...(runs[0] as RunResult), engine: `evil${ATTACK_IMG}`, engineStats: { [ATTACK_SCRIPT]: [1, 2, 3] } },
  );
  const sweeps = syntheticSweeps(['flink', `storm${ATTACK_SCRIPT}`], `stateless${ATTACK_IMG}`) as {
    points: { verdict: string; reason: string }[];
    search: string;
  }[];
  sweeps[1]!.points[0]!.reason = ATTACK_SCRIPT;
  sweeps[1]!.points[1]!.verdict = ATTACK_IMG;
  sweeps[1]!.search = ATTACK_COMMENT;
  return {
    ...base,
    tool: { name: 'streamarena', version: ATTACK_IMG },
    createdAt: ATTACK_SCRIPT,
    command: `streamarena run -o wordcount.label=${ATTACK_SCRIPT}`,
    environment: { ...base.environment, hostname: ATTACK_SCRIPT, cpuModel: ATTACK_IMG, os: ATTACK_COMMENT, gitCommit: ATTACK_SCRIPT },
    runs,
    sweeps: sweeps as unknown as ResultsFile['sweeps'],
  };
}

/** A plan whose labels, kinds, attributes and edge labels are markup. */
export function hostilePlan(engine: string): EnginePlan {
  return {
    engine,
    text: `plan ${ATTACK_SCRIPT}\n${ATTACK_IMG}`,
    nodes: [
      { id: 'g', label: ATTACK_SCRIPT, kind: ATTACK_IMG },
      { id: 'a', label: ATTACK_IMG, kind: 'source', parent: 'g', attrs: { [ATTACK_SCRIPT]: ATTACK_COMMENT } },
      { id: 'b', label: ATTACK_COMMENT, kind: ATTACK_SCRIPT, parent: 'g' },
    ],
    edges: [{ from: 'a', to: 'b', label: ATTACK_SCRIPT }],
  };
}
