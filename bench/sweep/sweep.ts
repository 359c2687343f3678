/**
 * Runs load sweeps: each engine at each offered rate (and/or a search for its sustainable throughput),
 * optionally for each value of one varied numeric option. Every point is a full trial (warm-up, child
 * process) judged from its time series.
 */
import type { Deployment, OptionValue } from '../../engines/api/index.js';
import type { LatencySummary, RunResult, Sweep, SweepPoint } from '../../reports/schema.js';
import { isUsageError } from '../errors.js';
import { runTrialInChild } from '../runner/child-trial.js';
import { effectiveOptions, qualify } from '../runner/options.js';
import { checkRunnable } from '../runner/preflight.js';
import { runTrial, type TrialProgress, type TrialSpec } from '../runner/trial.js';
import { engines } from '../../engines/index.js';
import { workloads } from '../../workloads/index.js';
import { ProbeReplay, type ProbeKey, type ProbeRecord } from './replay.js';
import { findSustainable } from './search.js';
import { judge, type Verdict } from './verdict.js';

export interface SweepSpec {
  engines: readonly string[];
  workload: string;
  /** Offered rates to measure, events/s. */
  rates: readonly number[];
  findSustainable: boolean;
  /** Time budget of the whole sweep (ms), for the search. */
  budgetMs: number;
  /** One varied option: `parallelism` or a qualified numeric option key. */
  vary?: { key: string; values: readonly number[] };
  trials: number;
  /** Trial settings but engine, workload, trial number and rate. */
  base: Omit<TrialSpec, 'engine' | 'workload' | 'trial' | 'load'> & { warmupMs: number; durationMs: number };
  isolation: 'process' | 'inline';
  /** Bisection precision, fraction. */
  precision: number;
  /** Hears every probe's progress samples (the live dashboard). */
  onTrialProgress?: (trial: TrialSpec, progress: TrialProgress) => void;
}

export interface SweepListener {
  probeStarted?(engine: string, rate: number | 'max', context: string, budgetLeftMs: number): void;
  probeFinished?(engine: string, point: SweepPoint | { capacity: number }, context: string): void;
  /** A probe ran to completion (a replayed one does not): what the journal keeps. */
  probeRecorded?(record: ProbeRecord): void;
}

/** Running one probe costs about this much beyond warm-up + duration (process start, drain). */
const PROBE_OVERHEAD_MS = 1500;

/**
 * Runs the sweeps. `journaled` holds the probes an interrupted sweep completed, in order: they are taken
 * as they were (see ProbeReplay) and only the rest run.
 */
export async function runSweeps(
  spec: SweepSpec,
  listener: SweepListener = {},
  now: () => number = () => Date.now(),
  journaled: readonly ProbeRecord[] = [],
): Promise<Sweep[]> {
  const replay = new ProbeReplay(journaled, now);
  const left = () => spec.budgetMs - replay.elapsed();
  const probeMs = spec.base.warmupMs + spec.base.durationMs + PROBE_OVERHEAD_MS;
  const settings: ({ key: string; value: number } | undefined)[] = spec.vary
    ? spec.vary.values.map((value) => ({ key: spec.vary!.key, value }))
    : [undefined];
  for (const vary of settings) {
    const base = applyVary(spec.base, vary);
    checkRunnable(spec.engines, [spec.workload], base.options, base.parallelism);
  }
  /** One probe: the journal's result if it has it, else run, journal and report it. */
  const probe = async <R extends ProbeRecord['result']>(key: ProbeKey, context: string, run: () => Promise<R>): Promise<R> => {
    const earlier = replay.take(key);
    if (earlier) return earlier as R;
    listener.probeStarted?.(key.engine, key.rate, context, left());
    const result = await run();
    listener.probeRecorded?.({ ...key, elapsedMs: replay.elapsed(), result });
    listener.probeFinished?.(key.engine, result, context);
    return result;
  };
  const sweeps: Sweep[] = [];
  for (const [setting, vary] of settings.entries()) {
    const base = applyVary(spec.base, vary);
    const context = vary ? `${vary.key}=${vary.value}` : '';
    const group = spec.engines.map((engine) => newSweep(engine, spec.workload, base, vary));
    sweeps.push(...group);
    // Listed rates, interleaved across engines so that drift favours no one.
    for (const rate of spec.rates) {
      for (let trial = 1; trial <= spec.trials; trial++) {
        for (const sweep of group) {
          const { engine } = sweep;
          sweep.points.push(
            await probe({ setting, engine, rate, trial }, context, () => measurePoint(spec, base, engine, rate, trial, false)),
          );
        }
      }
    }
    if (!spec.findSustainable) continue;
    // The search adapts to each engine, so engines take turns: each gets an equal share of what is left.
    for (let i = 0; i < group.length; i++) {
      const sweep = group[i];
      const { engine } = sweep;
      const share = left() / (group.length - i) / (settings.length - setting);
      const deadline = replay.elapsed() + share;
      const { capacity } = await probe({ setting, engine, rate: 'max', trial: 1 }, context, async () => ({
        capacity: await measureCapacity(spec, base, engine),
      }));
      sweep.capacityEventsPerSec = capacity;
      if (!(capacity > 0)) {
        sweep.search = 'the unthrottled probe failed';
        continue;
      }
      const outcome = await findSustainable(
        async (rate) => {
          const point = await probe({ setting, engine, rate, trial: 1 }, context, () => measurePoint(spec, base, engine, rate, 1, true));
          sweep.points.push(point);
          return point.verdict === 'failed' ? undefined : point.verdict === 'sustained';
        },
        {
          capacity,
          precision: spec.precision,
          floor: 100,
          canProbe: () => replay.searchWentOn(setting, engine) ?? (deadline - replay.elapsed() >= probeMs && left() >= probeMs),
        },
      );
      sweep.sustainableEventsPerSec = outcome.sustainable;
      sweep.search = outcome.summary;
    }
  }
  replay.checkUsedUp();
  return sweeps;
}

function applyVary(base: SweepSpec['base'], vary: { key: string; value: number } | undefined): SweepSpec['base'] {
  if (!vary) return base;
  if (vary.key === 'parallelism') return { ...base, parallelism: vary.value };
  return { ...base, options: { ...base.options, [vary.key]: vary.value } };
}

/** The sweep's deployment where the engine has it; the reference engine (added for scale) stays local. */
function deploymentOf(engine: string, base: SweepSpec['base']): Deployment {
  const d = base.deployment ?? 'local';
  return (engines[engine].deployments ?? ['local']).includes(d) ? d : 'local';
}

function newSweep(engine: string, workload: string, base: SweepSpec['base'], vary: { key: string; value: number } | undefined): Sweep {
  const e = engines[engine];
  const w = workloads[workload];
  const options: Record<string, OptionValue> = {
    'run.parallelism': base.parallelism,
    'run.deployment': deploymentOf(engine, base),
    'run.seed': base.seed,
    'run.warmup': base.warmupMs,
    'run.duration': base.durationMs,
    ...qualify(e.name, effectiveOptions(e.name, e.options, base.options)),
    ...qualify(w.name, effectiveOptions(w.name, w.options, base.options)),
  };
  return { engine, workload, ...(vary ? { vary } : {}), options, points: [], sustainableEventsPerSec: null };
}

async function runOne(spec: SweepSpec, trial: TrialSpec): Promise<RunResult> {
  const onProgress = spec.onTrialProgress && ((p: TrialProgress) => spec.onTrialProgress!(trial, p));
  return spec.isolation === 'process' ? runTrialInChild(trial, onProgress) : runTrial(trial, onProgress);
}

function trialSpec(
  base: SweepSpec['base'],
  engine: string,
  workload: string,
  trial: number,
  rate: number | 'max',
  durationMs: number,
): TrialSpec {
  const { warmupMs, durationMs: _d, cluster, ...rest } = base;
  const deployment = deploymentOf(engine, base);
  return {
    ...rest,
    engine,
    workload,
    trial,
    deployment,
    ...(cluster && deployment === 'standalone' ? { cluster } : {}),
    sampleIntervalMs: 500,
    load: { rate, warmupMs, durationMs },
  };
}

async function measurePoint(
  spec: SweepSpec,
  base: SweepSpec['base'],
  engine: string,
  rate: number,
  trial: number,
  judged: boolean,
): Promise<SweepPoint> {
  try {
    const r = await runOne(spec, trialSpec(base, engine, spec.workload, trial, rate, base.durationMs));
    const v = driverBoundVerdict(r) ?? judge(r.timeseries, rate);
    return {
      offeredRate: rate,
      achievedInputThroughput: r.throughput.inputEventsPerSec,
      ...(r.throughput.readEventsPerSec === undefined ? {} : { readEventsPerSec: r.throughput.readEventsPerSec }),
      driverBound: r.input.driverBound === true,
      eventsSent: r.input.eventsTotal,
      ...(r.input.offered === undefined ? {} : { eventsOffered: r.input.offered }),
      latency: percentiles(r.latency.eventTime),
      processingLatency: percentiles(r.latency.processingTime),
      backlogSlope: round(v.backlogSlope),
      latencyGrowthMs: round(v.latencyGrowthMs),
      verdict: judged ? (v.sustained ? 'sustained' : 'unsustained') : 'measured',
      reason: judged ? v.reason : `${v.sustained ? 'would pass' : 'would fail'}: ${v.reason}`,
      trial,
      durationMs: r.durationMs,
      ...(r.faults ? { faults: r.faults } : {}),
    };
  } catch (err) {
    if (isUsageError(err)) throw err;
    const nan = { p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, p999: Number.NaN, max: Number.NaN };
    return {
      offeredRate: rate,
      achievedInputThroughput: 0,
      latency: nan,
      processingLatency: nan,
      backlogSlope: Number.NaN,
      latencyGrowthMs: Number.NaN,
      verdict: 'failed',
      reason: `trial failed: ${(err as Error).message}`,
      trial,
      durationMs: 0,
    };
  }
}

/**
 * A point whose driver could not send the offered rate is not sustained: the engine was never offered it.
 * Its backlog and latency figures are the driver's, so they are kept but not judged.
 */
function driverBoundVerdict(r: RunResult): Verdict | undefined {
  if (r.input.driverBound !== true) return undefined;
  const v = judge(r.timeseries, typeof r.input.rate === 'number' ? r.input.rate : 0);
  const offered = r.input.offered === undefined ? '' : ` of ${r.input.offered} offered`;
  return {
    sustained: false,
    backlogSlope: v.backlogSlope,
    latencyGrowthMs: v.latencyGrowthMs,
    reason: `driver-bound: the driver sent ${r.input.eventsTotal}${offered} events, so this rate was not offered to the engine`,
  };
}

/** Input throughput unthrottled (events/s); 0 when the probe fails. */
async function measureCapacity(spec: SweepSpec, base: SweepSpec['base'], engine: string): Promise<number> {
  try {
    const r = await runOne(spec, trialSpec(base, engine, spec.workload, 1, 'max', Math.min(base.durationMs, 3000)));
    return r.throughput.inputEventsPerSec;
  } catch (err) {
    if (isUsageError(err)) throw err;
    return 0;
  }
}

function percentiles(s: LatencySummary): SweepPoint['latency'] {
  return { p50: s.p50, p90: s.p90, p99: s.p99, p999: s.p999, max: s.max };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
