/**
 * The comparison of two results files: for every engine, workload and metric present in both, the
 * medians over trials, the relative change of the median with a bootstrap confidence interval, one-sided
 * Mann-Whitney p-values, and a verdict (see verdict.ts).
 *
 * The interval's level is 1 − 2·alpha (90 % for alpha 0.05), so that its bound on the worse side
 * matches the one-sided test. The test decides significance; the interval shows how well the change is
 * known.
 */
import type { OptionValue } from '../../engines/api/index.js';
import type { ChangeInterval } from './bootstrap.js';
import { judgeChange } from './change.js';
import { CompareInputError } from './errors.js';
import type { LabeledResults } from './load.js';
import type { MannWhitneyMethod } from './mann-whitney.js';
import { selectMetrics, type Direction, type MetricKind, type MetricSpec } from './metrics.js';
import { collectSamples, groupKey, listSome, type TrialSamples } from './samples.js';
import { parseThresholds, thresholdFor, type Thresholds } from './thresholds.js';
import { summarize, type GateSummary, type Verdict } from './verdict.js';

export interface CompareOptions {
  /** Default 10 % for every metric. */
  thresholds?: Thresholds;
  /** Significance level of the one-sided tests (default 0.05). */
  alpha?: number;
  /** Divide every engine's figures by this engine's from the same trial (usually 'reference'). */
  normalize?: string;
  /** Metric names or groups to compare (default: all). */
  metrics?: readonly string[];
  /**
   * Metrics defined by the caller, compared instead of `metrics` (a gate's derived figures, such as spark's
   * latency in batch intervals); thresholds apply by their selectors as for the built-in ones.
   */
  metricSpecs?: readonly MetricSpec[];
  /** Rows that cannot be judged fail the gate. */
  strict?: boolean;
  /** Bootstrap PRNG seed (default 1) and resamples (default 2000). */
  seed?: number;
  resamples?: number;
}

export const DEFAULT_ALPHA = 0.05;

export interface SampleSummary {
  /** Trials with a value. */
  n: number;
  /** Median over those trials (ratio to the reference when normalized). */
  median: number;
  /** The values, in trial order. */
  values: number[];
}

export interface ComparisonRow {
  engine: string;
  workload: string;
  metric: string;
  label: string;
  /** Unit of the values: the metric's, or 'x <engine>' when normalized. */
  unit: string;
  kind: MetricKind | 'ratio';
  direction: Direction;
  baseline: SampleSummary;
  current: SampleSummary;
  /** Relative change of the median, current against baseline (0.1 = +10 %); null when the baseline median is 0. */
  change: number | null;
  /** Bootstrap interval of that change; null with fewer than 2 trials a side. */
  interval: ChangeInterval | null;
  /** One-sided Mann-Whitney p-values: current worse, current better. */
  pWorse: number | null;
  pBetter: number | null;
  test: MannWhitneyMethod | null;
  /** Fraction. */
  threshold: number;
  verdict: Verdict;
  reason: string;
}

export interface FileSummary {
  label: string;
  createdAt: string;
  command: string;
  gitCommit?: string;
  /** Successful and failed trials in the file. */
  okTrials: number;
  failedTrials: number;
}

export interface ComparisonReport {
  baseline: FileSummary;
  current: FileSummary;
  normalizedBy: string | null;
  alpha: number;
  /** Two-sided level of the intervals: 1 − 2·alpha. */
  confidence: number;
  rows: ComparisonRow[];
  /** Everything left out or worth a warning: failed trials, engines in one file only, differing options. */
  notes: string[];
  summary: GateSummary;
}

/** Compares `current` against `baseline`; throws a CompareInputError when there is nothing to compare. */
export function compareResults(baseline: LabeledResults, current: LabeledResults, options: CompareOptions = {}): ComparisonReport {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  if (!(alpha > 0 && alpha < 0.5)) throw new CompareInputError(`--alpha: ${alpha} is not between 0 and 0.5`);
  const thresholds = options.thresholds ?? parseThresholds([]);
  const metrics = options.metricSpecs ? [...options.metricSpecs] : selectMetrics(options.metrics);
  if (metrics.length === 0) throw new CompareInputError(`--metrics: '${options.metrics?.join(',')}' selects no metric`);
  const confidence = 1 - 2 * alpha;

  const base = collectSamples(baseline.results, baseline.label, metrics, options.normalize);
  const cur = collectSamples(current.results, current.label, metrics, options.normalize);
  const notes = [...base.notes, ...cur.notes];
  const common = [...base.groups.keys()].filter((k) => cur.groups.has(k));
  if (common.length === 0) {
    const names = (groups: Map<string, TrialSamples>) =>
      [...groups.values()].map((g) => `${g.engine} x ${g.workload}`).join(', ') || 'none';
    throw new CompareInputError(
      `no engine x workload in common${options.normalize ? ` (besides ${options.normalize})` : ''}: ${baseline.label} has ${names(base.groups)}; ${current.label} has ${names(cur.groups)}`,
    );
  }
  const onlyIn = (a: Map<string, TrialSamples>, b: Map<string, TrialSamples>) =>
    [...a.values()].filter((g) => !b.has(groupKey(g.engine, g.workload))).map((g) => `${g.engine} x ${g.workload}`);
  const onlyBase = onlyIn(base.groups, cur.groups);
  const onlyCur = onlyIn(cur.groups, base.groups);
  if (onlyBase.length > 0) notes.push(`only in ${baseline.label} (not compared): ${onlyBase.join(', ')}`);
  if (onlyCur.length > 0) notes.push(`only in ${current.label} (not compared): ${onlyCur.join(', ')}`);
  notes.push(...environmentNotes(baseline, current, options.normalize));

  const rows: ComparisonRow[] = [];
  for (const key of common) {
    const b = base.groups.get(key)!;
    const c = cur.groups.get(key)!;
    const differing = differingOptions(b, c);
    if (differing.length > 0) notes.push(`${b.engine} x ${b.workload}: settings differ between the files: ${listSome(differing, 4)}`);
    for (const m of metrics) {
      const bv = b.values[m.name] ?? [];
      const cv = c.values[m.name] ?? [];
      if (bv.length === 0 && cv.length === 0) continue; // e.g. no latency measured in either: nothing to say
      if (bv.length === 0 || cv.length === 0) {
        notes.push(`${b.engine} x ${b.workload} ${m.name}: no value in ${bv.length === 0 ? baseline.label : current.label}`);
        continue;
      }
      rows.push(compareMetric(b, m, bv, cv, thresholdFor(m, thresholds), alpha, confidence, options));
    }
  }
  return {
    baseline: fileSummary(baseline),
    current: fileSummary(current),
    normalizedBy: options.normalize ?? null,
    alpha,
    confidence,
    rows,
    notes,
    summary: summarize(
      rows.map((r) => r.verdict),
      options.strict ?? false,
    ),
  };
}

function compareMetric(
  group: TrialSamples,
  m: MetricSpec,
  bv: number[],
  cv: number[],
  threshold: number,
  alpha: number,
  confidence: number,
  options: CompareOptions,
): ComparisonRow {
  const j = judgeChange(bv, cv, {
    direction: m.direction,
    threshold,
    alpha,
    confidence,
    seed: options.seed ?? 1,
    resamples: options.resamples ?? 2000,
  });
  const normalized = options.normalize !== undefined;
  return {
    engine: group.engine,
    workload: group.workload,
    metric: m.name,
    label: m.label,
    unit: normalized ? `x ${options.normalize}` : m.unit,
    kind: normalized ? 'ratio' : m.kind,
    direction: m.direction,
    baseline: { n: bv.length, median: j.baselineMedian, values: bv },
    current: { n: cv.length, median: j.currentMedian, values: cv },
    change: j.change,
    interval: j.interval,
    pWorse: j.pWorse,
    pBetter: j.pBetter,
    test: j.test,
    threshold,
    verdict: j.verdict,
    reason: j.reason,
  };
}

function fileSummary(f: LabeledResults): FileSummary {
  const r = f.results;
  return {
    label: f.label,
    createdAt: r.createdAt,
    command: r.command,
    ...(r.environment?.gitCommit ? { gitCommit: r.environment.gitCommit } : {}),
    okTrials: r.runs.filter((x) => x.status === 'ok').length,
    failedTrials: r.runs.filter((x) => x.status === 'failed').length,
  };
}

/** Settings of the two groups that differ: every effective option, and the offered rate. */
function differingOptions(b: TrialSamples, c: TrialSamples): string[] {
  const out: string[] = [];
  const show = (v: OptionValue | undefined) => (v === undefined ? 'unset' : JSON.stringify(v));
  if (b.rate !== c.rate) out.push(`rate ${show(b.rate)} -> ${show(c.rate)}`);
  const keys = [...new Set([...Object.keys(b.options), ...Object.keys(c.options)])].sort();
  for (const k of keys) {
    if (JSON.stringify(b.options[k]) !== JSON.stringify(c.options[k])) out.push(`${k} ${show(b.options[k])} -> ${show(c.options[k])}`);
  }
  return out;
}

/** Different machines or Node versions make raw figures incomparable: say so, and suggest normalizing. */
function environmentNotes(baseline: LabeledResults, current: LabeledResults, normalize: string | undefined): string[] {
  const a = baseline.results.environment;
  const b = current.results.environment;
  if (!a || !b) return [];
  const differ: string[] = [];
  if (a.cpuModel !== b.cpuModel) differ.push(`CPU '${a.cpuModel}' -> '${b.cpuModel}'`);
  if (a.cores !== b.cores) differ.push(`cores ${a.cores} -> ${b.cores}`);
  if (a.node !== b.node) differ.push(`node ${a.node} -> ${b.node}`);
  if (differ.length === 0) return [];
  return [
    `the files come from different environments (${differ.join(', ')})${normalize ? '' : ': raw figures may differ for that reason alone; consider --normalize reference'}`,
  ];
}
