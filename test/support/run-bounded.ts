/**
 * Runs a dataflow on an engine over a fixed, bounded input and collects what every sink received. The
 * harness every engine's correctness tests use: same input, compare against the reference engine.
 */
import type { Clock, Dataflow, Engine, EngineStats, OptionValues, RunningJob, SinkSet, SinkWriter } from '../../engines/api/index.js';
import { systemClock } from '../../engines/runtime/index.js';
import { EventLog } from '../../bench/driver/index.js';
import { LateRecordCounter } from '../../bench/metrics/index.js';
import { canonicalJson } from '../../reports/digest.js';

export interface SinkRecord {
  value: unknown;
  emitTime: number;
  ingestTime: number;
}

export interface BoundedRun {
  /** Sink name -> records in arrival order. */
  sinks: Record<string, SinkRecord[]>;
  late: LateRecordCounter;
  stats: EngineStats;
}

export interface BoundedRunOptions {
  parallelism?: number;
  /** The engine's own options (defaults fill the rest). */
  values?: OptionValues;
  /** Log timestamp (intended send time) of each event; default: its index. */
  timestamps?: readonly number[];
}

/** A sink set that keeps every record it receives, per sink. */
export class CollectingSinks implements SinkSet {
  readonly records: Record<string, SinkRecord[]> = {};

  constructor(flow: Dataflow) {
    for (const s of flow.sinks) this.records[s.name] = [];
  }

  get(name: string): SinkWriter {
    const list = this.records[name];
    if (!list) throw new Error(`no sink named ${name}`);
    return { write: (value, emitTime, ingestTime) => list.push({ value, emitTime, ingestTime }) };
  }
}

/** A bounded run started but not awaited: for harnesses that drive their own clock. */
export interface StartedBoundedRun {
  job: RunningJob;
  log: EventLog;
  sinks: CollectingSinks;
  late: LateRecordCounter;
}

/**
 * Appends `events` to a closed log (event k to partition k % parallelism) and starts `engine` on it with
 * its defaults overridden by `opts.values`.
 */
export async function startBounded(engine: Engine, flow: Dataflow, events: readonly unknown[], clock: Clock, opts: BoundedRunOptions = {}): Promise<StartedBoundedRun> {
  const parallelism = opts.parallelism ?? 1;
  const log = new EventLog(parallelism, clock);
  events.forEach((value, k) => log.append(k % parallelism, value, opts.timestamps?.[k] ?? k));
  log.close();
  const sinks = new CollectingSinks(flow);
  const late = new LateRecordCounter();
  const values: Record<string, unknown> = {};
  for (const o of engine.options) values[o.key] = o.default;
  Object.assign(values, opts.values);
  const job = await engine.start(flow, { log, sinks, clock, metrics: late }, { parallelism, values: values as OptionValues });
  return { job, log, sinks, late };
}

export async function runBounded(engine: Engine, flow: Dataflow, events: readonly unknown[], opts: BoundedRunOptions = {}): Promise<BoundedRun> {
  const { job, sinks, late } = await startBounded(engine, flow, events, systemClock, opts);
  await job.drained();
  return { sinks: sinks.records, late, stats: job.stats() };
}

/** A sink's values as sorted canonical JSON lines: order-free comparison of outputs. */
export function sortedValues(records: readonly SinkRecord[]): string[] {
  return records.map((r) => canonicalJson(r.value)).sort();
}
