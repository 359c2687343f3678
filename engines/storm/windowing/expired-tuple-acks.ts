/**
 * The acks of tuples that left a window. Storm's `WindowedBoltExecutor` acks each expired tuple when the
 * window manager reports it, and only then can the tuple's tree complete. A watermark can expire a whole
 * window at once; here the acks wait in a queue and the bolt's executor sends them a budget at a time
 * (`IBolt.flushDeferred`), so that the burst waits for room in the acker's queue like any emit instead of
 * piling up in the executor's pending emits. What is queued is the tuples themselves: they stay held until
 * acked, as in Storm.
 */
import { RingQueue } from '../../runtime/index.js';
import { rootCount, type Tuple } from '../executor/tuple.js';
import type { OutputCollector } from '../topology/components.js';

export class ExpiredTupleAcks {
  private readonly due = new RingQueue<Tuple>();

  constructor(private readonly collector: OutputCollector) {}

  /** Queues the acks of `tuples`. */
  add(tuples: readonly Tuple[]): void {
    for (let i = 0; i < tuples.length; i++) this.due.push(tuples[i]);
  }

  get hasDue(): boolean {
    return this.due.size !== 0;
  }

  /** Tuples waiting for their ack. */
  get size(): number {
    return this.due.size;
  }

  /**
   * Acks queued tuples until about `max` ack messages are sent (a tuple anchored to several roots sends one
   * per root); returns how many messages.
   */
  flush(max: number): number {
    const due = this.due;
    const c = this.collector;
    let n = 0;
    while (n < max && due.size !== 0) {
      const t = due.shift() as Tuple;
      c.ack(t);
      n += Math.max(1, rootCount(t));
    }
    return n;
  }
}
