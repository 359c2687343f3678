/**
 * The JobScheduler: takes each batch's JobSet from the JobGenerator and runs its jobs through the
 * DAGScheduler, at most `spark.streaming.concurrentJobs` at a time, in submission order. With the default
 * of 1, batches run strictly one after another: a batch that takes longer than the batch interval delays
 * every later one, and the scheduling delay grows. When a batch's jobs (and its checkpoint, if due) are
 * done, the batch completes: offsets are committed, event time and the rate controller are updated.
 * Batches complete in time order even when jobs of several run at once.
 */
import { RingQueue } from '../../runtime/index.js';
import type { BatchContext } from './batch.js';
import type { Job } from './dstream-graph.js';
import type { StreamingContext } from './streaming-context.js';

export class JobSet {
  completedJobs = 0;
  complete = false;

  constructor(
    readonly batch: BatchContext,
    readonly jobs: readonly Job[],
  ) {}
}

export class JobScheduler {
  private readonly queue = new RingQueue<{ set: JobSet; job: Job }>();
  /** Submitted, not yet completed, in batch order. */
  private readonly incomplete: JobSet[] = [];
  private running = 0;
  private starting = false;
  private stopped = false;

  constructor(private readonly ssc: StreamingContext) {}

  submitJobSet(set: JobSet): void {
    const now = this.ssc.sc.clock.now();
    // Spark's JobGenerator has its own thread and submits at the batch time; here its timer shares the
    // thread with the executors and may fire late behind a long task run, which must not hide the wait.
    set.batch.submissionTime = Math.min(now, set.batch.time);
    this.incomplete.push(set);
    if (set.jobs.length === 0) {
      // No output operation has an RDD at this time: the batch is done at once.
      set.batch.processingStartTime = now;
      this.ssc.eventTime.begin(set.batch);
      this.completeSet(set);
    } else {
      for (const job of set.jobs) this.queue.push({ set, job });
    }
    this.startJobs();
  }

  /** Batches waiting or running. */
  get pendingBatches(): number {
    return this.incomplete.length;
  }

  stop(): void {
    this.stopped = true;
    this.queue.clear();
  }

  private startJobs(): void {
    if (this.starting) return;
    this.starting = true;
    try {
      while (!this.stopped && this.running < this.ssc.conf.concurrentJobs && this.queue.size > 0) {
        const { set, job } = this.queue.shift()!;
        const batch = set.batch;
        const now = this.ssc.sc.clock.now();
        if (!batch.started) {
          batch.processingStartTime = now;
          this.ssc.eventTime.begin(batch);
        }
        job.startTime = now;
        this.running++;
        this.ssc.sc.dagScheduler.submitJob(job.rdd, job.output, batch, () => this.onJobDone(set, job));
      }
    } finally {
      this.starting = false;
    }
  }

  private onJobDone(set: JobSet, job: Job): void {
    if (this.stopped) return;
    job.endTime = this.ssc.sc.clock.now();
    set.completedJobs++;
    if (set.completedJobs < set.jobs.length) {
      this.running--;
      this.startJobs();
      return;
    }
    const finish = () => {
      this.running--;
      this.completeSet(set);
      this.startJobs();
    };
    const { checkpointWriter, jobGenerator } = this.ssc;
    if (checkpointWriter.isDue(set.batch.time, jobGenerator.zeroTime))
      checkpointWriter.run(set.batch, jobGenerator.zeroTime, () => !this.stopped && finish());
    else finish();
  }

  private completeSet(set: JobSet): void {
    set.batch.processingEndTime = this.ssc.sc.clock.now();
    set.complete = true;
    while (this.incomplete.length > 0 && this.incomplete[0].complete) this.ssc.onBatchCompleted(this.incomplete.shift()!.batch);
  }
}
