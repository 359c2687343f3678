/**
 * One clock across processes. `process.hrtime` reads CLOCK_MONOTONIC, which every process on a Linux
 * machine shares; each process's `performance.timeOrigin`, in contrast, is a wall-clock reading taken at
 * its own start, so two processes' `performance.now()`-based epochs disagree by whatever that reading's
 * error was. The driver converts the monotonic clock to the run's epoch once (the offset between its own
 * clock and hrtime) and hands the offset to every process it starts; each stamps with
 * `hrtime + offset`, so a timestamp taken in one process can be subtracted from one taken in another.
 */
import { SystemClock } from '../clocks.js';

/** CLOCK_MONOTONIC in ms (fractional). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * The offset (ms) that turns this process's monotonic time into the epoch of `clock`: read both back to
 * back, three times, keeping the pair read closest together.
 */
export function epochOffsetOf(clock: { now(): number }): number {
  let best = Number.NaN;
  let bestSpan = Infinity;
  for (let i = 0; i < 3; i++) {
    const before = monotonicMs();
    const epoch = clock.now();
    const after = monotonicMs();
    if (after - before < bestSpan) {
      bestSpan = after - before;
      best = epoch - (before + after) / 2;
    }
  }
  return best;
}

/** A SystemClock (same timers) that reads `hrtime + offset`: the run's epoch, in any process. */
export class ClusterClock extends SystemClock {
  /** @param epochOffsetMs from {@link epochOffsetOf} in the driver process */
  constructor(readonly epochOffsetMs: number) {
    super();
    if (!Number.isFinite(epochOffsetMs)) throw new RangeError(`epoch offset must be finite, got ${epochOffsetMs}`);
  }

  override now(): number {
    return Number(process.hrtime.bigint()) / 1e6 + this.epochOffsetMs;
  }
}
