/**
 * What the latency suite gates, and how each figure is made comparable across runs on a shared machine:
 *
 * - the reference: event-time p50 and p99 raw. It normalizes the others, so a change of the harness or the
 *   driver (which every engine shares) would cancel out of every ratio; only its raw figures show it.
 * - the per-event engines (flink, storm): p50 and p99 as multiples of the reference's in the same trial.
 *   A busy machine delays every engine's timers and sinks alike, and the ratio keeps what the engine adds
 *   (flink's buffer timeout, storm's executor queues and window manager).
 * - spark: p50 and p99 in batch intervals. Its latency is set by when batches fire, not by what the
 *   reference's sink costs, so dividing by the reference would only add the reference's noise; the batch
 *   interval makes the figure read the same whatever interval the suite runs. And its throughput as batch
 *   capacity: events per second of batch processing time (records over the summed processing delay of its
 *   batches). That is what each batch costs, so neither the window nor the batch boundary quantizes it the
 *   way counting the events read in a 1 s --rate max window did.
 */
import {
  compareResults,
  METRICS,
  summarize,
  type ComparisonReport,
  type LabeledResults,
  type MetricSpec,
  type Thresholds,
} from '../../reports/compare/index.js';
import { engineStatsOf, type RunResult } from '../../reports/schema.js';
import { REFERENCE } from './suite.js';

/** Engines whose latency is judged in batch intervals (micro-batch engines). */
export const BATCH_ENGINES: readonly string[] = ['spark'];

/**
 * Thresholds of the latency suite (fractions), each only when the rank test says the change is real: p50
 * figures 25 %, p99 figures 50 % (a tail on a 2-core machine shared with other work moves more), spark's
 * batch capacity 25 % as the throughput suite's throughput.
 */
export const LATENCY_THRESHOLDS: Thresholds = {
  default: 0.25,
  bySelector: { p99: 0.5, 'spark-p99': 0.5, 'spark-capacity': 0.25 },
};

function builtIn(name: string): MetricSpec {
  const m = METRICS.find((x) => x.name === name);
  if (!m) throw new Error(`no built-in metric ${name}`);
  return m;
}

/** The batch interval of a spark trial, ms (from its effective options, else its engine stats). */
function batchIntervalMs(run: RunResult): number | undefined {
  const option = run.options?.['spark.batchInterval'];
  if (typeof option === 'number' && option > 0) return option;
  const stats = engineStatsOf(run, 'spark');
  return stats && stats.batchIntervalMs > 0 ? stats.batchIntervalMs : undefined;
}

function inBatchIntervals(p: 'p50' | 'p99'): MetricSpec {
  const base = builtIn(p);
  return {
    ...base,
    name: `spark-${p}`,
    label: `event-time latency ${p} in batch intervals`,
    unit: 'batch intervals',
    selectors: [`spark-${p}`],
    value: (run) => {
      const v = base.value(run);
      const interval = batchIntervalMs(run);
      return v === undefined || interval === undefined ? undefined : v / interval;
    },
  };
}

/** Events per second of batch processing time, from spark's own batch statistics. */
export const SPARK_CAPACITY: MetricSpec = {
  name: 'spark-capacity',
  label: 'batch capacity (records per second of batch processing)',
  unit: 'events/s',
  kind: 'rate',
  direction: 'bigger',
  selectors: ['spark-capacity'],
  value: (run) => {
    const s = engineStatsOf(run, 'spark');
    if (!s || !(s.recordsIn > 0)) return undefined;
    const processingMs = s.meanProcessingDelayMs * s.batchesTotal;
    return processingMs > 0 ? (s.recordsIn / processingMs) * 1000 : undefined;
  },
};

const BATCH_LATENCY = new Set(['spark-p50', 'spark-p99']);

export const SPARK_METRICS: readonly MetricSpec[] = [inBatchIntervals('p50'), inBatchIntervals('p99'), SPARK_CAPACITY];
const LATENCY: readonly MetricSpec[] = [builtIn('p50'), builtIn('p99')];

/**
 * The spark engine stats the latency baseline keeps (the ones SPARK_CAPACITY and batchIntervalMs read):
 * the per-batch lists would make the committed file large.
 */
export function keptSparkStats(run: RunResult): Record<string, unknown> {
  const s = engineStatsOf(run, 'spark');
  if (!s) return {};
  return {
    batchIntervalMs: s.batchIntervalMs,
    recordsIn: s.recordsIn,
    batchesTotal: s.batchesTotal,
    meanProcessingDelayMs: s.meanProcessingDelayMs,
  };
}

/** The latency suite's comparison: three comparisons (raw, normalized, spark's own units), each keeping its engines' rows. */
export function compareLatency(baseline: LabeledResults, current: LabeledResults): ComparisonReport {
  const isBatch = (e: string) => BATCH_ENGINES.includes(e);
  const parts: ComparisonReport[] = [];
  const keep = (report: ComparisonReport, engine: (e: string) => boolean): ComparisonReport => ({
    ...report,
    rows: report.rows.filter((r) => engine(r.engine)),
  });
  parts.push(keep(compareResults(baseline, current, { metricSpecs: LATENCY, thresholds: LATENCY_THRESHOLDS }), (e) => e === REFERENCE));
  const perEvent = [...new Set(current.results.runs.map((r) => r.engine))].filter((e) => e !== REFERENCE && !isBatch(e));
  if (perEvent.length > 0) {
    parts.push(
      keep(
        compareResults(baseline, current, { metricSpecs: LATENCY, thresholds: LATENCY_THRESHOLDS, normalize: REFERENCE }),
        (e) => !isBatch(e),
      ),
    );
  }
  if (current.results.runs.some((r) => isBatch(r.engine))) {
    parts.push(keep(compareResults(baseline, current, { metricSpecs: SPARK_METRICS, thresholds: LATENCY_THRESHOLDS }), isBatch));
  }
  // Spark's latency in batch intervals is a ratio (to its own interval): shown as one, not as ms.
  const rows = parts
    .flatMap((p) => p.rows)
    .map((r) => (BATCH_LATENCY.has(r.metric) ? { ...r, kind: 'ratio' as const, unit: 'x batch interval' } : r));
  return {
    ...parts[0],
    // The table shows each row's unit ('x reference' on the normalized ones), so the report as a whole is not "normalized".
    normalizedBy: null,
    rows,
    notes: [...new Set(parts.flatMap((p) => p.notes))],
    summary: summarize(
      rows.map((r) => r.verdict),
      false,
    ),
  };
}
