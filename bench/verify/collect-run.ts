/**
 * One engine over one bounded input for `verify`: the workload's session (setup hooks included) around a
 * bounded run (bench/bounded) of its dataflow, every sink record collected. On the real clock a run that
 * does not finish within the timeout is stopped and reported as such; on virtual time (tests) the clock
 * jumps from timer to timer, so a run of many batch intervals takes no waiting.
 */
import type { Deployment, Engine, OptionValues } from '../../engines/api/index.js';
import { dataflowRecipe } from '../runner/dataflow-recipe.js';
import { ManualClock, systemClock } from '../../engines/runtime/index.js';
import { startWorkloadSession, withSinkEffects, type Workload } from '../../workloads/index.js';
import { runBounded, VIRTUAL_START_MS } from '../bounded/index.js';
import type { BoundedInput } from './bounded-input.js';

export interface CollectedRun {
  /** Sink name -> record values in arrival order. */
  readonly sinks: Record<string, unknown[]>;
  readonly lateRecordsDropped: number;
  /** Clock time the run took (ms; virtual time in a virtual run). */
  readonly elapsedMs: number;
}

export interface CollectOptions {
  readonly parallelism: number;
  readonly engineValues: OptionValues;
  readonly workloadValues: OptionValues;
  /** Real-clock runs: how long the engine may take (ms). */
  readonly timeoutMs: number;
  /** `real` (the CLI) or `virtual` (a ManualClock driven from timer to timer). Default `real`. */
  readonly time?: 'real' | 'virtual';
  /** Where the engine runs (default local); standalone needs the workload's registered name for the recipe. */
  readonly deployment?: Deployment;
  readonly workloadName?: string;
  /** `standalone` only: the running session cluster's state directory. */
  readonly cluster?: string;
}

export async function collectRun(engine: Engine, workload: Workload, input: BoundedInput, opts: CollectOptions): Promise<CollectedRun> {
  const virtual = opts.time === 'virtual';
  const clock = virtual ? new ManualClock(VIRTUAL_START_MS) : systemClock;
  const session = await startWorkloadSession(workload, opts.workloadValues, { clock });
  try {
    const run = await runBounded(engine, session.dataflow, input.values, {
      parallelism: opts.parallelism,
      values: opts.engineValues,
      timestamps: input.timestamps,
      drive: virtual ? { kind: 'next-timer' } : { kind: 'real', timeoutMs: opts.timeoutMs },
      ...(clock instanceof ManualClock ? { clock } : {}),
      wrapSinks: (sinks) => withSinkEffects(sinks, session),
      ...(opts.deployment && opts.deployment !== 'local'
        ? {
            start: (flow, io, engineOpts) =>
              engine.start(flow, io, {
                ...engineOpts,
                deployment: opts.deployment,
                dataflowRecipe: dataflowRecipe(opts.workloadName ?? workload.name, opts.workloadValues),
                ...(opts.cluster ? { cluster: opts.cluster } : {}),
              }),
          }
        : {}),
    });
    const sinks = Object.fromEntries(Object.entries(run.sinks).map(([name, records]) => [name, records.map((r) => r.value)]));
    return { sinks, lateRecordsDropped: run.late.total, elapsedMs: run.elapsedMs };
  } finally {
    await session.teardown();
  }
}
