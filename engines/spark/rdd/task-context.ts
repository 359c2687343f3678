/**
 * What a running task knows and accumulates (Spark's TaskContext and TaskMetrics): its stage, partition,
 * batch and core, the per-task accumulators that go back to the driver in the serialized task result (event-time
 * maxima per watermark origin, as Structured Streaming's EventTimeStatsAccum; late records per operator)
 * and the task's I/O metrics.
 */
import type { BatchContext } from '../streaming/batch.js';
import type { ExecutorCore } from '../scheduler/executor.js';

export class TaskContext {
  /** Highest event time seen per watermark origin (timestamps node), -Infinity when none. */
  readonly eventTimeMax: Float64Array;
  /** Records read from the source (log entries or received records). */
  recordsRead = 0;
  shuffleWriteBytes = 0;
  shuffleWriteRecords = 0;
  shuffleReadBytes = 0;
  /** Late records dropped by operator name. */
  late: Map<string, number> | undefined;

  constructor(
    readonly stageId: number,
    readonly partition: number,
    readonly batch: BatchContext,
    readonly core: ExecutorCore,
  ) {
    this.eventTimeMax = new Float64Array(batch.eventTimeMax.length).fill(Number.NEGATIVE_INFINITY);
  }

  /** Counts `n` records dropped as late by `operator`; reported when the task ends. */
  lateRecords(operator: string, n: number): void {
    if (n <= 0) return;
    this.late ??= new Map();
    this.late.set(operator, (this.late.get(operator) ?? 0) + n);
  }

  /** Makes the task's core runnable again after its pump returned BLOCKED. */
  get wake(): () => void {
    return this.core.wake;
  }
}
