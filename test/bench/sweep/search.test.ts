import { describe, expect, it } from 'vitest';
import { findSustainable } from '../../../bench/sweep/index.js';

describe('sustainable-throughput search', () => {
  it('ramps up in quarters of the capacity, then bisects to the requested precision', async () => {
    const probed: number[] = [];
    const out = await findSustainable(async (rate) => (probed.push(rate), rate <= 37_000), {
      capacity: 80_000,
      precision: 0.05,
      floor: 100,
      canProbe: () => true,
    });
    expect(probed.slice(0, 2)).toEqual([20_000, 40_000]);
    expect(out.sustainable).not.toBeNull();
    expect(out.sustainable!).toBeLessThanOrEqual(37_000);
    expect(out.sustainable!).toBeGreaterThan(37_000 * 0.95);
    expect(out.summary).toMatch(/within 5 %/);
    // every probe after the ramp lies inside the bracket
    for (const r of probed.slice(2)) expect(r > 20_000 && r < 40_000).toBe(true);
  });

  it('ramps down when even a quarter of the capacity is not sustained', async () => {
    const probed: number[] = [];
    const out = await findSustainable(async (rate) => (probed.push(rate), rate <= 3_000), {
      capacity: 80_000,
      precision: 0.5,
      floor: 100,
      canProbe: () => true,
    });
    expect(probed.slice(0, 4)).toEqual([20_000, 10_000, 5_000, 2_500]);
    expect(out.sustainable).toBeGreaterThanOrEqual(2_500);
    expect(out.sustainable).toBeLessThanOrEqual(3_000);
  });

  it('stops when the budget runs out and reports the bracket it had', async () => {
    let probes = 0;
    const out = await findSustainable(async (rate) => rate <= 50_000, {
      capacity: 80_000,
      precision: 0.001,
      floor: 100,
      canProbe: () => probes++ < 4,
    });
    // 20k and 40k sustained, 60k not, then the bisection's 50k sustained: four probes, bracket [50k, 60k]
    expect(out.summary).toMatch(/budget exhausted; bracket \[50000, 60000\]/);
    expect(out.sustainable).toBe(50_000);
  });

  it('says so when nothing is sustained down to the floor, or when the capacity itself is', async () => {
    const none = await findSustainable(async () => false, { capacity: 8_000, precision: 0.05, floor: 100, canProbe: () => true });
    expect(none.sustainable).toBeNull();
    expect(none.summary).toMatch(/nothing sustained/);
    const all = await findSustainable(async () => true, { capacity: 8_000, precision: 0.05, floor: 100, canProbe: () => true });
    expect(all.sustainable).toBe(8_000);
    expect(all.summary).toMatch(/sustained every ramp rate/);
  });

  it('stops on a failed probe', async () => {
    const out = await findSustainable(async (rate) => (rate > 25_000 ? undefined : true), {
      capacity: 80_000,
      precision: 0.05,
      floor: 100,
      canProbe: () => true,
    });
    expect(out.sustainable).toBe(20_000);
    expect(out.summary).toMatch(/the trial at 40000 events\/s failed/);
  });
});
