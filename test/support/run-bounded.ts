/**
 * Runs a dataflow on an engine over a fixed, bounded input and collects what every sink received. The
 * harness every engine's correctness tests use: same input, compare against the reference engine.
 */
import type { Dataflow, Engine, EngineStats, OptionValues, SinkSet, SinkWriter } from '../../engines/api/index.js';
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

export async function runBounded(engine: Engine, flow: Dataflow, events: readonly unknown[], opts: BoundedRunOptions = {}): Promise<BoundedRun> {
  const parallelism = opts.parallelism ?? 1;
  const log = new EventLog(parallelism, systemClock);
  events.forEach((value, k) => log.append(k % parallelism, value, opts.timestamps?.[k] ?? k));
  log.close();
  const sinks = new CollectingSinks(flow);
  const late = new LateRecordCounter();
  const values: Record<string, unknown> = {};
  for (const o of engine.options) values[o.key] = o.default;
  Object.assign(values, opts.values);
  const job = await engine.start(flow, { log, sinks, clock: systemClock, metrics: late }, { parallelism, values: values as OptionValues });
  await job.drained();
  return { sinks: sinks.records, late, stats: job.stats() };
}

/** A sink's values as sorted canonical JSON lines: order-free comparison of outputs. */
export function sortedValues(records: readonly SinkRecord[]): string[] {
  return records.map((r) => canonicalJson(r.value)).sort();
}
