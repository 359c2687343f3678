/**
 * Runs load sweeps: each engine at each offered rate (and/or a search for its sustainable throughput),
 * optionally for each value of one varied numeric option. Every point is a full trial (warm-up, child
 * process) judged from its time series.
 */
import type { OptionValue } from '../../engines/api/index.js';
import type { LatencySummary, RunResult, Sweep, SweepPoint } from '../../reports/schema.js';
import { isUsageError } from '../errors.js';
import { runTrialInChild } from '../runner/child-trial.js';
import { effectiveOptions, qualify } from '../runner/options.js';
import { checkRunnable } from '../runner/preflight.js';
import { runTrial, type TrialSpec } from '../runner/trial.js';
import { engines } from '../../engines/index.js';
import { workloads } from '../../workloads/index.js';
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
}

export interface SweepListener {
  probeStarted?(engine: string, rate: number | 'max', context: string, budgetLeftMs: number): void;
  probeFinished?(engine: string, point: SweepPoint | { capacity: number }, context: string): void;
}

/** Running one probe costs about this much beyond warm-up + duration (process start, drain). */
const PROBE_OVERHEAD_MS = 1500;

export async function runSweeps(spec: SweepSpec, listener: SweepListener = {}, now: () => number = () => Date.now()): Promise<Sweep[]> {
  const started = now();
  const left = () => spec.budgetMs - (now() - started);
  const probeMs = spec.base.warmupMs + spec.base.durationMs + PROBE_OVERHEAD_MS;
  const settings: ({ key: string; value: number } | undefined)[] = spec.vary
    ? spec.vary.values.map((value) => ({ key: spec.vary!.key, value }))
    : [undefined];
  for (const vary of settings) {
    const base = applyVary(spec.base, vary);
    checkRunnable(spec.engines, [spec.workload], base.options, base.parallelism);
  }
  const sweeps: Sweep[] = [];
  for (const [settingIndex, vary] of settings.entries()) {
    const base = applyVary(spec.base, vary);
    const context = vary ? `${vary.key}=${vary.value}` : '';
    const group = spec.engines.map((engine) => newSweep(engine, spec.workload, base, vary));
    sweeps.push(...group);
    // Listed rates, interleaved across engines so that drift favours no one.
    for (const rate of spec.rates) {
      for (let trial = 1; trial <= spec.trials; trial++) {
        for (const sweep of group) {
          listener.probeStarted?.(sweep.engine, rate, context, left());
          const point = await measurePoint(spec, base, sweep.engine, rate, trial, false);
          sweep.points.push(point);
          listener.probeFinished?.(sweep.engine, point, context);
        }
      }
    }
    if (!spec.findSustainable) continue;
    // The search adapts to each engine, so engines take turns: each gets an equal share of what is left.
    for (let i = 0; i < group.length; i++) {
      const sweep = group[i];
      const share = left() / (group.length - i) / (settings.length - settingIndex);
      const deadline = now() + share;
      listener.probeStarted?.(sweep.engine, 'max', context, left());
      const capacity = await measureCapacity(spec, base, sweep.engine);
      sweep.capacityEventsPerSec = capacity;
      listener.probeFinished?.(sweep.engine, { capacity }, context);
      if (!(capacity > 0)) {
        sweep.search = 'the unthrottled probe failed';
        continue;
      }
      const outcome = await findSustainable(
        async (rate) => {
          listener.probeStarted?.(sweep.engine, rate, context, left());
          const point = await measurePoint(spec, base, sweep.engine, rate, 1, true);
          sweep.points.push(point);
          listener.probeFinished?.(sweep.engine, point, context);
          return point.verdict === 'failed' ? undefined : point.verdict === 'sustained';
        },
        { capacity, precision: spec.precision, floor: 100, canProbe: () => deadline - now() >= probeMs && left() >= probeMs },
      );
      sweep.sustainableEventsPerSec = outcome.sustainable;
      sweep.search = outcome.summary;
    }
  }
  return sweeps;
}

function applyVary(base: SweepSpec['base'], vary: { key: string; value: number } | undefined): SweepSpec['base'] {
  if (!vary) return base;
  if (vary.key === 'parallelism') return { ...base, parallelism: vary.value };
  return { ...base, options: { ...base.options, [vary.key]: vary.value } };
}

function newSweep(engine: string, workload: string, base: SweepSpec['base'], vary: { key: string; value: number } | undefined): Sweep {
  const e = engines[engine];
  const w = workloads[workload];
  const options: Record<string, OptionValue> = {
    'run.parallelism': base.parallelism,
    'run.seed': base.seed,
    'run.warmup': base.warmupMs,
    'run.duration': base.durationMs,
    ...qualify(e.name, effectiveOptions(e.name, e.options, base.options)),
    ...qualify(w.name, effectiveOptions(w.name, w.options, base.options)),
  };
  return { engine, workload, ...(vary ? { vary } : {}), options, points: [], sustainableEventsPerSec: null };
}

async function runOne(spec: SweepSpec, trial: TrialSpec): Promise<RunResult> {
  return spec.isolation === 'process' ? runTrialInChild(trial) : runTrial(trial);
}

function trialSpec(
  base: SweepSpec['base'],
  engine: string,
  workload: string,
  trial: number,
  rate: number | 'max',
  durationMs: number,
): TrialSpec {
  const { warmupMs, durationMs: _d, ...rest } = base;
  return { ...rest, engine, workload, trial, sampleIntervalMs: 500, load: { rate, warmupMs, durationMs } };
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
