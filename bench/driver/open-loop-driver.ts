/**
 * The open-loop load generator. Event k is scheduled at `t0 + k / rate` and stamped with that intended
 * time; when the generator falls behind it catches up and never drops, so its lag shows up as latency
 * (no coordinated omission). With `rate: 'max'` it keeps a bounded backlog ahead of the engine and stamps
 * events with their append time: the engine consumes as fast as it can.
 */
import type { Cancellable, Clock } from '../../engines/api/index.js';
import { LatencyHistogram } from '../../engines/runtime/index.js';
import type { EventLog } from './event-log.js';
import type { EventSource } from './event-source.js';

export interface LoadPlan {
  /** Events per second, or 'max' for unthrottled. */
  readonly rate: number | 'max';
  /** Generate for warmup + duration (ms); undefined = until `events` are sent. */
  readonly durationMs?: number;
  /** Send at most this many events; undefined = until the duration ends (or the source's total). */
  readonly events?: number;
  /** The first part of the run (ms) that is not measured. */
  readonly warmupMs: number;
}

/** Most events appended in one turn before yielding to the engine, so a late generator cannot starve it. */
const MAX_BATCH = 8192;
/**
 * A driver that ends a count or a file more than this far behind its schedule (ms, or this fraction of the
 * schedule's span if more) was too slow for the rate: the engine was not offered it.
 */
const DRIVER_BOUND_LAG_MS = 100;
const DRIVER_BOUND_LAG_FRACTION = 0.1;
/**
 * At rate max, how many unread events the generator keeps in the log at first. A consumer that leaves a full
 * log unread for a whole GROWTH_CHECK_MS (a micro-batch engine between batch boundaries) doubles it, up to
 * MAX_AHEAD_CAP: unthrottled must mean that a whole batch interval's worth of input is there to take. A
 * per-event consumer reads continuously and keeps the small look-ahead (a big one only costs it GC time).
 */
export const INITIAL_AHEAD = 32768;
export const MAX_AHEAD_CAP = 1 << 20;
export const GROWTH_CHECK_MS = 100;

export class OpenLoopDriver {
  /** Actual append time minus intended time, per event (ms). */
  readonly sendLag = new LatencyHistogram();
  /** When event 0 was scheduled (ms since epoch); NaN before start. */
  t0 = Number.NaN;
  /** Events appended so far. */
  produced = 0;
  /**
   * Paced: true once the driver ended without keeping to its schedule. Either the duration ran out with
   * events still due (they are never sent: a run ends at its duration whatever the rate), or the last event
   * of a count or a file went out far behind its time. The trial then measured the driver, not the engine.
   */
  driverBound = false;
  private endTime = Infinity;
  private limit = Infinity;
  private finished = false;
  private timer: Cancellable | undefined;
  /** At rate max: the backlog the generator keeps (events). */
  ahead = INITIAL_AHEAD;
  private growthCheck: Cancellable | undefined;
  private consumedAtCheck = 0;
  private readonly finishListeners: (() => void)[] = [];
  private resolveDone!: () => void;
  /** Resolves when the last event has been appended and the log closed. */
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(
    private readonly log: EventLog,
    private readonly source: EventSource,
    private readonly clock: Clock,
    readonly plan: LoadPlan,
  ) {
    if (plan.rate !== 'max' && !(plan.rate > 0)) throw new RangeError('rate must be positive');
    if (plan.durationMs === undefined && plan.events === undefined && source.total === undefined) {
      throw new RangeError('an unbounded source needs a duration or an event count');
    }
  }

  /** The boundary between warm-up and measurement, in intended time (ms since epoch). */
  get measureFrom(): number {
    return this.t0 + this.plan.warmupMs;
  }

  /** Paced: the interval between two events' intended send times (ms); NaN at rate max. */
  get periodMs(): number {
    return this.plan.rate === 'max' ? Number.NaN : 1000 / this.plan.rate;
  }

  /** Paced: the index of the first event whose intended send time is at or after `time` (ms since epoch). */
  indexAt(time: number): number {
    if (!Number.isFinite(time)) return time > 0 ? Infinity : 0;
    const period = this.periodMs;
    // The schedule's own arithmetic decides, not the division: at a high rate t0 + k * period rounds, and
    // many indexes share one time. Bracket the estimate, then bisect: at(lo) is false (or lo is -1).
    const at = (k: number) => this.t0 + k * period >= time;
    let hi = Math.max(0, Math.ceil((time - this.t0) / period));
    for (let step = 1; !at(hi); step *= 2) hi += step;
    let lo = hi - 1;
    for (let step = 1; lo >= 0 && at(lo); step *= 2) {
      hi = lo;
      lo -= step;
    }
    lo = Math.max(lo, -1);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (at(mid)) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /**
   * Paced: the events of the measurement window by schedule, indexes [first, end): those due from the end of
   * warm-up to the end of the duration, or to the last event of a count or a file.
   */
  measuredIndexes(): { first: number; end: number } {
    const end = this.offered;
    return { first: Math.min(this.indexAt(this.measureFrom), end), end };
  }

  /** Paced: the events the schedule offers over the whole run, warm-up included (the count, or those due before the duration ends). */
  get offered(): number {
    return Math.min(this.limit, Number.isFinite(this.endTime) ? this.indexAt(this.endTime) : Infinity);
  }

  /** How many of the events with index in [from, to) the consumer has read at least once. */
  readAmong(from: number, to: number): number {
    const partitions = this.log.partitions;
    let n = 0;
    for (let p = 0; p < partitions; p++) {
      // Event k is offset floor(k / partitions) of partition k % partitions.
      const lo = Math.max(0, Math.ceil((from - p) / partitions));
      const hi = Math.ceil((to - p) / partitions);
      n += Math.max(0, Math.min(this.log.readEnd(p), hi) - lo);
    }
    return n;
  }

  /** Calls `listener` as soon as the driver stops sending (synchronously, before {@link done} resolves). */
  onFinish(listener: () => void): void {
    this.finishListeners.push(listener);
  }

  start(): void {
    this.t0 = this.clock.now();
    if (this.plan.durationMs !== undefined) this.endTime = this.t0 + this.plan.warmupMs + this.plan.durationMs;
    this.limit = Math.min(this.plan.events ?? Infinity, this.source.total ?? Infinity);
    if (this.plan.rate === 'max') {
      if (Number.isFinite(this.endTime)) this.timer = this.clock.schedule(this.endTime, () => this.finish());
      this.growthCheck = this.clock.schedule(this.t0 + GROWTH_CHECK_MS, this.checkGrowth);
      this.tickMax();
    } else {
      this.tickPaced();
    }
  }

  /** Stops generating now and closes the log (the input becomes bounded). */
  stop(): void {
    this.finish();
  }

  private readonly tickPaced = (): void => {
    if (this.finished) return;
    const periodMs = 1000 / (this.plan.rate as number);
    const now = this.clock.now();
    const due = Math.min(this.limit, Math.floor((now - this.t0) / periodMs) + 1);
    const batchEnd = Math.min(due, this.produced + MAX_BATCH);
    const partitions = this.log.partitions;
    let k = this.produced;
    for (; k < batchEnd; k++) {
      const intended = this.t0 + k * periodMs;
      if (intended >= this.endTime) break;
      this.log.append(k % partitions, this.source.eventAt(k, intended), intended);
      this.sendLag.record(now - intended);
    }
    this.produced = k;
    this.log.publish();
    const nextIntended = this.t0 + k * periodMs;
    if (k >= this.limit || nextIntended >= this.endTime) {
      const lag = now - (this.t0 + (k - 1) * periodMs);
      this.driverBound = lag > Math.max(DRIVER_BOUND_LAG_MS, DRIVER_BOUND_LAG_FRACTION * k * periodMs);
      this.finish();
    } else if (this.clock.now() >= this.endTime) {
      // The duration is over (this turn's sending included) and events are still due: they are never sent.
      this.driverBound = true;
      this.finish();
    } else if (k < due) this.clock.defer(this.tickPaced);
    else this.timer = this.clock.schedule(nextIntended, this.tickPaced);
  };

  private readonly tickMax = (): void => {
    if (this.finished) return;
    const now = this.clock.now();
    if (now >= this.endTime) {
      this.finish();
      return;
    }
    const n = Math.min(this.ahead - this.log.backlog, this.limit - this.produced, MAX_BATCH);
    const partitions = this.log.partitions;
    const end = this.produced + n;
    for (let k = this.produced; k < end; k++) this.log.append(k % partitions, this.source.eventAt(k, now), now);
    if (n > 0) this.sendLag.recordMany(0, n);
    this.produced = end;
    this.log.publish();
    if (end >= this.limit) this.finish();
    else if (this.log.backlog < this.ahead)
      this.clock.defer(this.tickMax); // still filling up to `ahead`
    else this.log.onBacklogAtMost(this.ahead / 2, this.tickMax);
  };

  private readonly checkGrowth = (): void => {
    if (this.finished) return;
    const consumed = this.log.consumedCount;
    if (consumed === this.consumedAtCheck && this.log.backlog >= this.ahead && this.ahead < MAX_AHEAD_CAP) {
      this.ahead = Math.min(this.ahead * 2, MAX_AHEAD_CAP);
      this.clock.defer(this.tickMax);
    }
    this.consumedAtCheck = consumed;
    this.growthCheck = this.clock.schedule(this.clock.now() + GROWTH_CHECK_MS, this.checkGrowth);
  };

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.timer?.cancel();
    this.growthCheck?.cancel();
    for (const listener of this.finishListeners) listener(); // before close() wakes the readers
    this.log.close();
    this.resolveDone();
  }
}
