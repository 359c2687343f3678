/**
 * What the report is made of: the results files grouped into one group per engine and workload
 * (trials together), and the data the page embeds for the charts, decimated. The page embeds only
 * what its charts draw (curves, series, bars), never the raw results: histograms are turned into
 * percentile curves here, long time series are decimated to {@link MAX_SERIES_POINTS}.
 */
import type { FailedRun, ResultsFile, RunResult } from '../schema.js';
import { decimateMinMax, MAX_SERIES_POINTS, type Point } from './decimate.js';
import type { TimeseriesSample } from '../../reports/schema.js';

/** One results file given to the report. */
export interface ReportSource {
  /** Short name shown in the report (usually the file name). */
  label: string;
  results: ResultsFile;
}

/** All trials of one engine on one workload from one source. */
export interface RunGroup {
  /** Unique within the report, safe for element ids: `g0`, `g1`... */
  id: string;
  engine: string;
  workload: string;
  /** Series name in charts and tables: the engine, plus the source when two sources ran the same pair. */
  label: string;
  /** Index of the source (results file) it came from. */
  source: number;
  /** Completed trials, in trial order. */
  runs: RunResult[];
  failed: FailedRun[];
}

/** A trial the report could not read, and why. */
export interface SkippedRun {
  source: number;
  index: number;
  reason: string;
}

export interface GroupedRuns {
  groups: RunGroup[];
  skipped: SkippedRun[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Why a run entry cannot be reported (undefined when it can): checks every field the report reads. */
export function runProblem(r: unknown): string | undefined {
  if (!isObject(r)) return 'not an object';
  if (typeof r.engine !== 'string' || typeof r.workload !== 'string') return 'engine or workload missing';
  if (r.status === 'failed') return typeof r.error === 'string' ? undefined : 'failed trial without an error';
  if (r.status !== 'ok') return `unknown status ${JSON.stringify(r.status)}`;
  if (!isObject(r.throughput) || !isNumber(r.throughput.inputEventsPerSec)) return 'throughput missing';
  if (!isObject(r.latency)) return 'latency missing';
  for (const k of ['eventTime', 'processingTime']) {
    const l = r.latency[k];
    if (!isObject(l) || !isNumber(l.count) || !isObject(l.histogram)) return `latency.${k} missing`;
  }
  if (!isObject(r.input) || !isObject(r.resources) || !isObject(r.output)) return 'input, resources or output missing';
  if (!Array.isArray(r.timeseries)) return 'timeseries missing';
  if (!isObject(r.options)) return 'options missing';
  return undefined;
}

/**
 * Groups the runs of every source by engine and workload, in order of first appearance. A pair that
 * appears in several sources gets one group per source, labelled `engine (source)`.
 */
export function groupRuns(sources: readonly ReportSource[]): GroupedRuns {
  const groups: RunGroup[] = [];
  const skipped: SkippedRun[] = [];
  const byKey = new Map<string, RunGroup>();
  sources.forEach((source, s) => {
    const runs = Array.isArray(source.results.runs) ? source.results.runs : [];
    runs.forEach((run, index) => {
      const problem = runProblem(run);
      if (problem) {
        skipped.push({ source: s, index, reason: problem });
        return;
      }
      const key = JSON.stringify([s, run.engine, run.workload]);
      let g = byKey.get(key);
      if (!g) {
        g = { id: `g${groups.length}`, engine: run.engine, workload: run.workload, label: run.engine, source: s, runs: [], failed: [] };
        byKey.set(key, g);
        groups.push(g);
      }
      if (run.status === 'ok') g.runs.push(run);
      else g.failed.push(run);
    });
  });
  for (const g of groups) {
    g.runs.sort((a, b) => a.trial - b.trial);
    const twins = groups.filter((o) => o.engine === g.engine && o.workload === g.workload);
    if (twins.length > 1) g.label = `${g.engine} (${sources[g.source]!.label})`;
  }
  return { groups, skipped };
}

/** Workload names in order of first appearance. */
export function workloadNames(groups: readonly RunGroup[]): string[] {
  return [...new Set(groups.map((g) => g.workload))];
}

/**
 * The trial that stands for a group in time-series charts and engine panels: the one with the median
 * input throughput (the lower middle one for an even count). Undefined when no trial completed.
 */
export function representativeRun(group: RunGroup): RunResult | undefined {
  if (group.runs.length === 0) return undefined;
  const sorted = [...group.runs].sort((a, b) => a.throughput.inputEventsPerSec - b.throughput.inputEventsPerSec || a.trial - b.trial);
  return sorted[(sorted.length - 1) >> 1];
}

/** A time series of one trial, decimated: x in seconds since the driver started. */
export function sampleSeries(
  run: RunResult,
  y: (s: TimeseriesSample) => number | null | undefined,
  maxPoints = MAX_SERIES_POINTS,
): Point[] {
  const points: Point[] = [];
  for (const s of run.timeseries) {
    if (!isObject(s) || !isNumber(s.t)) continue;
    const v = y(s);
    points.push({ x: s.t, y: isNumber(v) ? v : null });
  }
  points.sort((a, b) => a.x - b.x);
  return decimateMinMax(points, maxPoints);
}

/** A shaded stretch of a time-series chart. */
export interface Band {
  from: number;
  to: number;
  label: string;
}

/**
 * The warm-up and drain stretches of a trial (seconds since the driver started): warm-up from 0 to
 * `run.warmup`; drain from the planned end of the load (`run.warmup + run.duration`), or without a
 * planned duration from the end of the last interval sampled before the drain, to the last sample.
 */
export function phaseBands(run: RunResult): Band[] {
  const bands: Band[] = [];
  const warmupMs = run.options['run.warmup'];
  if (isNumber(warmupMs) && warmupMs > 0) bands.push({ from: 0, to: warmupMs / 1000, label: 'warm-up' });
  const samples = run.timeseries.filter((s) => isObject(s) && isNumber(s.t));
  const firstDrain = samples.findIndex((s) => s.phase === 'drain');
  if (firstDrain >= 0) {
    const durationMs = run.options['run.duration'];
    const sampled = firstDrain > 0 ? samples[firstDrain - 1]!.t : 0;
    const planned = isNumber(warmupMs) && isNumber(durationMs) ? (warmupMs + durationMs) / 1000 : undefined;
    const from = planned !== undefined && planned >= sampled && planned <= samples[firstDrain]!.t ? planned : sampled;
    const to = samples[samples.length - 1]!.t;
    if (to > from) bands.push({ from, to, label: 'drain' });
  }
  return bands;
}
