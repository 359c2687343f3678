import { describe, expect, it } from 'vitest';
import { findSustainable } from '../../../bench/sweep/index.js';

describe('sustainable-throughput search', () => {
  it('ramps up in factors of two, then bisects to the requested precision', async () => {
    const probed: number[] = [];
    const out = await findSustainable(async (rate) => (probed.push(rate), rate <= 37_000), { capacity: 80_000, precision: 0.05, floor: 100, canProbe: () => true });
    expect(probed.slice(0, 3)).toEqual([10_000, 20_000, 40_000]);
    expect(out.sustainable).not.toBeNull();
    expect(out.sustainable!).toBeLessThanOrEqual(37_000);
    expect(out.sustainable!).toBeGreaterThan(37_000 * 0.95);
    expect(out.summary).toMatch(/within 5 %/);
    // every probe after the ramp lies inside the bracket
    for (const r of probed.slice(3)) expect(r > 20_000 && r < 40_000).toBe(true);
  });

  it('ramps down when even an eighth of the capacity is not sustained', async () => {
    const probed: number[] = [];
    const out = await findSustainable(async (rate) => (probed.push(rate), rate <= 3_000), { capacity: 80_000, precision: 0.5, floor: 100, canProbe: () => true });
    expect(probed.slice(0, 3)).toEqual([10_000, 5_000, 2_500]);
    expect(out.sustainable).toBeGreaterThanOrEqual(2_500);
    expect(out.sustainable).toBeLessThanOrEqual(3_000);
  });

  it('stops when the budget runs out and reports the bracket it had', async () => {
    let probes = 0;
    const out = await findSustainable(async (rate) => rate <= 50_000, { capacity: 80_000, precision: 0.001, floor: 100, canProbe: () => probes++ < 5 });
    expect(out.summary).toMatch(/budget exhausted; bracket \[\d+, \d+\]/);
    // 10k, 20k, 40k sustained; 80k and 60k not: the budget ends with the bracket [40k, 60k]
    expect(out.sustainable).toBe(40_000);
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
    const out = await findSustainable(async (rate) => (rate > 15_000 ? undefined : true), { capacity: 80_000, precision: 0.05, floor: 100, canProbe: () => true });
    expect(out.sustainable).toBe(10_000);
    expect(out.summary).toMatch(/the trial at 20000 events\/s failed/);
  });
});
