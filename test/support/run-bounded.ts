/**
 * The bounded-run harness of every engine's tests: bench/bounded (the one used by `streamarena verify`),
 * plus order-free comparison of sink outputs and {@link expectSameAsReference}, the engine-vs-oracle check.
 */
import { expect } from 'vitest';
import type { Dataflow, Engine, OptionValue } from '../../engines/api/index.js';
import { referenceEngine } from '../../engines/reference/index.js';
import { canonicalJson } from '../../reports/digest.js';
import { runBounded, type BoundedRun, type DriveStrategy, type SinkRecord } from '../../bench/bounded/index.js';

export {
  CollectingSinks,
  driveInSteps,
  driveToNextTimers,
  driveUntilDrained,
  flushMicrotasks,
  runBounded,
  startBounded,
  VIRTUAL_START_MS,
  type BoundedRun,
  type BoundedRunOptions,
  type DriveStrategy,
  type SinkRecord,
  type StartedBoundedRun,
} from '../../bench/bounded/index.js';

/** Virtual time, jumping from timer to timer: the default of engine-vs-reference checks. */
export const NEXT_TIMER: DriveStrategy = { kind: 'next-timer' };

/** A sink's values as sorted canonical JSON lines: order-free comparison of outputs. */
export function sortedValues(records: readonly SinkRecord[]): string[] {
  return records.map((r) => canonicalJson(r.value)).sort();
}

/** One configuration of the engine under test. */
export interface EngineCase {
  label: string;
  values?: Readonly<Record<string, OptionValue | undefined>>;
  /** Default: virtual time from timer to timer. */
  drive?: DriveStrategy;
  eventsPerStep?: number;
}

export interface SameAsReferenceOptions<S extends object> {
  /** Default one case: the engine's defaults. */
  cases?: readonly EngineCase[];
  /** Default [1, 3]. */
  parallelisms?: readonly number[];
  timestamps?: readonly number[];
  /** The reference output must not be empty (default true: an empty oracle proves nothing). */
  nonEmpty?: boolean;
  /** Further checks of each engine run (e.g. a checkpoint completed). */
  check?: (run: BoundedRun<S>, label: string) => void;
}

/**
 * For every parallelism and case, every sink of `flow` on `engine` receives the same multiset of values as
 * on the reference engine, and both drop the same number of late records.
 */
export async function expectSameAsReference<E extends Engine>(
  engine: E,
  flow: Dataflow,
  events: readonly unknown[],
  opts: SameAsReferenceOptions<ReturnType<Awaited<ReturnType<E['start']>>['stats']>> = {},
): Promise<void> {
  const cases = opts.cases ?? [{ label: 'defaults' }];
  for (const parallelism of opts.parallelisms ?? [1, 3]) {
    const ref = await runBounded(referenceEngine, flow, events, { parallelism, timestamps: opts.timestamps, drive: NEXT_TIMER });
    for (const c of cases) {
      const label = `${engine.name} ${c.label}, p=${parallelism}`;
      const run = await runBounded(engine, flow, events, {
        parallelism,
        values: c.values,
        timestamps: opts.timestamps,
        drive: c.drive ?? NEXT_TIMER,
        eventsPerStep: c.eventsPerStep,
      });
      for (const sink of flow.sinks) {
        const expected = sortedValues(ref.sinks[sink.name] ?? []);
        if (opts.nonEmpty ?? true) expect(expected.length, `reference output of ${sink.name}`).toBeGreaterThan(0);
        expect(sortedValues(run.sinks[sink.name] ?? []), `${label}: sink ${sink.name}`).toEqual(expected);
      }
      expect(run.late.total, `${label}: late records`).toBe(ref.late.total);
      opts.check?.(run, label);
    }
  }
}
