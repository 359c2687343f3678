/**
 * Storm 2's `BackPressureTracker`: when a tuple from another worker finds its target's queue full, it goes
 * to the overflow and the task is flagged; the flag is broadcast to every worker (a `BackPressureStatus`),
 * whose executors then keep tuples for that task in their pendingEmits. Every
 * `topology.backpressure.check.millis` the flags of tasks whose overflow has drained are cleared and the
 * clearance broadcast.
 */
import type { TimerService } from '../../../runtime/index.js';
import type { Worker } from './worker.js';

export class BackPressureTracker {
  private readonly flagged: number[] = [];
  private armed = false;
  private timers: TimerService | undefined;
  private intervalMs = 50;
  /** Times a task was flagged. */
  flags = 0;

  constructor(private readonly worker: Worker) {}

  /** Binds the timers of the worker's receive task and the check interval (ms). */
  bind(timers: TimerService, intervalMs: number): void {
    this.timers = timers;
    this.intervalMs = intervalMs;
  }

  /** A tuple for local `task` went to its overflow. */
  recordBackPressure(task: number): void {
    if (this.flagged.includes(task)) return;
    this.flagged.push(task);
    this.flags++;
    this.worker.announceBackPressure(task, true);
    this.arm();
  }

  /** Tasks currently flagged. */
  get backpressuredTasks(): readonly number[] {
    return this.flagged;
  }

  private arm(): void {
    if (this.armed || this.timers === undefined) return;
    this.armed = true;
    this.timers.register(this.timers.now() + this.intervalMs, this.refresh);
  }

  /** refreshBpTaskList: clear the tasks whose overflow is empty. */
  private readonly refresh = (): void => {
    this.armed = false;
    const still: number[] = [];
    for (const task of this.flagged) {
      const q = this.worker.localQueues[task];
      if (q !== null && q.overflowSize > 0) {
        still.push(task);
        continue;
      }
      this.worker.announceBackPressure(task, false);
    }
    this.flagged.length = 0;
    this.flagged.push(...still);
    if (still.length > 0) this.arm();
  };
}
