/**
 * Per-key aggregation as Spark's Aggregator does it (createCombiner, mergeValue, mergeCombiners): records
 * folded into one partial per key, `{acc, n}` with `n` the records folded in, and the max emit and ingest
 * times of those records. What reduceByKey's map-side combine and its reduce side both keep, and what a
 * processing-time window reduces. Partials travel as `[key, acc, n]` records whose frame times are the maxima.
 */
import type { AggregateFunction, Key } from '../../api/index.js';
import type { Emit } from '../../operators/index.js';

interface Partial {
  acc: unknown;
  n: number;
  emitTime: number;
  ingestTime: number;
}

export class KeyAggregation {
  private readonly partials = new Map<Key, Partial>();

  constructor(private readonly fn: AggregateFunction<any, any, unknown>) {}

  /** mergeValue (createCombiner for a new key): one record. */
  addValue(key: Key, value: unknown, emitTime: number, ingestTime: number): void {
    const p = this.partials.get(key);
    if (p === undefined) {
      this.partials.set(key, { acc: this.fn.add(this.fn.create(), value), n: 1, emitTime, ingestTime });
      return;
    }
    p.acc = this.fn.add(p.acc, value);
    p.n++;
    if (emitTime > p.emitTime) p.emitTime = emitTime;
    if (ingestTime > p.ingestTime) p.ingestTime = ingestTime;
  }

  /** mergeCombiners: a partial of `n` records. */
  mergePartial(key: Key, acc: unknown, n: number, emitTime: number, ingestTime: number): void {
    const p = this.partials.get(key);
    if (p === undefined) {
      this.partials.set(key, { acc, n, emitTime, ingestTime });
      return;
    }
    p.acc = this.fn.merge(p.acc, acc);
    p.n += n;
    if (emitTime > p.emitTime) p.emitTime = emitTime;
    if (ingestTime > p.ingestTime) p.ingestTime = ingestTime;
  }

  /** A record of either shape: a partial `[key, acc, n]` when `partials`, else a `[key, value]` pair. */
  addRecord(record: unknown, partials: boolean, emitTime: number, ingestTime: number): void {
    if (partials) {
      const [key, acc, n] = record as [Key, unknown, number];
      this.mergePartial(key, acc, n, emitTime, ingestTime);
    } else {
      const [key, value] = record as [Key, unknown];
      this.addValue(key, value, emitTime, ingestTime);
    }
  }

  /** Emits every partial as `[key, acc, n]` (event time = emit time: processing-time data has none) and forgets them. */
  drain(out: Emit): number {
    let n = 0;
    for (const [key, p] of this.partials) {
      out([key, p.acc, p.n], p.emitTime, p.emitTime, p.ingestTime);
      n++;
    }
    this.partials.clear();
    return n;
  }

  get size(): number {
    return this.partials.size;
  }
}
