/** A sink set that keeps every record it receives, per sink, with the clock time of each write. */
import type { Clock, Dataflow, SinkSet, SinkWriter } from '../../engines/api/index.js';

export interface SinkRecord {
  value: unknown;
  emitTime: number;
  ingestTime: number;
  /** Clock time of the write (ms since epoch; virtual time on a ManualClock). */
  writeTime: number;
}

export class CollectingSinks implements SinkSet {
  /** Sink name -> records in arrival order. */
  readonly records: Record<string, SinkRecord[]> = {};

  constructor(
    flow: Dataflow,
    private readonly clock: Clock,
  ) {
    for (const s of flow.sinks) this.records[s.name] = [];
  }

  get(name: string): SinkWriter {
    const list = this.records[name];
    if (list === undefined) throw new Error(`no sink named '${name}'`);
    return { write: (value, emitTime, ingestTime) => list.push({ value, emitTime, ingestTime, writeTime: this.clock.now() }) };
  }

  /** Sink name -> the values in arrival order. */
  values(): Record<string, unknown[]> {
    return Object.fromEntries(Object.entries(this.records).map(([name, list]) => [name, list.map((r) => r.value)]));
  }
}
