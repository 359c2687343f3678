/**
 * The TaskScheduler: task sets wait in FIFO order (Spark's default scheduling mode: by job, then stage)
 * and each free core is offered the next pending task, launched as a serialized TaskDescription. A
 * finished task's serialized result is decoded here and handed to whoever submitted its set (the
 * DAGScheduler, the checkpoint writer).
 */
import type { ExecutorCore } from './executor.js';
import { TaskMessageCodec } from './task-description.js';
import type { Task, TaskSet } from './task.js';

interface TaskSetManager {
  readonly set: TaskSet;
  next: number;
}

export class TaskScheduler {
  private readonly pending: TaskSetManager[] = [];
  private readonly idle: ExecutorCore[] = [];
  /** Submitted tasks by id, with the set they belong to. */
  private readonly tasks = new Map<number, { task: Task; set: TaskSet }>();
  private readonly codec = new TaskMessageCodec();
  private nextTaskId = 0;
  tasksLaunched = 0;

  submitTasks(set: TaskSet): void {
    if (set.tasks.length === 0) return;
    for (const t of set.tasks) {
      t.taskId = this.nextTaskId++;
      this.tasks.set(t.taskId, { task: t, set });
    }
    const m: TaskSetManager = { set, next: 0 };
    let i = this.pending.length;
    while (i > 0 && compare(this.pending[i - 1].set, set) > 0) i--;
    this.pending.splice(i, 0, m);
    this.reviveOffers();
  }

  /** Wakes idle cores, as many as there are pending tasks. */
  reviveOffers(): void {
    let waiting = 0;
    for (const m of this.pending) waiting += m.set.tasks.length - m.next;
    while (waiting-- > 0 && this.idle.length > 0) this.idle.shift()!.wake();
  }

  /**
   * A core asks for work: the next pending task as a serialized TaskDescription, or undefined (the core
   * is then idle until revived).
   */
  resourceOffer(core: ExecutorCore): Uint8Array | undefined {
    while (this.pending.length > 0) {
      const m = this.pending[0];
      if (m.next < m.set.tasks.length) {
        const task = m.set.tasks[m.next++];
        this.tasksLaunched++;
        return this.codec.encodeDescription({
          taskId: task.taskId,
          attemptNumber: 0,
          executorId: core.executorId,
          name: task.label,
          stageId: task.stageId,
          partitionId: task.partition,
          batchTime: task.batchTime,
        });
      }
      this.pending.shift();
    }
    if (!this.idle.includes(core)) this.idle.push(core);
    return undefined;
  }

  /** The task a decoded TaskDescription names (what the executor deserializes the closure into). */
  launchedTask(taskId: number): Task {
    const entry = this.tasks.get(taskId);
    if (entry === undefined) throw new Error(`no task ${taskId} was launched`);
    return entry.task;
  }

  /**
   * A task attempt failed on an executor: it goes back to the front of its priority, to run again on the
   * next free core (the caller has checked it may: {@link TaskFailures}).
   */
  resubmit(task: Task): void {
    const entry = this.tasks.get(task.taskId);
    if (entry === undefined) throw new Error(`no task ${task.taskId} was launched`);
    const m: TaskSetManager = { set: { ...entry.set, tasks: [task] }, next: 0 };
    let i = 0;
    while (i < this.pending.length && compare(this.pending[i].set, m.set) < 0) i++;
    this.pending.splice(i, 0, m);
    this.reviveOffers();
  }

  /** An executor reports a finished task with its serialized result. */
  statusUpdate(serializedResult: Uint8Array): void {
    const result = this.codec.decodeResult(serializedResult);
    const entry = this.tasks.get(result.taskId);
    if (entry === undefined) return; // a receiver, launched outside the scheduler
    this.tasks.delete(result.taskId);
    entry.set.onTaskEnd(entry.task, result);
  }

  /** Tasks submitted and not yet launched. */
  get pendingTasks(): number {
    let n = 0;
    for (const m of this.pending) n += m.set.tasks.length - m.next;
    return n;
  }
}

function compare(a: TaskSet, b: TaskSet): number {
  return a.priority - b.priority || a.stageId - b.stageId;
}
