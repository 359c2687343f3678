/**
 * The verdict on one metric and the gate's outcome over all of them.
 *
 * A metric is a regression only when the change of the median goes the wrong way by more than its
 * threshold AND the one-sided Mann-Whitney test in that direction is significant at alpha. Either alone
 * is not enough: a large change within the noise is not significant, and a significant 1 % is not worth
 * failing a build for. Comparisons that the test cannot decide with so few trials are "insufficient":
 * said per row and counted in the summary, and they fail the gate only with --strict.
 */
import type { Direction } from './metrics.js';
import { formatPercent, formatPValue } from '../format/index.js';
import { minAttainablePValue } from './mann-whitney.js';

export type Verdict = 'regression' | 'improvement' | 'unchanged' | 'insufficient';

export interface JudgeInput {
  direction: Direction;
  /** Relative change of the median, current against baseline (0.1 = +10 %); null when the baseline median is 0. */
  change: number | null;
  /** One-sided p-values: current worse than baseline, current better than baseline (null when not tested). */
  pWorse: number | null;
  pBetter: number | null;
  nBaseline: number;
  nCurrent: number;
  /** Fraction. */
  threshold: number;
  alpha: number;
}

export interface Judgement {
  verdict: Verdict;
  /** Why, in a few words with the figures. */
  reason: string;
}

/** Whether n1 against n2 trials can ever be significant at alpha (see minAttainablePValue). */
export function canReachSignificance(n1: number, n2: number, alpha: number): boolean {
  return n1 >= 2 && n2 >= 2 && minAttainablePValue(n1, n2) <= alpha * (1 + 1e-9);
}

export function judge(input: JudgeInput): Judgement {
  const { nBaseline: nb, nCurrent: nc, alpha } = input;
  if (!canReachSignificance(nb, nc, alpha)) {
    return {
      verdict: 'insufficient',
      reason: `${nb} vs ${nc} trials cannot reach p <= ${alpha} (best ${formatPValue(minAttainablePValue(nb, nc))}); use at least ${trialsNeeded(alpha)} per side`,
    };
  }
  if (input.change === null || input.pWorse === null || input.pBetter === null) {
    return { verdict: 'insufficient', reason: 'the baseline median is 0: no relative change' };
  }
  const worse = input.direction === 'smaller' ? input.change : -input.change;
  const limit = `${formatPercent(input.threshold)}`;
  if (worse > 0 && input.pWorse <= alpha) {
    return worse > input.threshold
      ? { verdict: 'regression', reason: `worse by ${formatPercent(worse)} (> ${limit}), p = ${formatPValue(input.pWorse)}` }
      : { verdict: 'unchanged', reason: `worse by ${formatPercent(worse)}, significant but within ${limit}` };
  }
  if (worse < 0 && input.pBetter <= alpha) {
    return -worse > input.threshold
      ? { verdict: 'improvement', reason: `better by ${formatPercent(-worse)} (> ${limit}), p = ${formatPValue(input.pBetter)}` }
      : { verdict: 'unchanged', reason: `better by ${formatPercent(-worse)}, significant but within ${limit}` };
  }
  const p = worse >= 0 ? input.pWorse : input.pBetter;
  return { verdict: 'unchanged', reason: `not significant (p = ${formatPValue(p)} > ${alpha})` };
}

/** The smallest n with n vs n trials able to reach alpha. */
export function trialsNeeded(alpha: number): number {
  let n = 2;
  while (!canReachSignificance(n, n, alpha) && n < 1000) n++;
  return n;
}

export interface GateSummary {
  /** Rows judged as each verdict. */
  regressions: number;
  improvements: number;
  unchanged: number;
  insufficient: number;
  rows: number;
  /** With --strict, rows that cannot be judged fail the gate too. */
  strict: boolean;
  /** 'fail' on a regression (or, with strict, on a row that could not be judged). */
  outcome: 'pass' | 'fail';
  /** The process exit code: 0 pass, 1 fail. */
  exitCode: 0 | 1;
  /** One line for humans. */
  line: string;
}

export function summarize(verdicts: readonly Verdict[], strict: boolean): GateSummary {
  const count = (v: Verdict) => verdicts.filter((x) => x === v).length;
  const regressions = count('regression');
  const improvements = count('improvement');
  const unchanged = count('unchanged');
  const insufficient = count('insufficient');
  const fail = regressions > 0 || (strict && insufficient > 0);
  const parts = [
    `${regressions} regression${regressions === 1 ? '' : 's'}`,
    `${improvements} improvement${improvements === 1 ? '' : 's'}`,
    `${unchanged} without significant change`,
  ];
  if (insufficient > 0) parts.push(`${insufficient} not judged (insufficient trials${strict ? ', fails with --strict' : ''})`);
  const line = `${fail ? 'FAIL' : 'PASS'}: ${parts.join(', ')}, of ${verdicts.length} comparison${verdicts.length === 1 ? '' : 's'}`;
  return {
    regressions,
    improvements,
    unchanged,
    insufficient,
    rows: verdicts.length,
    strict,
    outcome: fail ? 'fail' : 'pass',
    exitCode: fail ? 1 : 0,
    line,
  };
}
