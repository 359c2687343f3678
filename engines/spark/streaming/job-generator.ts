/**
 * The JobGenerator: a RecurringTimer at the batch interval. At each batch time it allocates to the batch
 * the data received for it (offset ranges, or blocks), generates one job per output operation from the
 * DStream graph (each an RDD lineage), and submits them as a JobSet. When every input is exhausted (a
 * closed log fully allocated), batches go on for as long as processing-time windows still hold the last
 * data (the graph's drain duration); the batch after that is the last: its event-time thresholds go to
 * +Infinity so every open window closes, and the timer stops.
 */
import { BatchContext } from './batch.js';
import { JobSet } from './job-scheduler.js';
import { RecurringTimer } from './recurring-timer.js';
import type { StreamingContext } from './streaming-context.js';

export class JobGenerator {
  private readonly timer: RecurringTimer;
  private batchIndex = 0;
  /** The batch time at which every input was found exhausted. */
  private exhaustedAt = Number.NaN;
  zeroTime = Number.NaN;

  constructor(private readonly ssc: StreamingContext) {
    this.timer = new RecurringTimer(ssc.sc.clock, ssc.conf.batchIntervalMs, (time) => this.generateJobs(time));
  }

  /** The first batch is at the next multiple of the batch interval; zero time is one interval before. */
  start(): void {
    const interval = this.ssc.conf.batchIntervalMs;
    const startTime = RecurringTimer.startTimeAfter(this.ssc.sc.clock.now(), interval);
    this.zeroTime = startTime - interval;
    this.ssc.graph.start(this.zeroTime);
    this.timer.start(startTime);
  }

  stop(): void {
    this.timer.stop();
  }

  /** Batches generated so far. */
  get generated(): number {
    return this.batchIndex;
  }

  generateJobs(time: number): void {
    const { graph, eventTime } = this.ssc;
    let records = 0;
    for (const input of graph.inputStreams) records += input.allocate(time);
    const exhausted = graph.inputStreams.every((i) => i.exhausted);
    if (exhausted && Number.isNaN(this.exhaustedAt)) this.exhaustedAt = time;
    const final = exhausted && time >= this.exhaustedAt + graph.drainDuration;
    const interval = this.ssc.conf.checkpointIntervalMs;
    const fullScan = final || (interval > 0 && (time - this.zeroTime) % interval === 0);
    const batch = new BatchContext(time, this.batchIndex++, eventTime.operatorCount, eventTime.originCount, final, fullScan);
    batch.records = records;
    const jobs = graph.generateJobs(time);
    if (final) this.timer.stop();
    this.ssc.jobScheduler.submitJobSet(new JobSet(batch, jobs));
  }
}
