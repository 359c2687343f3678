/**
 * Input DStreams: the roots of the DStream graph. At every batch time the JobGenerator asks each input to
 * allocate what the batch reads (an offset range per log partition, or the blocks received since the last
 * batch); when the batch has completed, the input commits what it read so the log can drop it.
 */
import type { RateController } from './rate-controller.js';
import { DStream } from './dstream.js';
import type { StreamingContext } from './streaming-context.js';

export abstract class InputDStream extends DStream {
  rateController: RateController | undefined;

  constructor(ssc: StreamingContext, name: string) {
    super(ssc, [], name);
    ssc.graph.addInputStream(this);
  }

  override get slideDuration(): number {
    return this.ssc.conf.batchIntervalMs;
  }

  /** Driver side, at batch time: decides what batch `time` reads; returns its record count. */
  abstract allocate(time: number): number;
  /** As `allocate`, for explain: a typical batch without touching the log. */
  abstract allocateForExplain(time: number): void;
  /** True once everything there will ever be has been allocated to some batch. */
  abstract get exhausted(): boolean;
  /** The batch of `time` has completed: commit the offsets and drop the blocks no later batch will read. */
  abstract onBatchCompleted(time: number): void;
  /** Starts receivers (if any). */
  start(): void {}
  /** Stops receivers and timers. */
  stop(): void {}
}
