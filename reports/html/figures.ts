/**
 * The figures of the summary table: one value per trial, summarised as the median over trials and
 * compared with a baseline figure by figure.
 */
import type { RunResult } from '../schema.js';
import { formatBytes, formatCpu, formatMs, formatRate } from './format.js';

export interface Figure {
  /** Stable key, e.g. `eventTime.p99`. */
  readonly key: string;
  /** Column header. */
  readonly label: string;
  /** Column group: which header spans it. */
  readonly group: 'throughput' | 'event-time latency' | 'processing-time latency' | 'resources';
  readonly better: 'higher' | 'lower';
  /** The trial's value; undefined when the trial does not have it. */
  value(run: RunResult): number | undefined;
  format(v: number): string;
}

function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * CPU seconds (user + system, the whole process over the measurement window and the drain) per
 * million input events read in the measurement window.
 */
export function cpuSecondsPerMillion(run: RunResult): number | undefined {
  const cpuMs =
    finite(run.resources?.cpuUserMs) !== undefined && finite(run.resources?.cpuSystemMs) !== undefined
      ? run.resources.cpuUserMs + run.resources.cpuSystemMs
      : undefined;
  const events = finite(run.input?.events);
  if (cpuMs === undefined || events === undefined || events <= 0) return undefined;
  return cpuMs / 1000 / (events / 1e6);
}

const latency = (kind: 'eventTime' | 'processingTime', q: 'p50' | 'p90' | 'p99' | 'p999' | 'max', label: string): Figure => ({
  key: `${kind}.${q}`,
  label,
  group: kind === 'eventTime' ? 'event-time latency' : 'processing-time latency',
  better: 'lower',
  value: (r) => (finite(r.latency?.[kind]?.count) ? finite(r.latency[kind][q]) : undefined),
  format: formatMs,
});

/** In table order. */
export const FIGURES: readonly Figure[] = [
  {
    key: 'throughput.input',
    label: 'in ev/s',
    group: 'throughput',
    better: 'higher',
    value: (r) => finite(r.throughput?.inputEventsPerSec),
    format: formatRate,
  },
  {
    // What the engine read while the window was open, and how far it trailed the schedule then: beside the
    // input throughput (counted by intended send time), they tell an engine that kept up from one that fell behind.
    key: 'throughput.read',
    label: 'read ev/s',
    group: 'throughput',
    better: 'higher',
    value: (r) => finite(r.throughput?.readEventsPerSec),
    format: formatRate,
  },
  {
    key: 'input.lagAtEnd',
    label: 'lag end',
    group: 'throughput',
    better: 'lower',
    value: (r) => finite(r.input?.lagAtEndMs),
    format: formatMs,
  },
  {
    key: 'throughput.output',
    label: 'out rec/s',
    group: 'throughput',
    better: 'higher',
    value: (r) => finite(r.throughput?.outputRecordsPerSec),
    format: formatRate,
  },
  latency('eventTime', 'p50', 'p50'),
  latency('eventTime', 'p90', 'p90'),
  latency('eventTime', 'p99', 'p99'),
  latency('eventTime', 'p999', 'p99.9'),
  latency('eventTime', 'max', 'max'),
  latency('processingTime', 'p50', 'p50'),
  latency('processingTime', 'p99', 'p99'),
  { key: 'cpu.perMillion', label: 'CPU s / M ev', group: 'resources', better: 'lower', value: cpuSecondsPerMillion, format: formatCpu },
  {
    key: 'heap.peak',
    label: 'peak heap',
    group: 'resources',
    better: 'lower',
    value: (r) => finite(r.resources?.heapPeakBytes),
    format: formatBytes,
  },
];

/** Each trial's value of a figure (trials without it are left out). */
export function figureValues(runs: readonly RunResult[], figure: Figure): number[] {
  const out: number[] = [];
  for (const r of runs) {
    const v = figure.value(r);
    if (v !== undefined) out.push(v);
  }
  return out;
}
