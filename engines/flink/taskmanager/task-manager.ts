/**
 * A TaskManager (Flink's `TaskExecutor`): it offers slots and runs the tasks deployed into them. Here every
 * task becomes one task of the job's shared cooperative scheduler, as a Flink task gets one thread; the
 * TaskManager boundary matters to the network (channels between TaskManagers are remote).
 */
import type { Scheduler } from '../../runtime/index.js';
import { MultipleInputStreamTask } from './multiple-input-stream-task.js';
import { SourceStreamTask } from './source-stream-task.js';
import type { StreamTask, TaskEnvironment } from './stream-task.js';
import { TaskSlot } from './task-slot.js';

export class TaskManager {
  readonly slots: TaskSlot[] = [];

  constructor(
    readonly id: number,
    private readonly scheduler: Scheduler,
  ) {}

  /** Adds an offered slot (global number `slot`) serving `group`. */
  offerSlot(slot: number, group: string): TaskSlot {
    const s = new TaskSlot(slot, this.slots.length, group);
    this.slots.push(s);
    return s;
  }

  /** `TaskExecutor.submitTask`: creates the task in its slot and starts it. */
  submitTask(env: TaskEnvironment): StreamTask {
    const slot = this.slots.find((s) => s.slot === env.slot);
    if (slot === undefined) throw new Error(`TaskManager ${this.id + 1} has no slot ${env.slot}`);
    const isSource = env.executionVertex.jobVertex.inputs.length === 0;
    const task = isSource ? new SourceStreamTask(env) : new MultipleInputStreamTask(env);
    slot.tasks.push(task);
    const handle = this.scheduler.spawn(task.name, task);
    task.attach(handle);
    return task;
  }
}
