/** Synthetic results files with chosen figures, for tests of compare that need known answers. */
import type { FailedRun, LatencySummary, ResultsFile, RunResult, TrialOutcome } from '../../../reports/schema.js';
import { SCHEMA_VERSION } from '../../../reports/schema.js';

export interface FakeFigures {
  /** Input events/s. */
  throughput?: number;
  /** Event-time latency percentiles (ms); p90/p99/p999 default to multiples of p50. */
  p50?: number;
  p99?: number;
  /** Processing-time p50 (ms). */
  procP50?: number;
  /** CPU ms over the window, for `events` input events. */
  cpuMs?: number;
  events?: number;
  heap?: number;
  /** No measured sink record: latency count 0. */
  noLatency?: boolean;
}

function latency(p50: number, p99: number | undefined, none: boolean | undefined): LatencySummary {
  const q99 = p99 ?? p50 * 4;
  return {
    count: none ? 0 : 1000,
    p50,
    p90: p50 * 2,
    p99: q99,
    p999: q99 * 1.5,
    max: q99 * 2,
    mean: p50 * 1.2,
    histogram: {
      unit: 'us',
      significantBits: 8,
      count: none ? 0 : 1000,
      min: 0,
      max: 0,
      sum: 0,
      negativeCount: 0,
      overflowCount: 0,
      buckets: [],
    },
  };
}

export function fakeRun(
  engine: string,
  workload: string,
  trial: number,
  f: FakeFigures = {},
  options: Record<string, number | string> = {},
): RunResult {
  const events = f.events ?? 1_000_000;
  const p50 = f.p50 ?? 10;
  return {
    engine,
    workload,
    trial,
    status: 'ok',
    options: { 'run.parallelism': 1, 'run.seed': 42, [`${workload}.window`]: 1000, ...options },
    input: { events, eventsTotal: events, rate: 'max', source: 'generator' },
    durationMs: 1000,
    throughput: { inputEventsPerSec: f.throughput ?? 100_000, outputRecordsPerSec: 1000 },
    latency: { eventTime: latency(p50, f.p99, f.noLatency), processingTime: latency(f.procP50 ?? p50 / 2, undefined, f.noLatency) },
    sendLag: latency(0, 0, false),
    timeseries: [],
    resources: {
      cpuUserMs: (f.cpuMs ?? 1000) * 0.9,
      cpuSystemMs: (f.cpuMs ?? 1000) * 0.1,
      heapPeakBytes: f.heap ?? 50 * 2 ** 20,
      rssPeakBytes: 100 * 2 ** 20,
    },
    output: { records: 10, measuredRecords: 10, digest: '10:0000000000000000', lateRecordsDropped: 0 },
    drained: true,
    engineStats: {},
  };
}

export function failedRun(engine: string, workload: string, trial: number, error = 'trial process exited with code 1'): FailedRun {
  return { engine, workload, trial, status: 'failed', error };
}

export function fakeResults(runs: TrialOutcome[], over: Partial<ResultsFile> = {}): ResultsFile {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'streamarena', version: '0.1.0' },
    createdAt: '2026-01-01T00:00:00.000Z',
    command: 'streamarena run (synthetic)',
    environment: { node: 'v20.0.0', os: 'linux', cpuModel: 'test cpu', cores: 2, memoryBytes: 2 ** 33, hostname: 'test' },
    runs,
    ...over,
  };
}

/** One engine and workload, one trial per entry of `figures`. */
export function trialsOf(engine: string, workload: string, figures: FakeFigures[]): RunResult[] {
  return figures.map((f, i) => fakeRun(engine, workload, i + 1, f));
}
