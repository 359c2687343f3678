import { describe, expect, it } from 'vitest';
import { mannWhitneyU, midRanks, minAttainablePValue } from '../../../reports/compare/index.js';
import { erfc, normalUpperTail } from '../../../reports/compare/normal.js';
import { SeededRandom } from '../../../engines/api/index.js';

/** Every way to split the pooled values into groups of n1 and n2: the exact null distribution, by brute force. */
function bruteForceTails(x: number[], y: number[]): { pGreater: number; pLess: number } {
  const pooled = [...x, ...y];
  const n1 = x.length;
  const u = (a: number[], b: number[]) => a.reduce((s, v) => s + b.reduce((t, w) => t + (v > w ? 1 : v === w ? 0.5 : 0), 0), 0);
  const observed = u(x, y);
  let total = 0;
  let atLeast = 0;
  let atMost = 0;
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === n1) {
      const a = chosen.map((i) => pooled[i]);
      const b = pooled.filter((_, i) => !chosen.includes(i));
      const v = u(a, b);
      total++;
      if (v >= observed - 1e-9) atLeast++;
      if (v <= observed + 1e-9) atMost++;
      return;
    }
    for (let i = start; i < pooled.length; i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return { pGreater: atLeast / total, pLess: atMost / total };
}

describe('midRanks', () => {
  it('gives tied values the mean of their ranks (doubled), in input order', () => {
    expect(midRanks([3, 1, 4, 1, 5])).toEqual({ doubledRanks: [6, 3, 8, 3, 10], tieGroups: [2, 1, 1, 1] });
    expect(midRanks([7, 7, 7]).doubledRanks).toEqual([4, 4, 4]);
  });
});

describe('mannWhitneyU', () => {
  it('U counts the pairs where the first sample is larger, ties as one half', () => {
    expect(mannWhitneyU([4, 5, 6], [1, 2, 3]).u).toBe(9);
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6]).u).toBe(0);
    expect(mannWhitneyU([1, 2, 2], [2, 3]).u).toBe(1); // (2,2) twice = 1, nothing else
  });

  it('3 against 3 without overlap: exact p = 1/C(6,3) = 0.05 one-sided, 0.1 two-sided (hand-computed)', () => {
    const r = mannWhitneyU([4, 5, 6], [1, 2, 3]);
    expect(r.method).toBe('exact');
    expect(r.pGreater).toBeCloseTo(0.05, 12);
    expect(r.pLess).toBe(1);
    expect(r.pTwoSided).toBeCloseTo(0.1, 12);
  });

  it("matches R's wilcox.test example (Hollander & Wolfe): W = 35, exact p = 0.1272 greater, 0.2544 two-sided", () => {
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const exact = mannWhitneyU(x, y);
    expect(exact.u).toBe(35);
    expect(exact.pGreater).toBeCloseTo(0.1272061272061272, 12);
    expect(exact.pTwoSided).toBeCloseTo(0.2544122544122544, 12);
    // The normal approximation with continuity correction (R exact = FALSE; SciPy method='asymptotic').
    expect(mannWhitneyU(x, y, { method: 'normal' }).pGreater).toBeCloseTo(0.12231180256349167, 6);
  });

  it('with ties: the exact conditional p-value (63/6435) and the tie-corrected normal approximation', () => {
    const a = [1, 2, 2, 3, 4, 4, 4, 5];
    const b = [3, 4, 5, 5, 6, 6, 7];
    const exact = mannWhitneyU(a, b);
    expect(exact.ties).toBe(true);
    expect(exact.u).toBe(8);
    // Counted over all C(15, 8) = 6435 splits, as SciPy 1.17 permutation_test(n_resamples=inf) does: 63 have U <= 8.
    // (SciPy's mannwhitneyu(method='exact') gives 66/6435: it uses the distribution without ties.)
    expect(exact.pLess).toBeCloseTo(63 / 6435, 12);
    expect(exact.pGreater).toBeCloseTo(6397 / 6435, 12);
    const normal = mannWhitneyU(a, b, { method: 'normal' });
    // SciPy mannwhitneyu(method='asymptotic', use_continuity=True).
    expect(normal.pLess).toBeCloseTo(0.010960327932384759, 7);
    expect(normal.pGreater).toBeCloseTo(0.9920076574374018, 7);
    expect(normal.pTwoSided).toBeCloseTo(0.021920655864769517, 7);
  });

  it('uses the normal approximation above 60 values; matches SciPy on 40 against 35 values with ties', () => {
    const x = [
      10.7, 11.6, 10.7, 7.4, 11.8, 10.9, 8.9, 11.2, 10.7, 10.6, 10.1, 11.1, 8.5, 9.7, 9.0, 11.2, 10.1, 9.4, 8.4, 9.5, 10.0, 9.4, 12.6, 12.0,
      4.6, 6.2, 9.7, 9.2, 10.4, 10.4, 14.2, 7.8, 9.2, 14.1, 11.3, 11.3, 9.0, 6.7, 10.3, 10.2,
    ];
    const y = [
      8.5, 9.6, 10.9, 9.1, 10.8, 11.2, 11.1, 10.0, 12.2, 12.8, 11.6, 9.4, 12.5, 10.0, 12.8, 8.9, 12.8, 11.0, 8.5, 10.4, 11.1, 11.5, 9.0,
      8.8, 11.4, 10.1, 11.5, 12.5, 7.7, 11.5, 13.4, 10.4, 9.4, 12.5, 11.5,
    ];
    const r = mannWhitneyU(x, y);
    expect(r.method).toBe('normal');
    expect(r.u).toBe(528.5);
    expect(r.pLess).toBeCloseTo(0.03461384061896124, 6);
    expect(r.pGreater).toBeCloseTo(0.9661919163983886, 6);
  });

  it('exact p-values equal a brute-force enumeration on seeded random samples with ties', () => {
    const random = new SeededRandom(7);
    for (let round = 0; round < 40; round++) {
      const n1 = 1 + random.int(6);
      const n2 = 1 + random.int(6);
      const draw = () => random.int(6); // few distinct values: many ties
      const x = Array.from({ length: n1 }, draw);
      const y = Array.from({ length: n2 }, draw);
      const r = mannWhitneyU(x, y);
      const expected = bruteForceTails(x, y);
      expect(r.pGreater, `${x} vs ${y}`).toBeCloseTo(expected.pGreater, 12);
      expect(r.pLess, `${x} vs ${y}`).toBeCloseTo(expected.pLess, 12);
    }
  });

  it('identical samples give no evidence either way', () => {
    const r = mannWhitneyU([5, 6, 7, 8], [5, 6, 7, 8]);
    expect(r.pGreater).toBeGreaterThan(0.5);
    expect(r.pLess).toBeGreaterThan(0.5);
    expect(r.pTwoSided).toBe(1);
    const allEqual = mannWhitneyU([3, 3, 3], [3, 3, 3]);
    expect([allEqual.pGreater, allEqual.pLess]).toEqual([1, 1]);
    const allEqualNormal = mannWhitneyU([3, 3, 3], [3, 3, 3], { method: 'normal' });
    expect([allEqualNormal.pGreater, allEqualNormal.pLess]).toEqual([1, 1]);
  });

  it('rejects empty and non-finite samples', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(/at least one value/);
    expect(() => mannWhitneyU([1, Number.NaN], [1])).toThrow(/finite/);
  });
});

describe('minAttainablePValue', () => {
  it('is 1 / C(n1 + n2, n1)', () => {
    expect(minAttainablePValue(3, 3)).toBeCloseTo(1 / 20, 15);
    expect(minAttainablePValue(2, 3)).toBeCloseTo(1 / 10, 15);
    expect(minAttainablePValue(5, 5)).toBeCloseTo(1 / 252, 15);
    expect(minAttainablePValue(10, 4)).toBeCloseTo(1 / 1001, 15);
    expect(minAttainablePValue(0, 3)).toBe(1);
  });
});

describe('normal tail', () => {
  it('matches tabulated values of the standard normal distribution', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(1.959963984540054)).toBeCloseTo(0.025, 7);
    expect(normalUpperTail(1.6448536269514722)).toBeCloseTo(0.05, 7);
    expect(normalUpperTail(-1.6448536269514722)).toBeCloseTo(0.95, 7);
    expect(normalUpperTail(3) / 0.0013498980316301).toBeCloseTo(1, 6);
    expect(normalUpperTail(6) / 9.865876450377e-10).toBeCloseTo(1, 5);
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 7);
  });
});
