/**
 * The cooperative task scheduler every engine runs its tasks on.
 *
 * Everything runs on one Node thread, so an engine's "threads" (Flink task threads, Storm executors,
 * Spark executor slots) are tasks here: resumable state machines that process at most `budget` records
 * per call and return, rather than async functions (an `await` per record would cost a microtask each).
 *
 * - The run queue is FIFO and round robin; every run gets the same budget (`quantum`), which makes the
 *   scheduler fair between tasks and keeps the comparison between engines about their architectures.
 * - `'yield'` puts a task at the back of the queue; `'park'` takes it off until its handle's `wake()` is
 *   called (by a channel, a mailbox, the event log, a timer); `'done'` retires it.
 * - Tasks run for at most `sliceMs` of clock time, then the scheduler yields to the host with
 *   `clock.defer`, so that timers and I/O (and the load driver) get their turn.
 * - With nothing runnable the scheduler goes quiet: no busy loop, no timer. The next `wake()` restarts it
 *   through `clock.defer`.
 */
import type { Clock } from '../api/clock.js';
import { RingQueue } from './ring-queue.js';

/** What a run reports: `'yield'` = more to do, `'park'` = waiting for a wake, `'done'` = finished for good. */
export type TaskResult = 'yield' | 'park' | 'done';

/** A task body: a resumable state machine. */
export interface Runnable {
  /** Processes at most `budget` units (records), then returns. Must not block or await. */
  run(budget: number): TaskResult;
}

export type TaskState = 'runnable' | 'running' | 'parked' | 'done';

export interface TaskHandle {
  readonly name: string;
  readonly state: TaskState;
  /**
   * Makes a parked task runnable. Safe to pass around unbound (it is an arrow property); idempotent;
   * a no-op on a runnable or done task and after the scheduler stopped. Called while the task itself is
   * running, it makes a following `'park'` return requeue the task at once, so no wake is ever lost.
   */
  readonly wake: () => void;
}

export interface SchedulerOptions {
  clock: Clock;
  /** Budget passed to each `run`, in records (default 512). */
  quantum?: number;
  /** Clock time (ms) to run tasks before yielding to the host via `clock.defer` (default 5). */
  sliceMs?: number;
}

export interface TaskStats {
  name: string;
  /** Number of `run` calls. */
  runs: number;
  /** Number of times the task parked and actually went to sleep (not counting parks undone by a wake during the run). */
  parks: number;
  /** Clock time (ms) spent inside `run`, measured around each run (never per record). */
  busyMs: number;
  state: TaskState;
}

export interface SchedulerStats {
  tasks: TaskStats[];
  /** Number of slices: host turns in which the scheduler ran tasks. */
  slices: number;
}

export const DEFAULT_QUANTUM = 512;
export const DEFAULT_SLICE_MS = 5;

class Task implements TaskHandle {
  state: TaskState = 'runnable';
  /** Set when `wake()` is called while the task runs: a following park must not sleep. */
  wokenWhileRunning = false;
  runs = 0;
  parks = 0;
  busyMs = 0;

  constructor(
    readonly name: string,
    readonly body: Runnable,
    private readonly onWake: (task: Task) => void,
  ) {}

  readonly wake = (): void => {
    if (this.state === 'parked') this.onWake(this);
    else if (this.state === 'running') this.wokenWhileRunning = true;
    // runnable: already queued; done: nothing to do
  };
}

export class Scheduler {
  private readonly clock: Clock;
  private readonly quantum: number;
  private readonly sliceMs: number;
  private readonly queue = new RingQueue<Task>();
  private readonly tasks: Task[] = [];
  /** Spawned tasks that have not returned 'done'. */
  private live = 0;
  /** A slice is queued with clock.defer. */
  private sliceRequested = false;
  /** Inside runSlice: wakes only enqueue, the running loop picks them up. */
  private inSlice = false;
  private stopped = false;
  private failure: Error | undefined;
  private slices = 0;
  private waiter: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private waiterPromise: Promise<void> | undefined;

  constructor(opts: SchedulerOptions) {
    this.clock = opts.clock;
    this.quantum = opts.quantum ?? DEFAULT_QUANTUM;
    this.sliceMs = opts.sliceMs ?? DEFAULT_SLICE_MS;
    if (!Number.isInteger(this.quantum) || this.quantum < 1)
      throw new RangeError(`scheduler quantum must be a positive whole number of records, got ${this.quantum}`);
    if (!(this.sliceMs >= 0) || !Number.isFinite(this.sliceMs))
      throw new RangeError(`scheduler sliceMs must be >= 0 ms, got ${this.sliceMs}`);
  }

  /** Adds a task, runnable at once (it first runs in a later host turn, never inside `spawn`). */
  spawn(name: string, task: Runnable): TaskHandle {
    if (this.failure) throw new Error(`scheduler has failed; cannot spawn task ${name}`, { cause: this.failure });
    if (this.stopped) throw new Error(`scheduler is stopped; cannot spawn task ${name}`);
    const t = new Task(name, task, this.onWake);
    this.tasks.push(t);
    this.live++;
    this.queue.push(t);
    this.requestSlice();
    return t;
  }

  /**
   * Resolves when every spawned task has returned 'done' (at once if none is live), or when `stop()` is
   * called; rejects with the first error a task threw (after which nothing runs any more).
   */
  done(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.stopped || this.live === 0) return Promise.resolve();
    if (!this.waiterPromise) {
      this.waiterPromise = new Promise<void>((resolve, reject) => {
        this.waiter = { resolve, reject };
      });
    }
    return this.waiterPromise;
  }

  /** No task runs again (a running task finishes its current run); `done()` resolves. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue.clear();
    this.settle(undefined);
  }

  /** The error that failed the scheduler (wrapping the task's error as `cause`), if any. */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Number of tasks that have not returned 'done'. */
  get liveTasks(): number {
    return this.live;
  }

  stats(): SchedulerStats {
    return {
      tasks: this.tasks.map((t) => ({ name: t.name, runs: t.runs, parks: t.parks, busyMs: t.busyMs, state: t.state })),
      slices: this.slices,
    };
  }

  private readonly onWake = (task: Task): void => {
    if (this.stopped) return; // after stop (or failure) nothing becomes runnable again
    task.state = 'runnable';
    this.queue.push(task);
    this.requestSlice();
  };

  private requestSlice(): void {
    if (this.sliceRequested || this.inSlice || this.stopped) return;
    this.sliceRequested = true;
    this.clock.defer(this.runSlice);
  }

  // An arrow property so that clock.defer gets the same function every time (no bind per slice).
  private readonly runSlice = (): void => {
    this.sliceRequested = false;
    if (this.stopped || this.queue.size === 0) return;
    this.slices++;
    this.inSlice = true;
    const clock = this.clock;
    const queue = this.queue;
    const quantum = this.quantum;
    // One clock read per run: the end of one run is the start of the next, so busyMs also carries the
    // scheduler's own few-ns bookkeeping between runs.
    let t0 = clock.now();
    const deadline = t0 + this.sliceMs;
    try {
      while (queue.size > 0) {
        const task = queue.shift() as Task;
        task.state = 'running';
        task.wokenWhileRunning = false;
        let result: TaskResult;
        try {
          result = task.body.run(quantum);
        } catch (err) {
          task.runs++;
          task.busyMs += clock.now() - t0;
          this.fail(task, err);
          return;
        }
        const t1 = clock.now();
        task.runs++;
        task.busyMs += t1 - t0;
        t0 = t1;
        if (result === 'yield') {
          task.state = 'runnable';
          queue.push(task);
        } else if (result === 'park') {
          if (task.wokenWhileRunning) {
            task.state = 'runnable';
            queue.push(task);
          } else {
            task.state = 'parked';
            task.parks++;
          }
        } else if (result === 'done') {
          task.state = 'done';
          if (--this.live === 0) this.settle(undefined);
        } else {
          this.fail(task, new TypeError(`run() returned ${String(result)}; expected 'yield', 'park' or 'done'`));
          return;
        }
        if (this.stopped) return;
        if (t1 >= deadline && queue.size > 0) {
          // Yield to the host so timers and I/O run; continue in the next turn.
          this.inSlice = false;
          this.requestSlice();
          return;
        }
      }
    } finally {
      this.inSlice = false;
    }
  };

  private fail(task: Task, err: unknown): void {
    task.state = 'done';
    const message = err instanceof Error ? err.message : String(err);
    this.failure = new Error(`task ${task.name} failed: ${message}`, { cause: err });
    this.stopped = true;
    this.queue.clear();
    this.settle(this.failure);
  }

  private settle(error: Error | undefined): void {
    const w = this.waiter;
    this.waiter = undefined;
    this.waiterPromise = undefined;
    if (!w) return;
    if (error) w.reject(error);
    else w.resolve();
  }
}
