/**
 * Before the first trial: every engine checks the parallelism against its stated limit and explains every
 * workload's dataflow with the run's options, so that what an engine rejects as a usage error (a processing-time window on an engine without them, a window
 * that is not a multiple of spark's batch interval) stops the run at once, not after the trials before it.
 * Other errors are left to the trial, which records them.
 */
import { engines } from '../../engines/index.js';
import type { Engine, OptionValue } from '../../engines/api/index.js';
import { workloads } from '../../workloads/index.js';
import { isUsageError, UsageError } from '../errors.js';
import { effectiveOptions } from './options.js';

/** Throws a usage error when `parallelism` is above the limit `engine` states for these options. */
export function checkParallelism(engine: Engine, parallelism: number, options: Readonly<Record<string, OptionValue>>): void {
  const limit = engine.parallelismLimit(effectiveOptions(engine.name, engine.options, options));
  if (limit !== undefined && parallelism > limit.max) {
    throw new UsageError(`parallelism ${parallelism} is more than ${engine.name} can run: at most ${limit.max}, ${limit.reason}`);
  }
}

export function checkRunnable(
  engineNames: readonly string[],
  workloadNames: readonly string[],
  options: Readonly<Record<string, OptionValue>>,
  parallelism: number,
): void {
  for (const w of workloadNames) {
    const workload = workloads[w];
    if (workload === undefined) continue;
    for (const e of engineNames) {
      const engine = engines[e];
      if (engine === undefined) continue;
      checkParallelism(engine, parallelism, options);
      try {
        const flow = workload.dataflow(effectiveOptions(workload.name, workload.options, options));
        engine.explain(flow, { parallelism, values: effectiveOptions(engine.name, engine.options, options) });
      } catch (err) {
        if (isUsageError(err)) throw err;
      }
    }
  }
}
