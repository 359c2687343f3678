/**
 * The bounded input verify runs: events 0..n-1 of a workload's seeded generator, event k scheduled at a
 * fixed epoch plus k / rate. Nothing depends on the wall clock, so every engine (and every machine) gets
 * the same values and the same log timestamps.
 */
import type { OptionValues } from '../../engines/api/index.js';
import type { Workload } from '../../workloads/index.js';

/** 2026-01-01T00:00:00Z: aligned to every window size that divides a day. */
export const VERIFY_EPOCH_MS = Date.UTC(2026, 0, 1);
/** Nominal rate (events/s): 20 000 events span 20 s of event time, two 10 s windows and more. */
export const VERIFY_RATE = 1000;

export interface BoundedInput {
  readonly values: readonly unknown[];
  /** Log timestamp (intended send time, ms since epoch) of each event. */
  readonly timestamps: readonly number[];
}

export function boundedInput(
  workload: Workload,
  values: OptionValues,
  seed: number,
  events: number,
  opts: { startMs?: number; ratePerSec?: number } = {},
): BoundedInput {
  const start = opts.startMs ?? VERIFY_EPOCH_MS;
  const period = 1000 / (opts.ratePerSec ?? VERIFY_RATE);
  const generator = workload.generator(values, seed);
  const out: unknown[] = new Array(events);
  const timestamps: number[] = new Array(events);
  for (let k = 0; k < events; k++) {
    const t = start + k * period;
    timestamps[k] = t;
    out[k] = generator.next(k, t);
  }
  return { values: out, timestamps };
}
