/**
 * The two {@link Clock}s engines run on: {@link SystemClock} (wall time, native timers) and
 * {@link ManualClock} (time moves only when a test or a virtual-time driver says so).
 *
 * Both keep their own timer heap. The system clock drives it with a single native `setTimeout` armed for
 * the earliest timer, so thousands of engine timers cost one libuv timer, and firing order for equal
 * times is the order of scheduling (the heap is stable).
 */
import type { Cancellable, Clock } from '../api/clock.js';
import { MinHeap } from './min-heap.js';
import { RingQueue } from './ring-queue.js';

const PENDING = 0;
const FIRED = 1;
const CANCELLED = 2;

/** One scheduled callback; the Cancellable handed back by `schedule`. */
class TimerEntry implements Cancellable {
  state = PENDING;
  constructor(
    private readonly queue: TimerQueue,
    readonly at: number,
    public callback: (() => void) | undefined,
  ) {}

  cancel(): void {
    if (this.state !== PENDING) return; // cancelling a fired or cancelled timer is harmless
    this.state = CANCELLED;
    this.callback = undefined;
    this.queue.onCancel();
  }
}

function isCancelled(e: TimerEntry): boolean {
  return e.state === CANCELLED;
}

/**
 * The timer bookkeeping both clocks share. Cancelled timers stay in the heap (removal from the middle of a
 * heap needs an index per entry) and are skipped when they reach the top; when they make up more than half
 * of a large heap they are purged in one O(n) pass, so frequent schedule/cancel cycles (buffer-timeout
 * flushers, session gaps) do not grow it without bound.
 */
class TimerQueue {
  private readonly heap = new MinHeap<TimerEntry>();
  /** Timers neither fired nor cancelled. */
  live = 0;
  private cancelledInHeap = 0;

  /** @param onIdle called when a cancel leaves no live timer (the system clock then disarms its native timer). */
  constructor(private readonly onIdle?: () => void) {}

  add(at: number, callback: () => void): TimerEntry {
    if (at !== at) throw new RangeError('timer time must not be NaN');
    if (typeof callback !== 'function') throw new TypeError('timer callback must be a function');
    const e = new TimerEntry(this, at, callback);
    this.heap.push(at, e);
    this.live++;
    return e;
  }

  onCancel(): void {
    this.live--;
    this.cancelledInHeap++;
    if (this.cancelledInHeap > 64 && this.cancelledInHeap * 2 > this.heap.size) {
      this.heap.removeWhere(isCancelled);
      this.cancelledInHeap = 0;
    }
    if (this.live === 0) this.onIdle?.();
  }

  /** Time (ms) of the earliest live timer, Infinity when none. */
  nextAt(): number {
    this.dropCancelledTop();
    return this.heap.peekKey();
  }

  /** Removes and returns the earliest live timer if it is due at `now`, marking it fired. */
  popDue(now: number): TimerEntry | undefined {
    this.dropCancelledTop();
    if (this.heap.peekKey() > now) return undefined;
    const e = this.heap.pop() as TimerEntry;
    e.state = FIRED;
    this.live--;
    return e;
  }

  private dropCancelledTop(): void {
    while (this.heap.size > 0 && (this.heap.peek() as TimerEntry).state === CANCELLED) {
      this.heap.pop();
      this.cancelledInHeap--;
    }
  }
}

function runEntry(e: TimerEntry): void {
  const cb = e.callback as () => void;
  e.callback = undefined; // a fired timer keeps nothing alive
  cb();
}

// setTimeout treats delays above 2^31 - 1 ms as 1 ms; longer waits are re-armed in steps.
const MAX_NATIVE_DELAY_MS = 2 ** 31 - 1;

/**
 * Wall-clock time from `performance` and native timers.
 *
 * - `now()` is `performance.timeOrigin + performance.now()`: ms since the epoch, fractional, monotonic
 *   (unlike `Date.now()`, it does not jump with NTP adjustments).
 * - `schedule(atMs, cb)` fires every due timer in time order (ties in scheduling order) from one native
 *   `setTimeout`, re-armed for the next earliest timer. A cancelled timer never fires. If a callback
 *   throws, the remaining due timers still fire and the first error is rethrown afterwards (an uncaught
 *   exception, as with a bare `setTimeout`).
 * - `defer(cb)` is `setImmediate`: it runs after the current I/O poll phase, so timers and I/O get their turn.
 *
 * The native timer is ref'd: a pending timer keeps the process alive, as a bare `setTimeout` would. Cancel
 * periodic timers when a job ends.
 */
export class SystemClock implements Clock {
  private readonly timers = new TimerQueue(() => this.disarm());
  private handle: ReturnType<typeof setTimeout> | undefined;
  /** The time (ms) the native timer is armed for; Infinity when disarmed. */
  private armedAt = Infinity;

  now(): number {
    return performance.timeOrigin + performance.now();
  }

  schedule(atMs: number, callback: () => void): Cancellable {
    const e = this.timers.add(atMs, callback);
    if (atMs < this.armedAt) this.arm(atMs);
    return e;
  }

  defer(callback: () => void): void {
    setImmediate(callback);
  }

  /** Number of timers neither fired nor cancelled. */
  get pendingTimers(): number {
    return this.timers.live;
  }

  private arm(atMs: number): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.armedAt = atMs;
    // Node rounds sub-ms delays up to 1 ms, so an early wake-up (libuv's ms clock) re-arms, never spins.
    const delay = Math.min(MAX_NATIVE_DELAY_MS, Math.max(0, Math.ceil(atMs - this.now())));
    this.handle = setTimeout(this.fire, delay);
  }

  private disarm(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = undefined;
    this.armedAt = Infinity;
  }

  // An arrow property: passed to setTimeout without a bind per arming.
  private readonly fire = (): void => {
    this.handle = undefined;
    this.armedAt = Infinity;
    // One read of the clock per firing: timers that come due while callbacks run wait for the re-armed
    // native timer. Timers a callback schedules at or before `now` fire in this pass, in time order (as
    // ManualClock does); a callback that keeps scheduling into the past would loop, which is its bug.
    const now = this.now();
    let failed = false;
    let error: unknown;
    for (;;) {
      const e = this.timers.popDue(now);
      if (e === undefined) break;
      try {
        runEntry(e);
      } catch (err) {
        if (!failed) {
          failed = true;
          error = err;
        }
      }
    }
    const next = this.timers.nextAt();
    if (next < this.armedAt) this.arm(next);
    if (failed) throw error;
  };
}

/** The process-wide system clock. */
export const systemClock: SystemClock = new SystemClock();

/**
 * A clock that moves only when told to: for tests, and for a future virtual-time (simulated cluster) mode.
 *
 * `set`/`advance` first run the deferred callbacks queued so far, then fire every timer due at the target
 * time in time order; while a timer fires, `now()` reads its scheduled time (never going backwards), and
 * the deferred callbacks it causes (e.g. a scheduler slice after a wake) run before the next timer fires,
 * as they would have in real time. Timers scheduled by a firing timer that are also due fire in the same
 * call. Then the clock reads the target time.
 *
 * A throwing timer or deferred callback propagates out of `set`/`advance`/`runDeferred`; the clock then
 * reads the time of that timer and whatever had not run yet stays queued.
 */
export class ManualClock implements Clock {
  private t: number;
  private readonly timers = new TimerQueue();
  private readonly deferred = new RingQueue<() => void>();

  /** @param startMs the initial time, ms (epoch or any origin the test likes). */
  constructor(startMs = 0) {
    if (!Number.isFinite(startMs)) throw new RangeError(`ManualClock start must be finite, got ${startMs}`);
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  /** Timers are due once the clock reaches `atMs`; one already due fires at the next `set`/`advance` (even `advance(0)`), never synchronously. */
  schedule(atMs: number, callback: () => void): Cancellable {
    return this.timers.add(atMs, callback);
  }

  /** Queues `callback` until `runDeferred`, `set` or `advance`. */
  defer(callback: () => void): void {
    this.deferred.push(callback);
  }

  /** Number of timers neither fired nor cancelled. */
  get pendingTimers(): number {
    return this.timers.live;
  }

  /** Number of queued deferred callbacks. */
  get pendingDeferred(): number {
    return this.deferred.size;
  }

  /** Time (ms) of the earliest pending timer, Infinity when none: where a virtual-time driver jumps next. */
  get nextTimerAt(): number {
    return this.timers.nextAt();
  }

  /** Moves time forward to `ms`, firing due timers and deferred callbacks (see the class comment). */
  set(ms: number): void {
    if (ms !== ms || ms < this.t) throw new RangeError(`ManualClock cannot go back from ${this.t} to ${ms}`);
    this.runDeferred();
    for (;;) {
      const e = this.timers.popDue(ms);
      if (e === undefined) break;
      if (e.at > this.t) this.t = e.at;
      runEntry(e);
      this.runDeferred();
    }
    // Work done by the callbacks may have elapsed past `ms`: time never goes back.
    if (ms > this.t) this.t = ms;
  }

  /** Moves time forward by `ms` (>= 0); `advance(0)` fires timers already due. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock cannot advance by ${ms} ms`);
    this.set(this.t + ms);
  }

  /**
   * Time passing inside a callback (work that costs virtual time, e.g. a test's slow sink): moves the clock
   * forward by `ms` without running anything, so that the scheduler's time slices end as they would after
   * that much CPU work; timers that fall due fire, late, at the next `set`/`advance`.
   */
  elapse(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock cannot elapse ${ms} ms`);
    this.t += ms;
  }

  /**
   * Runs queued deferred callbacks, including ones queued while running, until none remain; returns how
   * many ran. Throws after `limit` callbacks: time never moves here, so a task that yields forever
   * (instead of parking) would otherwise hang the test.
   */
  runDeferred(limit = 1_000_000): number {
    let ran = 0;
    while (this.deferred.size > 0) {
      if (ran >= limit)
        throw new Error(`ManualClock.runDeferred: more than ${limit} deferred callbacks; is a task yielding forever instead of parking?`);
      const cb = this.deferred.shift() as () => void;
      ran++;
      cb();
    }
    return ran;
  }
}
