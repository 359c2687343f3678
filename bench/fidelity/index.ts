/**
 * `streamarena fidelity`: each check runs the models on the conditions of a published experiment and puts
 * the published figure or shape beside ours. A failed criterion is the model's finding, reported as such.
 */
import type { FidelityCheckResult } from '../../reports/schema.js';
import { isUsageError } from '../errors.js';
import type { FidelityCheck } from './check.js';
import { guaranteeCost } from './checks/guarantee-cost.js';
import { nexmarkPerCore } from './checks/nexmark-per-core.js';
import { sparkBatchInterval } from './checks/spark-batch-interval.js';
import { ysbLatency } from './checks/ysb-latency.js';
import { FidelityTrials, type FidelityTrialsOptions } from './trials.js';

export type { FidelityCheck, CheckOutcome, TrialRunner } from './check.js';
export { formatFidelity } from './format.js';

/** Every check, by id, in the order they run. */
export const CHECKS: Record<string, FidelityCheck> = {
  [ysbLatency.id]: ysbLatency,
  [nexmarkPerCore.id]: nexmarkPerCore,
  [sparkBatchInterval.id]: sparkBatchInterval,
  [guaranteeCost.id]: guaranteeCost,
};

export interface FidelitySpec extends FidelityTrialsOptions {
  engines: readonly string[];
  checks: readonly string[];
  /** Wall-time budget for all checks (ms): a check whose estimate no longer fits is skipped, and says so. */
  budgetMs: number;
  onCheck?: (check: FidelityCheck, engines: readonly string[], estimateMs: number) => void;
}

export async function runFidelity(
  spec: FidelitySpec,
  now: () => number = () => Date.now(),
): Promise<{ checks: FidelityCheckResult[]; trials: FidelityTrials }> {
  const trials = new FidelityTrials(spec);
  const started = now();
  const results: FidelityCheckResult[] = [];
  for (const id of spec.checks) {
    const check = CHECKS[id];
    const engines = check.engines.filter((e) => spec.engines.includes(e));
    const base = { id, title: check.title, source: check.source, rows: [] };
    if (engines.length === 0) {
      results.push({
        ...base,
        conditions: '',
        criterion: check.criterion(check.engines),
        status: 'skipped',
        finding: `needs ${check.engines.join(' or ')}`,
        elapsedMs: 0,
      });
      continue;
    }
    const conditions = check.conditions(engines);
    const criterion = check.criterion(engines);
    const estimate = check.estimateMs(engines);
    const left = spec.budgetMs - (now() - started);
    if (estimate > left) {
      results.push({
        ...base,
        conditions,
        criterion,
        status: 'skipped',
        finding: `needs about ${Math.ceil(estimate / 1000)} s, ${Math.max(0, Math.floor(left / 1000))} s of the budget left (raise --budget)`,
        elapsedMs: 0,
      });
      continue;
    }
    spec.onCheck?.(check, engines, estimate);
    const t0 = now();
    try {
      const outcome = await check.run(trials, engines);
      results.push({
        ...base,
        conditions,
        criterion,
        status: outcome.holds ? 'holds' : 'fails',
        rows: outcome.rows,
        ...(outcome.finding ? { finding: outcome.finding } : {}),
        elapsedMs: now() - t0,
      });
    } catch (err) {
      if (isUsageError(err)) throw err;
      results.push({
        ...base,
        conditions,
        criterion,
        status: 'error',
        finding: `a trial failed: ${(err as Error).message}`,
        elapsedMs: now() - t0,
      });
    }
  }
  return { checks: results, trials };
}
