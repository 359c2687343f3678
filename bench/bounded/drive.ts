/**
 * How a bounded run's clock moves until the job drains:
 * - `real`: the system clock; the run fails after `timeoutMs` of real time;
 * - `next-timer`: a ManualClock; deferred work runs, then time jumps to the next timer, so a run of many
 *   batch intervals or message timeouts costs no waiting and is deterministic;
 * - `stepped`: a ManualClock advanced by `stepMs` at a time (input may arrive a few events per step), so
 *   that periodic work (watermarks, flushers, checkpoints) happens at fixed points of the input.
 */
import type { RunningJob } from '../../engines/api/index.js';
import type { ManualClock } from '../../engines/runtime/index.js';
import { describeTimeout, settleWithin } from '../timeout.js';

export type DriveStrategy =
  | { readonly kind: 'real'; readonly timeoutMs: number }
  | { readonly kind: 'next-timer'; readonly limitMs?: number }
  | { readonly kind: 'stepped'; readonly stepMs: number; readonly limitMs?: number };

/** Virtual time a virtual run may take before it counts as stuck (ms): 10 minutes. */
export const DEFAULT_VIRTUAL_LIMIT_MS = 10 * 60_000;

/** Lets promise callbacks and I/O callbacks queued so far run. */
export const flushMicrotasks = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `clock` until `done()`: the `next-timer` strategy. Returns the virtual time spent (ms).
 * @throws Error when nothing is runnable, no timer is pending and `done()` is still false, or past `limitMs`.
 */
export async function driveToNextTimers(clock: ManualClock, done: () => boolean, limitMs = DEFAULT_VIRTUAL_LIMIT_MS): Promise<number> {
  const t0 = clock.now();
  for (;;) {
    clock.runDeferred();
    await flushMicrotasks();
    if (done()) return clock.now() - t0;
    const next = clock.nextTimerAt;
    if (!Number.isFinite(next)) throw new Error('virtual run is stuck: nothing runnable, no timer pending, not drained');
    if (next - t0 > limitMs) throw new Error(`virtual run did not drain within ${describeTimeout(limitMs)} of virtual time`);
    clock.set(Math.max(clock.now(), next));
  }
}

/** Advances `clock` by `stepMs` until `done()`: the `stepped` strategy. Returns the virtual time spent (ms). */
export async function driveInSteps(
  clock: ManualClock,
  stepMs: number,
  done: () => boolean,
  limitMs = DEFAULT_VIRTUAL_LIMIT_MS,
): Promise<number> {
  const t0 = clock.now();
  for (;;) {
    clock.runDeferred();
    await flushMicrotasks();
    if (done()) return clock.now() - t0;
    if (clock.now() - t0 > limitMs) throw new Error(`stepped run did not drain within ${describeTimeout(limitMs)} of virtual time`);
    clock.advance(stepMs);
  }
}

/**
 * Waits until `job` drains under `strategy` (`clock` is the run's ManualClock for the virtual ones).
 * A real run that does not drain in time is stopped. A job's failure is thrown.
 */
export async function driveUntilDrained(
  job: RunningJob,
  strategy: DriveStrategy,
  clock: ManualClock | undefined,
  events: number,
): Promise<void> {
  if (strategy.kind === 'real') {
    if (!(await settleWithin(job.drained(), strategy.timeoutMs))) {
      await job.stop();
      throw new Error(`did not finish within ${describeTimeout(strategy.timeoutMs)} (${events} events)`);
    }
    return;
  }
  if (clock === undefined) throw new Error(`a ${strategy.kind} run needs a ManualClock`);
  let drained = false;
  let failure: unknown;
  job.drained().then(
    () => (drained = true),
    (e: unknown) => (failure = e ?? new Error('job failed')),
  );
  const done = () => drained || failure !== undefined;
  if (strategy.kind === 'next-timer') await driveToNextTimers(clock, done, strategy.limitMs);
  else await driveInSteps(clock, strategy.stepMs, done, strategy.limitMs);
  if (failure !== undefined) throw failure;
}
