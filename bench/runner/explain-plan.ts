/**
 * An engine's physical plan from qualified options (`flink.bufferTimeout`, `wordcount.window`,
 * `run.parallelism`), defaults for any not given: what the HTML report draws for a recorded run and the
 * live dashboard for a running trial.
 */
import type { EnginePlan, OptionValue } from '../../engines/api/index.js';
import { engines } from '../../engines/index.js';
import { workloads } from '../../workloads/index.js';
import { effectiveOptions } from './options.js';

/** Undefined when the engine or the workload is not registered here. */
export function explainRecordedOptions(
  engineName: string,
  workloadName: string,
  options: Readonly<Record<string, OptionValue>>,
): EnginePlan | undefined {
  const engine = Object.hasOwn(engines, engineName) ? engines[engineName] : undefined;
  const workload = Object.hasOwn(workloads, workloadName) ? workloads[workloadName] : undefined;
  if (!engine || !workload) return undefined;
  const given: Record<string, OptionValue> = {};
  for (const [k, v] of Object.entries(options)) {
    if (k.startsWith(`${engine.name}.`) || k.startsWith(`${workload.name}.`)) given[k] = v;
  }
  const p = options['run.parallelism'];
  const parallelism = typeof p === 'number' && Number.isInteger(p) && p > 0 ? p : 1;
  const flow = workload.dataflow(effectiveOptions(workload.name, workload.options, given));
  return engine.explain(flow, { parallelism, values: effectiveOptions(engine.name, engine.options, given) });
}
