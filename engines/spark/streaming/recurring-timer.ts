/**
 * Spark's RecurringTimer: calls back at `start + n * period` through the clock. A tick that comes late
 * (the thread was busy) still fires, followed at once by any other missed ticks, so no batch or block
 * time is ever skipped.
 */
import type { Cancellable, Clock } from '../../api/index.js';

export class RecurringTimer {
  private nextTime = Number.NaN;
  private handle: Cancellable | undefined;
  private stopped = false;

  /** @param period ms between ticks; `callback(time)` receives the tick's scheduled time */
  constructor(
    private readonly clock: Clock,
    readonly period: number,
    private readonly callback: (time: number) => void,
  ) {
    if (!(period > 0)) throw new RangeError(`a RecurringTimer needs a period > 0 ms, got ${period}`);
  }

  /** The first tick time after `now`: the next multiple of the period (RecurringTimer.getStartTime). */
  static startTimeAfter(now: number, period: number): number {
    return (Math.floor(now / period) + 1) * period;
  }

  start(startTime: number): void {
    this.nextTime = startTime;
    this.handle = this.clock.schedule(startTime, this.fire);
  }

  /** No tick after this one (safe to call from the callback). */
  stop(): void {
    this.stopped = true;
    this.handle?.cancel();
    this.handle = undefined;
  }

  get nextTickTime(): number {
    return this.nextTime;
  }

  private readonly fire = (): void => {
    this.handle = undefined;
    const now = this.clock.now();
    while (!this.stopped && this.nextTime <= now) {
      const t = this.nextTime;
      this.nextTime += this.period;
      this.callback(t);
    }
    if (!this.stopped) this.handle = this.clock.schedule(this.nextTime, this.fire);
  };
}
