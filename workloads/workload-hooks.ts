/**
 * Optional extensions of the {@link Workload} interface, for workloads that reach outside the process: YSB
 * loads its campaigns into a real Redis before the run and writes every window there, as the original
 * does. A workload without them behaves exactly as before; {@link startWorkloadSession} gives every
 * workload the same shape, so that a runner calls it unconditionally:
 *
 * ```ts
 * const session = await startWorkloadSession(workload, workloadValues, { clock });
 * try {
 *   const flow = session.dataflow;                            // instead of workload.dataflow(values)
 *   const sinks = withSinkEffects(measuredSinks, session);     // what the engine writes to
 *   ... run ...
 * } finally {
 *   await session.teardown();                                 // after drained() or stop()
 * }
 * const workloadStats = session.stats?.({ measureFrom });
 * ```
 */
import type { Clock, Dataflow, OptionValues, SinkSet, SinkWriter } from '../engines/api/index.js';
import type { Workload } from './workload.js';

/** What a workload's setup may use. */
export interface SetupContext {
  /** The run's clock: sink effects stamp update times with it. */
  readonly clock: Clock;
}

/** One run of a workload: its dataflow, and what happens around it. */
export interface WorkloadSession {
  /** The dataflow to run, built against whatever the setup prepared (e.g. a cache filled from Redis). */
  readonly dataflow: Dataflow;
  /**
   * Called with every record a sink receives, right after the engine wrote it (synchronously, in the
   * sink's arrival order); e.g. YSB writes the window to Redis. Must not throw: failures are kept and
   * thrown by {@link teardown}.
   */
  sinkEffect?(sink: string, value: unknown, emitTime: number, ingestTime: number): void;
  /**
   * Finishes outstanding effects (waits for pending Redis writes) and releases external resources. Call
   * once, after the engine drained or was stopped, also when the run failed; throws the first failure of
   * a sink effect.
   */
  teardown(): Promise<void>;
  /**
   * Workload-specific figures for the results file (JSON-serializable), read after teardown, e.g. YSB's
   * own latency. `measureFrom` (ms since epoch) excludes warm-up windows.
   */
  stats?(opts?: { measureFrom?: number }): Record<string, unknown>;
}

export interface WorkloadHooks {
  /**
   * Prepares one run (connects, loads side data) and returns its session. Without it, a run is
   * `workload.dataflow(values)` and nothing else.
   */
  setup?(values: OptionValues, context: SetupContext): Promise<WorkloadSession>;
  /**
   * The records of `sink` as `streamarena verify` should compare them across engines, for outputs that
   * are not deterministic as emitted (YSB's flush mode fires early on processing time: it compares the
   * latest count of each window). Default: as emitted.
   */
  comparableOutput?(values: OptionValues, sink: string, records: readonly unknown[]): unknown[];
}

/** A workload with optional hooks. */
export type HookedWorkload = Workload & WorkloadHooks;

/** The session of one run of any workload: its setup hook's, or just its dataflow. */
export async function startWorkloadSession(workload: Workload, values: OptionValues, context: SetupContext): Promise<WorkloadSession> {
  const hooked = workload as HookedWorkload;
  if (hooked.setup !== undefined) return hooked.setup(values, context);
  return { dataflow: workload.dataflow(values), teardown: async () => {} };
}

/** `sinks`, with the session's sink effect called after every write (unchanged without one). */
export function withSinkEffects(sinks: SinkSet, session: WorkloadSession): SinkSet {
  const effect = session.sinkEffect?.bind(session);
  if (effect === undefined) return sinks;
  const writers = new Map<string, SinkWriter>();
  return {
    get(name) {
      let writer = writers.get(name);
      if (writer === undefined) {
        const inner = sinks.get(name);
        writer = {
          write(value, emitTime, ingestTime) {
            inner.write(value, emitTime, ingestTime);
            effect(name, value, emitTime, ingestTime);
          },
        };
        writers.set(name, writer);
      }
      return writer;
    },
  };
}

/** A sink's records as verify compares them (see {@link WorkloadHooks.comparableOutput}). */
export function comparableOutput(workload: Workload, values: OptionValues, sink: string, records: readonly unknown[]): unknown[] {
  const hook = (workload as HookedWorkload).comparableOutput;
  return hook === undefined ? [...records] : hook(values, sink, records);
}
