import { describe, expect, it } from 'vitest';
import {
  canReachSignificance,
  judge,
  mannWhitneyU,
  median,
  summarize,
  trialsNeeded,
  type Direction,
} from '../../../reports/compare/index.js';
import { SeededRandom } from '../../../engines/api/index.js';

/** The verdict on two samples the way compare reaches it (current against baseline). */
function verdictOf(baseline: number[], current: number[], direction: Direction = 'smaller', threshold = 0.1, alpha = 0.05) {
  const t = mannWhitneyU(current, baseline);
  const change = median(current)! / median(baseline)! - 1;
  return judge({
    direction,
    change,
    threshold,
    alpha,
    nBaseline: baseline.length,
    nCurrent: current.length,
    pWorse: direction === 'smaller' ? t.pGreater : t.pLess,
    pBetter: direction === 'smaller' ? t.pLess : t.pGreater,
  });
}

/** Approximately normal noise (sum of uniforms) around `mean` with standard deviation `sd`. */
function noisy(random: SeededRandom, n: number, mean: number, sd: number): number[] {
  return Array.from({ length: n }, () => {
    let s = 0;
    for (let i = 0; i < 12; i++) s += random.next();
    return mean + (s - 6) * sd;
  });
}

describe('judge: known answers on synthetic samples', () => {
  it('identical distributions give no verdict', () => {
    expect(verdictOf([100, 101, 99, 100.5, 99.5], [100, 101, 99, 100.5, 99.5]).verdict).toBe('unchanged');
    expect(verdictOf([10, 10, 10], [10, 10, 10]).verdict).toBe('unchanged');
  });

  it('a shifted distribution is found, in the right direction for the metric', () => {
    const base = [100, 102, 98, 101, 99];
    const up = base.map((v) => v * 1.3);
    expect(verdictOf(base, up, 'smaller')).toMatchObject({ verdict: 'regression' }); // latency up 30 %
    expect(verdictOf(base, up, 'bigger')).toMatchObject({ verdict: 'improvement' }); // throughput up 30 %
    expect(verdictOf(up, base, 'bigger').verdict).toBe('regression'); // throughput down 23 %
    expect(verdictOf(base, up, 'smaller').reason).toMatch(/worse by 30\.0% \(> 10\.0%\), p = 0\.004/);
  });

  it('a wide noisy distribution is not called significant, even with a median change above the threshold', () => {
    const r = verdictOf([60, 140, 95, 180, 70], [150, 65, 120, 85, 190]);
    expect(median([150, 65, 120, 85, 190])! / median([60, 140, 95, 180, 70])! - 1).toBeGreaterThan(0.2);
    expect(r.verdict).toBe('unchanged');
    expect(r.reason).toMatch(/not significant/);
  });

  it('a significant change within the threshold does not count', () => {
    const base = [100, 100.2, 99.8, 100.1, 99.9];
    const r = verdictOf(
      base,
      base.map((v) => v * 1.05),
    );
    expect(r.verdict).toBe('unchanged');
    expect(r.reason).toMatch(/significant but within 10\.0%/);
    expect(
      verdictOf(
        base,
        base.map((v) => v * 1.05),
        'smaller',
        0.02,
      ).verdict,
    ).toBe('regression');
  });

  it('says plainly when there are too few trials to judge', () => {
    expect(verdictOf([100, 101], [150, 151, 152])).toMatchObject({
      verdict: 'insufficient',
      reason: expect.stringMatching(/2 vs 3 trials cannot reach p <= 0.05 \(best 0\.1\); use at least 3 per side/),
    });
    expect(verdictOf([100], [200]).verdict).toBe('insufficient');
    // 3 against 3 reaches 0.05 exactly, so it can be judged at alpha 0.05 but not at 0.01.
    expect(verdictOf([100, 101, 102], [150, 151, 152]).verdict).toBe('regression');
    expect(verdictOf([100, 101, 102], [150, 151, 152], 'smaller', 0.1, 0.01).verdict).toBe('insufficient');
    expect(trialsNeeded(0.05)).toBe(3);
    expect(trialsNeeded(0.01)).toBe(5); // 4 vs 4: 1/70 = 0.014
    expect(canReachSignificance(3, 3, 0.05)).toBe(true);
    expect(canReachSignificance(2, 10, 0.05)).toBe(true); // 1 / C(12, 2) = 0.015
    expect(canReachSignificance(1, 100, 0.05)).toBe(false);
  });

  it('a baseline median of 0 has no relative change', () => {
    expect(
      judge({ direction: 'smaller', change: null, pWorse: 0.05, pBetter: 1, nBaseline: 3, nCurrent: 3, threshold: 0.1, alpha: 0.05 })
        .verdict,
    ).toBe('insufficient');
  });

  it('false alarms under identical distributions stay at or below alpha (threshold 0), and far below with a threshold above the noise', () => {
    const random = new SeededRandom(11);
    let atZero = 0;
    let atTen = 0;
    const rounds = 2000;
    for (let i = 0; i < rounds; i++) {
      const a = noisy(random, 5, 100, 4);
      const b = noisy(random, 5, 100, 4);
      if (verdictOf(a, b, 'smaller', 0).verdict === 'regression') atZero++;
      if (verdictOf(a, b, 'smaller', 0.1).verdict === 'regression') atTen++;
    }
    // The exact test at 0.05 with 5 vs 5 rejects with probability 0.048 (12/252); sampling error ~0.005.
    expect(atZero / rounds).toBeLessThan(0.065);
    expect(atZero / rounds).toBeGreaterThan(0.03);
    expect(atTen / rounds).toBeLessThan(0.01);
  });

  it('finds a 25 % slowdown almost always with 5 trials and 5 % noise', () => {
    const random = new SeededRandom(12);
    let found = 0;
    for (let i = 0; i < 500; i++) {
      if (verdictOf(noisy(random, 5, 100, 5), noisy(random, 5, 125, 6.25)).verdict === 'regression') found++;
    }
    expect(found / 500).toBeGreaterThan(0.95);
  });
});

describe('summarize', () => {
  it('fails on a regression; counts what could not be judged; fails on those only when strict', () => {
    const s = summarize(['unchanged', 'insufficient', 'improvement'], false);
    expect(s).toMatchObject({ outcome: 'pass', exitCode: 0, insufficient: 1 });
    expect(s.line).toBe(
      'PASS: 0 regressions, 1 improvement, 1 without significant change, 1 not judged (insufficient trials), of 3 comparisons',
    );
    expect(summarize(['unchanged', 'insufficient'], true)).toMatchObject({ outcome: 'fail', exitCode: 1 });
    expect(summarize(['regression', 'unchanged'], false)).toMatchObject({ outcome: 'fail', exitCode: 1, regressions: 1 });
    expect(summarize(['regression'], false).line).toMatch(/^FAIL: 1 regression,/);
  });
});
