/**
 * `--normalize <engine>`: each engine's figure in a trial divided by the reference engine's figure from the
 * same trial of the same run. Trials run interleaved (trial k of every engine back to back), so a machine
 * that is slower or busier during trial k slows both, and the ratio keeps what the engine itself costs.
 */
import type { RunResult } from '../schema.js';
import type { MetricSpec } from './metrics.js';

/** Where a workload's trial k of the reference engine is found. */
export type ReferenceTrials = Map<string, RunResult>;

function trialKey(workload: string, trial: number): string {
  return `${workload}\u0000${trial}`;
}

/** The successful trials of `reference`, by workload and trial number. */
export function referenceTrials(okRuns: readonly RunResult[], reference: string): ReferenceTrials {
  const byTrial: ReferenceTrials = new Map();
  for (const r of okRuns) if (r.engine === reference) byTrial.set(trialKey(r.workload, r.trial), r);
  return byTrial;
}

/** The reference trial that ran beside `run`, if it succeeded. */
export function partnerOf(run: RunResult, reference: ReferenceTrials): RunResult | undefined {
  return reference.get(trialKey(run.workload, run.trial));
}

/**
 * `metric` of `run` divided by the same metric of its reference partner: a unitless ratio with the metric's
 * direction (throughput 0.5 = half the reference's; latency 3 = three times the reference's). Undefined
 * when either has no value or the reference's is 0.
 */
export function normalizedValue(metric: MetricSpec, run: RunResult, partner: RunResult): number | undefined {
  const v = metric.value(run);
  const ref = metric.value(partner);
  if (v === undefined || ref === undefined || ref === 0) return undefined;
  return v / ref;
}
