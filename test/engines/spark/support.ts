/**
 * Test support for the spark engine, on the shared bounded-run harness (test/support/run-bounded.ts):
 * virtual time (ManualClock: batch and block timers fire in simulated time, tasks take none, so runs of
 * many batches are fast and deterministic) and the comparison with the reference engine.
 */
import { expect } from 'vitest';
import type { Dataflow, OptionValue } from '../../../engines/api/index.js';
import type { SparkEngineStats } from '../../../engines/spark/index.js';
import { sparkEngine } from '../../../engines/spark/index.js';
import { expectSameAsReference as expectSame, runBounded, VIRTUAL_START_MS, type BoundedRun } from '../../support/run-bounded.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { prng } from '../../support/prng.js';

export { prng };

type Values = Readonly<Record<string, OptionValue | undefined>>;

export interface VirtualRunOptions {
  parallelism?: number;
  values?: Values;
  /** Log timestamp of each event; default its index. */
  timestamps?: readonly number[];
  /** Virtual start time (ms). */
  startMs?: number;
  /** The clock to run on (a test whose operators spend virtual time needs it); default a new one at startMs. */
  clock?: ManualClock;
}

export interface VirtualRun extends BoundedRun<SparkEngineStats> {
  /** Sink name -> virtual time (ms since epoch) of each write, in write order. */
  writeTimes: Record<string, number[]>;
}

/** Runs `flow` on spark over a closed log in virtual time, from timer to timer, until the job drains. */
export async function runVirtual(
  engine: typeof sparkEngine,
  flow: Dataflow,
  events: readonly unknown[],
  opts: VirtualRunOptions = {},
): Promise<VirtualRun> {
  const run = await runBounded(engine, flow, events, {
    parallelism: opts.parallelism,
    values: opts.values,
    timestamps: opts.timestamps,
    drive: { kind: 'next-timer' },
    clock: opts.clock ?? new ManualClock(opts.startMs ?? VIRTUAL_START_MS),
  });
  const writeTimes = Object.fromEntries(Object.entries(run.sinks).map(([name, records]) => [name, records.map((r) => r.writeTime)]));
  return { ...run, writeTimes };
}

export interface EngineCase {
  label: string;
  values: Values;
  /** Run on the system clock instead of virtual time. */
  realTime?: boolean;
}

/** Every sink of `flow` on spark equals the reference engine's, at each parallelism and configuration. */
export async function expectSameAsReference(
  engine: typeof sparkEngine,
  flow: Dataflow,
  events: readonly unknown[],
  cases: readonly EngineCase[],
  parallelisms: readonly number[] = [1, 3],
  opts: { minBatches?: number; timestamps?: number[] } = {},
): Promise<void> {
  await expectSame(engine, flow, events, {
    parallelisms,
    timestamps: opts.timestamps,
    nonEmpty: false,
    cases: cases.map((c) => ({
      label: c.label,
      values: c.values,
      drive: c.realTime ? { kind: 'real', timeoutMs: 60_000 } : { kind: 'next-timer' },
    })),
    check: (run, label) => {
      if (opts.minBatches !== undefined) expect(run.stats.batchesTotal, `${label}: batches`).toBeGreaterThanOrEqual(opts.minBatches);
    },
  });
}
