/**
 * A virtual clock for code that spends time as it works (a driver making events): time moves only when the
 * test spends it (`spend`) or when nothing is left to run and the next timer is due. `run(steps)` runs one
 * callback per step in the event loop's order: a due timer first, else one deferred callback, else the
 * clock jumps to the next timer. Bounded steps make code that never stops fail the test, not hang it.
 */
import type { Cancellable, Clock } from '../../engines/api/index.js';

export class StepClock implements Clock {
  private t: number;
  private readonly timers: { at: number; callback: () => void }[] = [];
  private readonly deferred: (() => void)[] = [];

  constructor(startMs = 0) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  schedule(at: number, callback: () => void): Cancellable {
    const timer = { at, callback };
    this.timers.push(timer);
    return {
      cancel: () => {
        const i = this.timers.indexOf(timer);
        if (i >= 0) this.timers.splice(i, 1);
      },
    };
  }

  defer(callback: () => void): void {
    this.deferred.push(callback);
  }

  /** Work that takes `ms` of virtual time. */
  spend(ms: number): void {
    this.t += ms;
  }

  /** Runs up to `steps` callbacks; returns how many ran (fewer when nothing was left). */
  run(steps: number): number {
    for (let i = 0; i < steps; i++) {
      this.timers.sort((a, b) => a.at - b.at);
      const due = this.timers.length > 0 && this.timers[0].at <= this.t;
      const next = due ? undefined : this.deferred.shift();
      if (next) {
        next();
        continue;
      }
      const timer = this.timers.shift();
      if (!timer) return i;
      this.t = Math.max(this.t, timer.at);
      timer.callback();
    }
    return steps;
  }
}
