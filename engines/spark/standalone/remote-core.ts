/**
 * A core of an executor process as the driver's TaskScheduler sees it: the same offer / launch / status
 * update cycle as a local core, but a task that can travel (remote-task.ts) is sent to the executor
 * process and the core parks until the serialized result is back; a task that cannot travel runs here,
 * in the driver's process, as in the local deployment (counted apart in the stats).
 */
import type { TaskResult as RunResult } from '../../runtime/index.js';
import { ExecutorCore } from '../scheduler/executor.js';
import { ShuffleMapTask, type Task } from '../scheduler/task.js';
import type { SparkContext } from '../spark-context.js';
import type { RemoteMapOutput } from './protocol.js';
import { remoteTaskOf, type RemoteTask } from './remote-task.js';

/** Where a remote core's tasks go: the driver's side of the executor processes. */
export interface TaskLauncher {
  readonly origins: ReadonlyMap<string, number>;
  launch(executor: number, core: number, task: RemoteTask, onEnd: RemoteTaskEnd): void;
  /** A task that cannot travel is about to run in the driver's process. */
  ranOnDriver(): void;
}

export interface RemoteTaskEnd {
  completed(serializedResult: Uint8Array, mapOutput: RemoteMapOutput | undefined): void;
  failed(message: string): void;
}

export class RemoteCore extends ExecutorCore implements RemoteTaskEnd {
  private inFlight: Task | undefined;
  private failure: { task: Task; error: Error } | undefined;

  constructor(
    sc: SparkContext,
    executorId: string,
    index: number,
    private readonly launcher: TaskLauncher,
    private readonly executorIndex: number,
  ) {
    super(sc, executorId, index);
  }

  protected override launchElsewhere(task: Task): boolean {
    const remote = remoteTaskOf(task, this.launcher.origins, this.sc.clock.now(), this.sc.conf.shuffleFileBuffer);
    if (remote === undefined) {
      this.launcher.ranOnDriver();
      return false;
    }
    this.inFlight = task;
    this.launcher.launch(this.executorIndex, this.index, remote, this);
    return true;
  }

  override run(budget: number): RunResult {
    if (this.failure) {
      const { task, error } = this.failure;
      this.failure = undefined;
      this.sc.taskFailures.failed(task, error); // throws when the job must abort
      this.sc.taskScheduler.resubmit(task);
      return 'yield';
    }
    if (this.inFlight) return 'park';
    return super.run(budget);
  }

  completed(serializedResult: Uint8Array, mapOutput: RemoteMapOutput | undefined): void {
    const task = this.inFlight;
    // The map output stays in the executor's block manager: the driver registers where it is.
    if (task instanceof ShuffleMapTask && mapOutput !== undefined) {
      task.status = {
        mapId: task.partition,
        buckets: [],
        bytes: mapOutput.bytes,
        records: mapOutput.records,
        location: { executor: this.executorIndex, chunkLengths: mapOutput.chunkLengths },
      };
    }
    this.inFlight = undefined;
    this.tasksRun++;
    this.sc.taskScheduler.statusUpdate(serializedResult);
    this.wake();
  }

  failed(message: string): void {
    const task = this.inFlight;
    if (task === undefined) return;
    this.inFlight = undefined;
    this.failure = { task, error: new Error(`${task.label} on ${this.id}: ${message}`) };
    this.wake();
  }
}
