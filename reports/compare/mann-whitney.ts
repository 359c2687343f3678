/**
 * The Mann-Whitney U test (Wilcoxon rank-sum test) of two independent samples, with p-values:
 * simple-statistics gives the rank sum but no p-value.
 *
 * Small samples get the exact permutation distribution of the rank sum, computed with the observed
 * mid-ranks, so it stays exact with ties (the conditional test); larger ones the normal approximation
 * with tie and continuity corrections (as R's `wilcox.test(exact = FALSE, correct = TRUE)` and SciPy's
 * `mannwhitneyu(method = 'asymptotic')`). No distribution is assumed: benchmark samples are rarely normal.
 */
import { normalUpperTail } from './normal.js';

export type MannWhitneyMethod = 'exact' | 'normal';

export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, ties counting one half. 0 ≤ u ≤ n1·n2. */
  u: number;
  n1: number;
  n2: number;
  /** P(U ≥ u) under "same distribution": small when x tends to be larger than y. */
  pGreater: number;
  /** P(U ≤ u) under "same distribution": small when x tends to be smaller than y. */
  pLess: number;
  /** min(1, 2·min(pGreater, pLess)). */
  pTwoSided: number;
  method: MannWhitneyMethod;
  /** True when some values occur more than once across both samples. */
  ties: boolean;
}

export interface MannWhitneyOptions {
  /**
   * 'auto' (default): exact when n1 + n2 ≤ EXACT_LIMIT, else the normal approximation.
   * The exact computation costs about n1·(n1 + n2)³ steps.
   */
  method?: 'auto' | MannWhitneyMethod;
}

/** Up to this many values in both samples together, p-values are exact. */
export const EXACT_LIMIT = 60;

/** The test of `x` against `y`. Both samples need at least one finite value. */
export function mannWhitneyU(x: readonly number[], y: readonly number[], options: MannWhitneyOptions = {}): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new Error('mannWhitneyU: both samples need at least one value');
  if (![...x, ...y].every(Number.isFinite)) throw new Error('mannWhitneyU: samples must be finite numbers');
  const { doubledRanks, tieGroups } = midRanks([...x, ...y]);
  // Rank sums are multiples of 1/2 with ties: doubling them keeps everything in integers.
  let doubledRankSum = 0;
  for (let i = 0; i < n1; i++) doubledRankSum += doubledRanks[i];
  const u = doubledRankSum / 2 - (n1 * (n1 + 1)) / 2;
  const ties = tieGroups.some((t) => t > 1);
  const method = options.method === undefined || options.method === 'auto' ? (n1 + n2 <= EXACT_LIMIT ? 'exact' : 'normal') : options.method;
  const { pGreater, pLess } = method === 'exact' ? exactTails(doubledRanks, n1, doubledRankSum) : normalTails(u, n1, n2, tieGroups);
  return { u, n1, n2, pGreater, pLess, pTwoSided: Math.min(1, 2 * Math.min(pGreater, pLess)), method, ties };
}

/**
 * The smallest one-sided p-value any data can give with these sample sizes: 1 / C(n1 + n2, n1), reached
 * when the samples do not overlap (ties only make it larger). A test at level alpha can never be
 * significant when this is above alpha: 3 against 3 gives 0.05, 2 against 3 gives 0.1.
 */
export function minAttainablePValue(n1: number, n2: number): number {
  if (n1 <= 0 || n2 <= 0) return 1;
  // 1 / C(n, k) as a product, to stay finite for large samples.
  let p = 1;
  const k = Math.min(n1, n2);
  const n = n1 + n2;
  for (let i = 1; i <= k; i++) p *= i / (n - k + i);
  return p;
}

/**
 * Mid-ranks of `values` (1-based, the mean rank of each group of equal values), doubled so that they are
 * integers, in the input order; and the size of each group of equal values.
 */
export function midRanks(values: readonly number[]): { doubledRanks: number[]; tieGroups: number[] } {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const doubledRanks = new Array<number>(values.length);
  const tieGroups: number[] = [];
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && order[end][0] === order[start][0]) end++;
    // Ranks start+1 .. end: their mean, doubled, is start + 1 + end.
    for (let k = start; k < end; k++) doubledRanks[order[k][1]] = start + 1 + end;
    tieGroups.push(end - start);
    start = end;
  }
  return { doubledRanks, tieGroups };
}

/**
 * Exact tails of the rank sum of the first n1 values: every choice of n1 of the N (mid-)ranks is equally
 * likely under the null hypothesis. Counts choices by size and doubled rank sum (dynamic programming over
 * the values) in doubles: C(60, 30) ≈ 1.2e17 loses integer exactness, but the ratios keep ~15 digits.
 */
function exactTails(doubledRanks: readonly number[], n1: number, observed: number): { pGreater: number; pLess: number } {
  const n = doubledRanks.length;
  const maxSum = doubledRanks.reduce((a, b) => a + b, 0);
  // ways[k][s]: number of k-subsets of the values seen so far with doubled rank sum s.
  const ways: Float64Array[] = Array.from({ length: n1 + 1 }, () => new Float64Array(maxSum + 1));
  ways[0][0] = 1;
  for (let i = 0; i < n; i++) {
    const r = doubledRanks[i];
    for (let k = Math.min(i + 1, n1); k >= 1; k--) {
      const from = ways[k - 1];
      const to = ways[k];
      for (let s = maxSum - r; s >= 0; s--) if (from[s] !== 0) to[s + r] += from[s];
    }
  }
  const dist = ways[n1];
  let total = 0;
  let atLeast = 0;
  let atMost = 0;
  for (let s = 0; s <= maxSum; s++) {
    total += dist[s];
    if (s >= observed) atLeast += dist[s];
    if (s <= observed) atMost += dist[s];
  }
  return { pGreater: Math.min(1, atLeast / total), pLess: Math.min(1, atMost / total) };
}

/** Normal approximation of U with the tie-corrected variance and a continuity correction of 1/2. */
function normalTails(u: number, n1: number, n2: number, tieGroups: readonly number[]): { pGreater: number; pLess: number } {
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const tieTerm = tieGroups.reduce((acc, t) => acc + (t * t * t - t), 0);
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { pGreater: 1, pLess: 1 }; // every value equal: no evidence either way
  const sd = Math.sqrt(variance);
  return {
    pGreater: Math.min(1, normalUpperTail((u - mean - 0.5) / sd)),
    pLess: Math.min(1, normalUpperTail((mean - u - 0.5) / sd)),
  };
}
