/**
 * Runs the storm engine (or a hand-built topology) on a {@link ManualClock}: everything runnable runs at
 * once, and time jumps to the next timer only when every task is idle. Deterministic and fast: a 30 s
 * message timeout or a 1 s watermark interval costs nothing to wait for.
 */
import { withDefaults, type Dataflow, type OptionValue, type OptionValues } from '../../../../engines/api/index.js';
import { ManualClock } from '../../../../engines/runtime/index.js';
import {
  LocalCluster,
  resolveConfig,
  STORM_OPTIONS,
  stormEngine,
  type RunningTopology,
  type StormConfig,
  type StormEngineStats,
  type StormTestHooks,
  type StormTopology,
} from '../../../../engines/storm/index.js';
import type { EventLog } from '../../../../bench/driver/index.js';
import { LateRecordCounter } from '../../../../bench/metrics/index.js';
import { driveToNextTimers, runBounded, VIRTUAL_START_MS, type SinkRecord } from '../../../support/run-bounded.js';
import { prng } from '../../../support/prng.js';
export { prng };

export const START = VIRTUAL_START_MS;

type Values = Readonly<Record<string, OptionValue | undefined>>;

/** Storm option values: defaults, then `overrides`. */
export function stormValues(overrides: Values = {}): OptionValues {
  return withDefaults(STORM_OPTIONS, overrides);
}

export function stormConfig(overrides: Values = {}): StormConfig {
  return resolveConfig(stormValues(overrides));
}

/** Drives `clock` until `done()` or no timer is left (the shared next-timer drive); returns the virtual time spent (ms). */
export const drive = driveToNextTimers;

export interface VirtualRun {
  sinks: Record<string, SinkRecord[]>;
  late: LateRecordCounter;
  stats: StormEngineStats;
  log: EventLog;
  virtualMs: number;
}

/** The engine on a fixed input in virtual time; event k goes to partition k % parallelism. */
export async function runVirtual(
  engine: typeof stormEngine,
  flow: Dataflow,
  events: readonly unknown[],
  opts: { parallelism?: number; values?: Values; timestamps?: readonly number[] } = {},
): Promise<VirtualRun> {
  const run = await runBounded(engine, flow, events, { ...opts, drive: { kind: 'next-timer' }, clock: new ManualClock(START) });
  return { sinks: run.sinks, late: run.late, stats: run.stats, log: run.log, virtualMs: run.elapsedMs };
}

/** A hand-built topology on a LocalCluster in virtual time. */
export function startTopology(
  topology: StormTopology,
  overrides: Values = {},
  hooks: StormTestHooks = {},
): { clock: ManualClock; job: RunningTopology; metrics: LateRecordCounter } {
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
