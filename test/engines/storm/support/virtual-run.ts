/**
 * Runs the storm engine (or a hand-built topology) on a {@link ManualClock}: everything runnable runs at
 * once, and time jumps to the next timer only when every task is idle. Deterministic and fast: a 30 s
 * message timeout or a 1 s watermark interval costs nothing to wait for.
 */
import type { Dataflow, Engine, OptionValues } from '../../../../engines/api/index.js';
import { ManualClock } from '../../../../engines/runtime/index.js';
import { LocalCluster, resolveConfig, STORM_OPTIONS, type RunningTopology, type StormConfig, type StormTestHooks, type StormTopology } from '../../../../engines/storm/index.js';
import { EventLog } from '../../../../bench/driver/index.js';
import { LateRecordCounter } from '../../../../bench/metrics/index.js';
import { startBounded, type SinkRecord } from '../../../support/run-bounded.js';
import { prng } from '../../../support/prng.js';
export { prng };

export const START = 1_000_000;

/** Storm option values: defaults, then `overrides`. */
export function stormValues(overrides: Record<string, unknown> = {}): OptionValues {
  const values: Record<string, unknown> = {};
  for (const o of STORM_OPTIONS) values[o.key] = o.default;
  return { ...values, ...overrides } as OptionValues;
}

export function stormConfig(overrides: Record<string, unknown> = {}): StormConfig {
  return resolveConfig(stormValues(overrides));
}

const flushMicrotasks = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Drives `clock` until `done()` or no timer is left; returns the virtual time spent (ms). */
export async function drive(clock: ManualClock, done: () => boolean, limitMs = 10 * 60_000): Promise<number> {
  const t0 = clock.now();
  for (;;) {
    clock.runDeferred();
    await flushMicrotasks();
    if (done()) return clock.now() - t0;
    const next = clock.nextTimerAt;
    if (!Number.isFinite(next)) throw new Error('stuck: nothing runnable, no timer pending, not done');
    if (next - t0 > limitMs) throw new Error(`not done within ${limitMs} virtual ms`);
    clock.set(Math.max(clock.now(), next));
  }
}

export interface VirtualRun {
  sinks: Record<string, SinkRecord[]>;
  late: LateRecordCounter;
  stats: Record<string, any>;
  log: EventLog;
  virtualMs: number;
}

/** The engine on a fixed input in virtual time; event k goes to partition k % parallelism. */
export async function runVirtual(engine: Engine, flow: Dataflow, events: readonly unknown[],
  opts: { parallelism?: number; values?: Record<string, unknown>; timestamps?: readonly number[] } = {}): Promise<VirtualRun> {
  const clock = new ManualClock(START);
  const { job, log, sinks, late } = await startBounded(engine, flow, events, clock, { ...opts, values: opts.values as OptionValues | undefined });
  let finished = false;
  let failure: unknown;
  job.drained().then(() => (finished = true), (e) => (failure = e));
  const virtualMs = await drive(clock, () => finished || failure !== undefined);
  if (failure !== undefined) throw failure;
  return { sinks: sinks.records, late, stats: job.stats() as Record<string, any>, log, virtualMs };
}

/** A hand-built topology on a LocalCluster in virtual time. */
export function startTopology(topology: StormTopology, overrides: Record<string, unknown> = {}, hooks: StormTestHooks = {}):
  { clock: ManualClock; job: RunningTopology; metrics: LateRecordCounter } {
  const clock = new ManualClock(START);
  const metrics = new LateRecordCounter();
  const job = new LocalCluster(clock, metrics).submitTopology(topology, stormConfig(overrides), { hooks });
  return { clock, job, metrics };
}

/** Runs a started topology until it drains. */
export async function runToEnd(clock: ManualClock, job: RunningTopology, limitMs?: number): Promise<number> {
  let failure: unknown;
  job.drained().catch((e) => (failure = e));
  const ms = await drive(clock, () => job.isEnded || failure !== undefined, limitMs);
  if (failure !== undefined) throw failure;
  return ms;
}

