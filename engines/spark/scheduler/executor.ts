/**
 * Executors and their cores. Everything runs on one Node thread, so a core (a task slot, one thread of
 * Spark's executor thread pool) is a Runnable on the shared Scheduler: it asks the TaskScheduler for a
 * task (a serialized TaskDescription, decoded here, then the stage's task binary), runs it `budget`
 * records at a time, reports it finished with a serialized result, and parks when there is nothing to
 * run. A core also owns its shuffle write buffers, reused task after task.
 */
import type { Runnable, TaskHandle, TaskResult } from '../../runtime/index.js';
import { RecordSerializer } from '../../runtime/index.js';
import { BLOCKED, MORE } from '../rdd/rdd.js';
import type { SparkContext } from '../spark-context.js';
import { decodeTaskBinary, TaskMessageCodec } from './task-description.js';
import type { Task } from './task.js';

export class ExecutorCore implements Runnable {
  handle: TaskHandle | undefined;
  /** The task this core runs, if any. */
  task: Task | undefined;
  /** Set while a receiver holds the core for good. */
  dedicated = false;
  tasksRun = 0;
  private buffers: RecordSerializer[] = [];
  private readonly codec = new TaskMessageCodec();

  constructor(
    readonly sc: SparkContext,
    readonly executorId: string,
    readonly index: number,
  ) {}

  get id(): string {
    return `${this.executorId}/core-${this.index}`;
  }

  readonly wake = (): void => {
    this.handle?.wake();
  };

  run(budget: number): TaskResult {
    try {
      return this.runTask(budget);
    } catch (err) {
      const task = this.task;
      // A receiver (launched outside the scheduler) or a task whose decoding failed: the executor fails.
      if (task === undefined || task.taskId < 0) throw err;
      this.task = undefined;
      // The failed attempt's partial shuffle output is dropped, never registered.
      for (const b of this.buffers) if (!b.isEmpty) b.finish();
      this.sc.taskFailures.failed(task, err); // throws when the job must abort
      this.sc.taskScheduler.resubmit(task);
      return 'yield';
    }
  }

  private runTask(budget: number): TaskResult {
    let task = this.task;
    if (task === undefined) {
      const ts = this.sc.taskScheduler;
      const description = ts.resourceOffer(this);
      if (description === undefined) return 'park';
      const d = this.codec.decodeDescription(description);
      task = ts.launchedTask(d.taskId);
      if (task.binary !== undefined && decodeTaskBinary(task.binary).stageId !== d.stageId) {
        throw new Error(`task ${d.taskId}: its task binary is not of stage ${d.stageId}`);
      }
      if (this.launchElsewhere(task)) return 'park';
      this.task = task;
      task.start(this);
    }
    const r = task.run(budget);
    if (r === MORE) return 'yield';
    if (r === BLOCKED) return 'park';
    this.task = undefined;
    this.tasksRun++;
    this.sc.taskScheduler.statusUpdate(this.codec.encodeResult(task.taskId, task.ctx, task.mapOutputSizes(), task.outputBytes));
    return 'yield';
  }

  /**
   * A core of a remote executor (standalone deployment) sends the task to its executor process and
   * returns true; it wakes this core when the result is back. Here, in the driver's own executor, false.
   */
  protected launchElsewhere(task: Task): boolean {
    void task;
    return false;
  }

  /** `n` shuffle write buffers of `spark.shuffle.file.buffer` bytes, empty, reused across this core's tasks. */
  shuffleBuffers(n: number): RecordSerializer[] {
    while (this.buffers.length < n) this.buffers.push(new RecordSerializer(this.sc.conf.shuffleFileBuffer));
    return this.buffers.length === n ? this.buffers : this.buffers.slice(0, n);
  }
}

/** Makes the cores of an executor: plain ones in the local deployment, remote ones in standalone. */
export type CoreFactory = (sc: SparkContext, executorId: string, index: number) => ExecutorCore;

export class Executor {
  readonly cores: ExecutorCore[];

  constructor(
    sc: SparkContext,
    readonly id: string,
    cores: number,
    coreFactory: CoreFactory = (s, e, i) => new ExecutorCore(s, e, i),
  ) {
    this.cores = Array.from({ length: cores }, (_, i) => coreFactory(sc, id, i));
  }
}
