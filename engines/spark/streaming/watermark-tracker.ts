/**
 * Event-time watermarks on the driver, advanced at batch boundaries as Structured Streaming does: tasks
 * report the highest event time they saw per watermark origin (a timestamps node), the driver folds them
 * in when a batch completes, and fixes each stateful operator's watermarks when the next batch starts:
 *
 * - eviction watermark = min over the origins feeding the operator of `maxSeen - maxDelay - 1` (an input
 *   path without a timestamps node holds it at -Infinity), never going back; +Infinity in the final batch
 *   of a bounded input;
 * - late-data watermark = the operator's eviction watermark of the previous batch, so that results an
 *   upstream operator fires in this batch are not late downstream (Spark 3.4's multiple stateful
 *   operators).
 */
import { MAX_WATERMARK, MIN_WATERMARK } from '../../api/index.js';
import { BoundedOutOfOrderness } from '../../operators/index.js';
import type { BatchContext } from './batch.js';

/** The source itself as an origin: no watermark until the end of input. */
export const SOURCE_ORIGIN = -1;

interface OperatorWatermarks {
  readonly feeding: readonly number[];
  lastEviction: number;
}

export class WatermarkTracker {
  private readonly origins: BoundedOutOfOrderness[] = [];
  private readonly operators: OperatorWatermarks[] = [];

  /** Registers a timestamps node; returns its origin index. */
  addOrigin(maxDelay: number): number {
    this.origins.push(new BoundedOutOfOrderness(maxDelay));
    return this.origins.length - 1;
  }

  /** Registers a stateful operator fed by these origins (SOURCE_ORIGIN for paths without timestamps); returns its index. */
  addOperator(feeding: readonly number[]): number {
    this.operators.push({ feeding: [...feeding], lastEviction: MIN_WATERMARK });
    return this.operators.length - 1;
  }

  get originCount(): number {
    return this.origins.length;
  }

  get operatorCount(): number {
    return this.operators.length;
  }

  /** Fixes the batch's watermarks: call when its processing starts. */
  begin(batch: BatchContext): void {
    this.operators.forEach((op, i) => {
      let evict = MAX_WATERMARK;
      if (!batch.final) {
        for (const o of op.feeding) {
          const wm = o === SOURCE_ORIGIN ? MIN_WATERMARK : this.origins[o].current;
          if (wm < evict) evict = wm;
        }
      }
      if (evict < op.lastEviction) evict = op.lastEviction;
      batch.lateWatermark[i] = op.lastEviction;
      batch.evictionWatermark[i] = evict;
      op.lastEviction = evict;
    });
  }

  /** Folds in the event times a completed batch saw. */
  complete(batch: BatchContext): void {
    const max = batch.eventTimeMax;
    for (let i = 0; i < max.length; i++) this.origins[i].observe(max[i]);
  }

  /** The current watermark of each origin (ms; -Infinity before any event). */
  originWatermarks(): number[] {
    return this.origins.map((o) => o.current);
  }
}
