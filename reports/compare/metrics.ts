/**
 * The metrics `compare` judges, read from one trial of a results file, and which way is better.
 * Names are short because users type them in `--threshold p99=20%` and `--metrics`.
 */
import type { LatencySummary, RunResult } from '../schema.js';

/** 'bigger': more is better (throughput); 'smaller': less is better (latency, CPU, memory). */
export type Direction = 'bigger' | 'smaller';

export type MetricKind = 'rate' | 'latency' | 'cpu' | 'bytes';

export interface MetricSpec {
  /** Short name: `throughput`, `p99`, `proc-p99`, `cpu`, `heap`. */
  name: string;
  /** What it is, for tables. */
  label: string;
  /** Unit of the raw value. */
  unit: string;
  kind: MetricKind;
  direction: Direction;
  /**
   * Names that select this metric in `--threshold` and `--metrics`, most specific first: a threshold given
   * for an earlier one wins (`proc-p99` over `p99` over `latency`).
   */
  selectors: readonly string[];
  /** The value of one trial, or undefined when the trial has none (no measured record, no input). */
  value(run: RunResult): number | undefined;
}

const PERCENTILES = ['p50', 'p90', 'p99', 'p999'] as const;

function percentile(summary: LatencySummary | undefined, p: (typeof PERCENTILES)[number]): number | undefined {
  if (!summary || !(summary.count > 0)) return undefined;
  return finite(summary[p]);
}

function finite(v: number | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Every metric, in the order tables list them. */
export const METRICS: readonly MetricSpec[] = [
  {
    name: 'throughput',
    label: 'input throughput',
    unit: 'events/s',
    kind: 'rate',
    direction: 'bigger',
    selectors: ['throughput'],
    value: (r) => finite(r.throughput?.inputEventsPerSec),
  },
  ...PERCENTILES.map(
    (p): MetricSpec => ({
      name: p,
      label: `event-time latency ${p}`,
      unit: 'ms',
      kind: 'latency',
      direction: 'smaller',
      selectors: [p, 'event-latency', 'latency'],
      value: (r) => percentile(r.latency?.eventTime, p),
    }),
  ),
  ...PERCENTILES.map(
    (p): MetricSpec => ({
      name: `proc-${p}`,
      label: `processing-time latency ${p}`,
      unit: 'ms',
      kind: 'latency',
      direction: 'smaller',
      selectors: [`proc-${p}`, p, 'proc-latency', 'latency'],
      value: (r) => percentile(r.latency?.processingTime, p),
    }),
  ),
  {
    name: 'cpu',
    label: 'CPU per million input events',
    unit: 'ms/M events',
    kind: 'cpu',
    direction: 'smaller',
    selectors: ['cpu'],
    value: (r) => {
      const events = r.input?.events;
      if (!(events > 0) || !r.resources) return undefined;
      return finite(((r.resources.cpuUserMs + r.resources.cpuSystemMs) / events) * 1e6);
    },
  },
  {
    name: 'heap',
    label: 'peak heap',
    unit: 'bytes',
    kind: 'bytes',
    direction: 'smaller',
    selectors: ['heap', 'memory'],
    value: (r) => {
      const v = finite(r.resources?.heapPeakBytes);
      return v !== undefined && v > 0 ? v : undefined;
    },
  },
];

/** Every name that `--threshold` and `--metrics` accept: the metric names, then the groups. */
export function metricSelectors(): string[] {
  return [...new Set([...METRICS.map((m) => m.name), ...METRICS.flatMap((m) => m.selectors)])];
}

/** The metrics that any of `selectors` names (all of them when `selectors` is undefined), in table order. */
export function selectMetrics(selectors: readonly string[] | undefined): MetricSpec[] {
  if (selectors === undefined) return [...METRICS];
  return METRICS.filter((m) => m.selectors.some((s) => selectors.includes(s)));
}
