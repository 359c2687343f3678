/**
 * One micro-batch as the driver tracks it: its time, what it read, the event-time thresholds fixed for it
 * when it starts processing, the accumulators its tasks bring back, and its timing (Spark's BatchInfo:
 * scheduling delay = waiting in the job queue, processing delay = running, total = both).
 */
import type { TaskResult } from '../scheduler/task-description.js';
import type { SparkContext } from '../spark-context.js';

export class BatchContext {
  /** Per stateful operator: records whose windows all closed at this threshold (in an earlier batch) are late. */
  readonly lateThreshold: Float64Array;
  /** Per stateful operator: windows closed at this threshold close in this batch, where `closing` is 1. */
  readonly closeThreshold: Float64Array;
  /** Per stateful operator: 1 when windows close in this batch (see EventTimeTracker). */
  readonly closing: Uint8Array;
  /** Per watermark origin: the highest event time the batch's tasks saw. */
  readonly eventTimeMax: Float64Array;
  /** Input records allocated to the batch. */
  records = 0;
  /** Stages and tasks run for the batch (checkpoint tasks included). */
  stages = 0;
  tasks = 0;
  lateRecords = 0;
  /** When the JobSet was submitted, when its first job started, when its last job ended (ms); NaN until then. */
  submissionTime = Number.NaN;
  processingStartTime = Number.NaN;
  processingEndTime = Number.NaN;

  /**
   * @param time the batch time (ms since epoch, a multiple of the batch interval)
   * @param index 0-based batch number: the version of every operator state this batch produces
   * @param final the input is exhausted after this batch: every threshold goes to +Infinity
   * @param stateFullScan mapWithState scans its whole state in this batch (it is checkpointed, or final)
   */
  constructor(
    readonly time: number,
    readonly index: number,
    operators: number,
    origins: number,
    readonly final: boolean,
    readonly stateFullScan = final,
  ) {
    this.lateThreshold = new Float64Array(operators).fill(Number.NEGATIVE_INFINITY);
    this.closeThreshold = new Float64Array(operators).fill(Number.NEGATIVE_INFINITY);
    this.closing = new Uint8Array(operators);
    this.eventTimeMax = new Float64Array(origins).fill(Number.NEGATIVE_INFINITY);
  }

  get started(): boolean {
    return !Number.isNaN(this.processingStartTime);
  }

  /** Merges a finished task's decoded accumulator updates (on the driver, as Spark merges them). */
  mergeTaskResult(result: TaskResult, sc: SparkContext): void {
    const max = result.eventTimeMax;
    for (let i = 0; i < max.length; i++) if (max[i] > this.eventTimeMax[i]) this.eventTimeMax[i] = max[i];
    for (const [operator, n] of result.late) {
      sc.metrics.lateRecordsDropped(operator, n);
      this.lateRecords += n;
      sc.lateRecordsDropped += n;
    }
  }

  get schedulingDelay(): number {
    return this.processingStartTime - this.submissionTime;
  }

  get processingDelay(): number {
    return this.processingEndTime - this.processingStartTime;
  }

  get totalDelay(): number {
    return this.processingEndTime - this.submissionTime;
  }
}
