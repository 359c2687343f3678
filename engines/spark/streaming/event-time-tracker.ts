/**
 * Event time on the driver, as a DStream program tracks it to close event-time windows: tasks bring back
 * the largest event time they saw per origin (a timestamps node) in a max accumulator, the driver folds
 * them in when a batch completes, and fixes each stateful operator's thresholds when the next batch starts:
 *
 * - closing threshold = min over the origins feeding the operator of `maxSeen - maxDelay - 1` (the
 *   allowed lateness; a path without a timestamps node holds it at -Infinity), never going back;
 *   +Infinity in the final batch of a bounded input. Windows whose end - 1 it reaches close in the batch,
 *   if the batch closes windows at all: every batch with updateStateByKey (its update function sees every
 *   key), only the full-scan batches with mapWithState (the batches it is checkpointed in, and the last);
 * - late threshold = the closing threshold of the last batch that closed the operator's windows: a record
 *   is late only if every window of its has closed in an earlier batch. So results an upstream operator
 *   emits in a batch reach a downstream one before the latter closes in that same batch.
 *
 * This is not Structured Streaming's watermark: no state store evicts on it and it is not checkpointed as
 * such; it is the driver-side variable a DStream program keeps and passes into each batch's closures.
 */
import { MAX_WATERMARK, MIN_WATERMARK } from '../../api/index.js';
import { BoundedOutOfOrderness } from '../../operators/index.js';
import type { BatchContext } from './batch.js';

/** The source itself as an origin: no event time until the end of input. */
export const SOURCE_ORIGIN = -1;

interface OperatorThresholds {
  readonly feeding: readonly number[];
  lastClose: number;
}

export class EventTimeTracker {
  private readonly origins: BoundedOutOfOrderness[] = [];
  private readonly operators: OperatorThresholds[] = [];

  /** @param closeEveryBatch whether every batch closes windows (updateStateByKey), not only full-scan ones */
  constructor(private readonly closeEveryBatch: boolean) {}

  /** Registers a timestamps node with its allowed lateness (ms); returns its origin index. */
  addOrigin(maxDelay: number): number {
    this.origins.push(new BoundedOutOfOrderness(maxDelay));
    return this.origins.length - 1;
  }

  /** Registers a stateful operator fed by these origins (SOURCE_ORIGIN for paths without timestamps); returns its index. */
  addOperator(feeding: readonly number[]): number {
    this.operators.push({ feeding: [...feeding], lastClose: MIN_WATERMARK });
    return this.operators.length - 1;
  }

  get originCount(): number {
    return this.origins.length;
  }

  get operatorCount(): number {
    return this.operators.length;
  }

  /** Fixes the batch's thresholds: call when its processing starts. */
  begin(batch: BatchContext): void {
    const closing = this.closeEveryBatch || batch.stateFullScan || batch.final;
    this.operators.forEach((op, i) => {
      batch.lateThreshold[i] = op.lastClose;
      if (!closing) return;
      let threshold = MAX_WATERMARK;
      if (!batch.final) {
        for (const o of op.feeding) {
          const t = o === SOURCE_ORIGIN ? MIN_WATERMARK : this.origins[o].current;
          if (t < threshold) threshold = t;
        }
      }
      if (threshold < op.lastClose) threshold = op.lastClose;
      batch.closing[i] = 1;
      batch.closeThreshold[i] = threshold;
      op.lastClose = threshold;
    });
  }

  /** Folds in the event times a completed batch saw. */
  complete(batch: BatchContext): void {
    const max = batch.eventTimeMax;
    for (let i = 0; i < max.length; i++) this.origins[i].observe(max[i]);
  }

  /** The current threshold of each origin (ms; -Infinity before any event). */
  originThresholds(): number[] {
    return this.origins.map((o) => o.current);
  }
}
