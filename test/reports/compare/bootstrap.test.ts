import { describe, expect, it } from 'vitest';
import { bootstrapMedianChange, median, quantileSorted } from '../../../reports/compare/index.js';

describe('median and quantiles', () => {
  it('interpolates like R type 7', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 12);
    expect(median([])).toBeUndefined();
  });
});

describe('bootstrapMedianChange', () => {
  const base = [100, 102, 98, 101, 99, 103, 97];
  const slower = base.map((v) => v * 1.25);

  it('is reproducible for a seed and differs between seeds', () => {
    const a = bootstrapMedianChange(base, slower, { seed: 3 });
    expect(bootstrapMedianChange(base, slower, { seed: 3 })).toEqual(a);
    const noisy = [90, 120, 100, 80, 130];
    expect(bootstrapMedianChange(noisy, base, { seed: 3 })).not.toEqual(bootstrapMedianChange(noisy, base, { seed: 4 }));
  });

  it('brackets a 25 % shift, tightly when the noise is small', () => {
    const ci = bootstrapMedianChange(base, slower, { confidence: 0.9 })!;
    expect(ci.low).toBeLessThanOrEqual(0.25);
    expect(ci.high).toBeGreaterThanOrEqual(0.25);
    expect(ci.low).toBeGreaterThan(0.15);
    expect(ci.high).toBeLessThan(0.35);
  });

  it('contains 0 for two samples of the same values', () => {
    const ci = bootstrapMedianChange(base, [...base].reverse())!;
    expect(ci.low).toBeLessThan(0);
    expect(ci.high).toBeGreaterThan(0);
  });

  it('is wide for wide noise', () => {
    const ci = bootstrapMedianChange([60, 140, 95, 180, 70], [150, 65, 120, 85, 190])!;
    expect(ci.high - ci.low).toBeGreaterThan(0.8);
  });

  it('has nothing to resample with one trial a side, and no relative change over a zero baseline', () => {
    expect(bootstrapMedianChange([1], [1, 2])).toBeUndefined();
    expect(bootstrapMedianChange([0, 0, 0], [1, 2, 3])).toBeUndefined();
    expect(() => bootstrapMedianChange([1, 2], [1, 2], { confidence: 1 })).toThrow(/confidence/);
  });
});
