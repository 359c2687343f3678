/**
 * Processing-time timers of one task, as Flink's ProcessingTimeService: a due timer does not run from the
 * clock's callback but is put into the task's {@link Mailbox}, so it runs in the task's own turn,
 * serialized with the task's records and other mail. Operator code therefore never sees a timer fire in
 * the middle of processing a record.
 */
import type { Cancellable, Clock } from '../api/clock.js';
import type { Mailbox } from './mailbox.js';

/** Receives the time (ms) the timer was scheduled for, not the (later) time it runs. */
export type TimerCallback = (timestampMs: number) => void;

/** A fixed-rate timer; `missedTicks` counts ticks skipped because the task ran late. */
export interface PeriodicTimer extends Cancellable {
  readonly intervalMs: number;
  /** Time (ms) of the next tick. */
  readonly nextAtMs: number;
  readonly missedTicks: number;
}

interface Owner {
  readonly clock: Clock;
  readonly mailbox: Mailbox;
  readonly live: Set<Cancellable>;
}

const SCHEDULED = 0;
const QUEUED = 1; // in the mailbox, waiting for the task's turn
const FINISHED = 2; // fired or cancelled

/** A one-shot timer. One closure (`step`) serves as both the clock callback and the mailbox action. */
class OneShotTimer implements Cancellable {
  private phase = SCHEDULED;
  private handle: Cancellable | undefined;

  constructor(
    private readonly owner: Owner,
    private readonly atMs: number,
    private callback: TimerCallback | undefined,
  ) {
    owner.live.add(this);
    this.handle = owner.clock.schedule(atMs, this.step);
  }

  cancel(): void {
    if (this.phase === FINISHED) return;
    this.phase = FINISHED;
    this.callback = undefined;
    this.handle?.cancel();
    this.handle = undefined;
    this.owner.live.delete(this);
  }

  private readonly step = (): void => {
    if (this.phase === SCHEDULED) {
      this.phase = QUEUED;
      this.handle = undefined;
      this.owner.mailbox.put(this.step);
    } else if (this.phase === QUEUED) {
      // Cancelled between the clock firing and the task's turn: phase is FINISHED and we never get here.
      const cb = this.callback as TimerCallback;
      this.phase = FINISHED;
      this.callback = undefined;
      this.owner.live.delete(this);
      cb(this.atMs);
    }
  };
}

/**
 * Fixed-rate ticks at `firstAtMs + n * intervalMs`. The next tick is scheduled when a tick runs in the
 * task, as the first tick time strictly after the clock's now: a task that fell behind gets one tick,
 * not a burst of the missed ones (they are counted in `missedTicks`).
 */
class FixedRateTimer implements PeriodicTimer {
  private phase = SCHEDULED;
  private handle: Cancellable | undefined;
  private tick = 0;
  missedTicks = 0;

  constructor(
    private readonly owner: Owner,
    readonly intervalMs: number,
    private readonly firstAtMs: number,
    private readonly callback: TimerCallback,
  ) {
    owner.live.add(this);
    this.handle = owner.clock.schedule(firstAtMs, this.step);
  }

  get nextAtMs(): number {
    // Computed from the start, not accumulated, so fractional intervals do not drift.
    return this.firstAtMs + this.tick * this.intervalMs;
  }

  cancel(): void {
    if (this.phase === FINISHED) return;
    this.phase = FINISHED;
    this.handle?.cancel();
    this.handle = undefined;
    this.owner.live.delete(this);
  }

  private readonly step = (): void => {
    if (this.phase === SCHEDULED) {
      this.phase = QUEUED;
      this.handle = undefined;
      this.owner.mailbox.put(this.step);
    } else if (this.phase === QUEUED) {
      const scheduled = this.nextAtMs;
      const now = this.owner.clock.now();
      this.tick++;
      const late = now - this.nextAtMs;
      if (late >= 0) {
        const skip = Math.floor(late / this.intervalMs) + 1;
        this.tick += skip;
        this.missedTicks += skip;
      }
      // Scheduled before the callback runs, so the callback may cancel this timer.
      this.phase = SCHEDULED;
      this.handle = this.owner.clock.schedule(this.nextAtMs, this.step);
      this.callback(scheduled);
    }
  };
}

export class TimerService implements Owner {
  /** Timers neither fired nor cancelled (a periodic timer stays here until cancelled). */
  readonly live = new Set<Cancellable>();
  private shut = false;

  /**
   * @param clock where time is read and timers are scheduled
   * @param mailbox the owning task's mailbox: due callbacks are put there
   */
  constructor(
    readonly clock: Clock,
    readonly mailbox: Mailbox,
  ) {}

  /** The clock's current time (ms since epoch). */
  now(): number {
    return this.clock.now();
  }

  /**
   * Calls `callback(atMs)` in the task's turn once the clock reaches `atMs` (ms). A timer cancelled even
   * after its time came, but before the task ran it, never runs. After {@link shutdown} this does nothing
   * and returns an inert handle (as Flink's quiesced timer service).
   */
  register(atMs: number, callback: TimerCallback): Cancellable {
    if (this.shut) return INERT;
    return new OneShotTimer(this, atMs, callback);
  }

  /**
   * Calls `callback(tickMs)` in the task's turn every `intervalMs` (ms), fixed rate: ticks are at
   * `firstAtMs + n * intervalMs` (first tick default: now + interval); missed ticks are skipped, not burst.
   */
  periodic(intervalMs: number, callback: TimerCallback, firstAtMs = this.clock.now() + intervalMs): PeriodicTimer {
    if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) throw new RangeError(`timer interval must be > 0 ms, got ${intervalMs}`);
    if (this.shut) return { intervalMs, nextAtMs: Infinity, missedTicks: 0, cancel() {} };
    return new FixedRateTimer(this, intervalMs, firstAtMs, callback);
  }

  /** Number of timers neither fired nor cancelled. */
  get pending(): number {
    return this.live.size;
  }

  /** Cancels every timer and refuses new ones: a finished task leaves no timer behind. */
  shutdown(): void {
    this.shut = true;
    for (const t of [...this.live]) t.cancel();
  }
}

const INERT: Cancellable = { cancel() {} };
