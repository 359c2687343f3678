/**
 * The SparkContext: the driver's handle on the cluster. It owns the executors (their cores are Runnables
 * on the shared cooperative Scheduler), the BlockManager, the shuffle manager, the TaskScheduler and the
 * DAGScheduler, and hands out RDD and shuffle ids.
 */
import type { Clock, EventLogReader, MetricsRecorder } from '../api/index.js';
import { TaskFailures } from './recovery/task-failures.js';
import { Scheduler } from '../runtime/index.js';
import { BlockManager } from './rdd/block-manager.js';
import { ShuffleManager } from './rdd/shuffle-manager.js';
import { DAGScheduler } from './scheduler/dag-scheduler.js';
import { Executor, type CoreFactory, type ExecutorCore } from './scheduler/executor.js';
import { TaskScheduler } from './scheduler/task-scheduler.js';
import type { SparkConf } from './spark-conf.js';

/** What the SparkContext needs from the run: the log (Kafka), the clock and the late-record counter. */
export interface ClusterIO {
  readonly log: EventLogReader;
  readonly clock: Clock;
  readonly metrics: MetricsRecorder;
  /** Standalone: cores that stand for the executor processes' cores. */
  readonly coreFactory?: CoreFactory;
}

export class SparkContext {
  readonly log: EventLogReader;
  readonly clock: Clock;
  readonly metrics: MetricsRecorder;
  readonly scheduler: Scheduler;
  readonly blockManager: BlockManager;
  readonly shuffleManager = new ShuffleManager();
  readonly taskScheduler = new TaskScheduler();
  /** Failed task attempts and their retries (spark.taskMaxFailures). */
  readonly taskFailures: TaskFailures;
  readonly dagScheduler: DAGScheduler;
  readonly executors: Executor[];
  /** Late records dropped, every operator. */
  lateRecordsDropped = 0;
  private rddIds = 0;
  private shuffleIds = 0;
  private started = false;

  constructor(
    readonly conf: SparkConf,
    io: ClusterIO,
  ) {
    this.log = io.log;
    this.clock = io.clock;
    this.metrics = io.metrics;
    this.scheduler = new Scheduler({ clock: io.clock });
    this.blockManager = new BlockManager(conf.memoryStoreBytes);
    this.taskFailures = new TaskFailures(conf.taskMaxFailures, () => this.clock.now());
    this.dagScheduler = new DAGScheduler(this);
    this.executors = Array.from(
      { length: conf.executors },
      (_, i) => new Executor(this, `executor-${i}`, conf.coresPerExecutor, io.coreFactory),
    );
  }

  get cores(): ExecutorCore[] {
    return this.executors.flatMap((e) => e.cores);
  }

  newRddId(): number {
    return this.rddIds++;
  }

  newShuffleId(): number {
    return this.shuffleIds++;
  }

  /** Starts every core: idle cores park until the TaskScheduler has work for them. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const core of this.cores) core.handle = this.scheduler.spawn(core.id, core);
  }

  /** No task runs any more. */
  stop(): void {
    this.scheduler.stop();
  }
}
