/**
 * The statistics of one figure between two samples of trials: the change of the median, the one-sided
 * Mann-Whitney U tests in both directions, the bootstrap interval of the change and the verdict. One
 * function, so that `compare`'s rows and the HTML report's figures it does not gate are judged alike.
 */
import { bootstrapMedianChange, type ChangeInterval } from './bootstrap.js';
import { mannWhitneyU, type MannWhitneyMethod } from './mann-whitney.js';
import type { Direction } from './metrics.js';
import { median } from './quantile.js';
import { judge, type Verdict } from './verdict.js';

export interface ChangeJudgement {
  baselineMedian: number;
  currentMedian: number;
  /** Relative change of the median (0.1 = +10 %); null when the baseline median is 0 and the current is not. */
  change: number | null;
  /** One-sided p-values: current worse than baseline, current better (in `direction`'s sense). */
  pWorse: number;
  pBetter: number;
  test: MannWhitneyMethod;
  /** Bootstrap interval of the change; null with fewer than 2 trials a side. */
  interval: ChangeInterval | null;
  verdict: Verdict;
  reason: string;
}

export interface ChangeSettings {
  direction: Direction;
  /** Relative change beyond which a significant change counts (0.1 = 10 %). */
  threshold: number;
  alpha: number;
  /** Two-sided confidence of the bootstrap interval. */
  confidence: number;
  seed?: number;
  resamples?: number;
}

/**
 * Judges `current` against `baseline` (each at least one value).
 * @throws Error when either sample is empty.
 */
export function judgeChange(baseline: readonly number[], current: readonly number[], s: ChangeSettings): ChangeJudgement {
  const baselineMedian = median(baseline);
  const currentMedian = median(current);
  if (baselineMedian === undefined || currentMedian === undefined) throw new Error('judgeChange: both samples need a value');
  const change = baselineMedian === 0 ? (currentMedian === 0 ? 0 : null) : currentMedian / baselineMedian - 1;
  // Current against baseline: "greater" means current larger, which is worse when smaller is better.
  const test = mannWhitneyU(current, baseline);
  const pWorse = s.direction === 'smaller' ? test.pGreater : test.pLess;
  const pBetter = s.direction === 'smaller' ? test.pLess : test.pGreater;
  const interval =
    bootstrapMedianChange(baseline, current, { confidence: s.confidence, seed: s.seed ?? 1, resamples: s.resamples ?? 2000 }) ?? null;
  const { verdict, reason } = judge({
    direction: s.direction,
    change,
    pWorse,
    pBetter,
    nBaseline: baseline.length,
    nCurrent: current.length,
    threshold: s.threshold,
    alpha: s.alpha,
  });
  return { baselineMedian, currentMedian, change, pWorse, pBetter, test: test.method, interval, verdict, reason };
}
