import { describe, expect, it } from 'vitest';
import { uniform as rng } from '../../support/prng.js';
import {
  HISTOGRAM_BUCKET_COUNT,
  HISTOGRAM_HIGHEST_US,
  LatencyHistogram,
  bucketLowerBoundUs,
  bucketWidthUs,
  nearestRank,
  type SerializedHistogram,
} from '../../../engines/runtime/latency-histogram.js';

/** Standard normal deviate by Box-Muller. */
function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

const N = 200_000;
/** Samples in ms, spanning sub-microsecond to minutes. */
const distributions: Record<string, (next: () => number) => number> = {
  'uniform 0-1 ms (linear range and its edge)': (next) => next(),
  'uniform 0-2 min': (next) => next() * 120_000,
  'exponential, mean 5 ms': (next) => -5 * Math.log(1 - next()),
  'lognormal, median 1 ms, sigma 3 (µs to minutes)': (next) => Math.exp(3 * gaussian(next)),
  'log-uniform 1 µs - 1 h': (next) => 1e-3 * Math.pow(3.6e9, next()),
};

function sample(name: string, seed: number): Float64Array {
  const next = rng(seed);
  const draw = distributions[name]!;
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) out[i] = draw(next);
  return out;
}

/** Exact nearest-rank quantile of sorted values. */
function exactQuantile(sorted: Float64Array, q: number): number {
  return sorted[nearestRank(q, sorted.length) - 1]!;
}

/** The documented bound: 1/256 relative, or 1 µs absolute for small values (plus float slack). */
function tolerance(exactMs: number): number {
  return Math.max(exactMs / 256, 0.001) * (1 + 1e-9);
}

function histogramOf(values: ArrayLike<number>): LatencyHistogram {
  const h = new LatencyHistogram();
  for (let i = 0; i < values.length; i++) h.record(values[i]!);
  return h;
}

/** Serialized form without the float sum, which depends on the order of additions. */
function exactPart(h: LatencyHistogram): Omit<SerializedHistogram, 'sum'> {
  const { sum: _sum, ...rest } = h.toJSON();
  return rest;
}

describe('nearestRank', () => {
  it('is ceil(q·count), at least 1, immune to binary rounding of q·count', () => {
    expect(nearestRank(0, 10)).toBe(1);
    expect(nearestRank(0.001, 10)).toBe(1);
    expect(nearestRank(0.5, 3)).toBe(2);
    expect(nearestRank(0.5, 4)).toBe(2);
    expect(nearestRank(0.9, 10)).toBe(9);
    expect(nearestRank(0.99, 200_000)).toBe(198_000); // 0.99 * 200000 = 198000.00000000003
    expect(nearestRank(1, 7)).toBe(7);
  });
});

describe('bucket layout', () => {
  it('is contiguous from 0 to 2^43 µs, 1 µs wide below 256 µs, 128 buckets per power of two above', () => {
    expect(bucketLowerBoundUs(0)).toBe(0);
    for (let i = 0; i + 1 < HISTOGRAM_BUCKET_COUNT; i++) {
      expect(bucketLowerBoundUs(i + 1)).toBe(bucketLowerBoundUs(i) + bucketWidthUs(i));
      // The relative-error bound rests on width <= lower / 128 outside the linear range.
      if (i >= 256) expect(bucketWidthUs(i) * 128).toBeLessThanOrEqual(bucketLowerBoundUs(i));
    }
    const last = HISTOGRAM_BUCKET_COUNT - 1;
    expect(bucketLowerBoundUs(last) + bucketWidthUs(last)).toBe(2 ** 43);
    expect(bucketWidthUs(255)).toBe(1);
    expect(bucketWidthUs(256)).toBe(2);
  });

  it('records every bucket midpoint into its own bucket (both index paths, around 2^32 µs too)', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < HISTOGRAM_BUCKET_COUNT; i++) h.record((bucketLowerBoundUs(i) + bucketWidthUs(i) / 2) / 1000);
    const expected: number[] = [];
    for (let i = 0; i < HISTOGRAM_BUCKET_COUNT; i++) expected.push(i, 1);
    expect(h.toJSON().buckets).toEqual(expected);
    expect(h.overflowCount).toBe(0);
  });

  it('reports the bucket midpoint clamped into [min, max]', () => {
    const h = new LatencyHistogram();
    h.recordMany(1000, 3);
    h.record(5000);
    // 1e6 µs lies in [999424, 1003520), 4096 µs wide: midpoint 1001472 µs.
    expect(h.quantile(0.5)).toBeCloseTo(1001.472, 9);
    expect(h.quantile(0.75)).toBeCloseTo(1001.472, 9);
    const single = new LatencyHistogram();
    single.recordMany(1000, 3); // midpoint 1001.472 is above max
    expect(single.quantile(0.5)).toBe(1000);
  });
});

describe('LatencyHistogram quantiles against exact nearest-rank quantiles', () => {
  const qs = [0, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999, 1];
  let seed = 1;
  for (const name of Object.keys(distributions)) {
    const s = seed++;
    it(`${name}: every quantile within 1/256 (or 1 µs)`, () => {
      const values = sample(name, s);
      const h = histogramOf(values);
      const sorted = Float64Array.from(values).sort();
      for (const q of qs) {
        const exact = exactQuantile(sorted, q);
        const got = h.quantile(q);
        expect(Math.abs(got - exact), `q=${q} exact=${exact} got=${got}`).toBeLessThanOrEqual(tolerance(exact));
      }
      expect(h.count).toBe(N);
      expect(h.min).toBeCloseTo(sorted[0]!, 12);
      expect(h.max / sorted[N - 1]!).toBeCloseTo(1, 12);
      expect(h.quantile(0)).toBe(h.min);
      expect(h.quantile(1)).toBe(h.max);
      const exactMean = values.reduce((a, b) => a + b, 0) / N;
      expect(h.mean / exactMean).toBeCloseTo(1, 9);
      const sum = h.summary();
      expect(sum).toEqual({
        count: N,
        p50: h.quantile(0.5),
        p90: h.quantile(0.9),
        p99: h.quantile(0.99),
        p999: h.quantile(0.999),
        max: h.max,
        min: h.min,
        mean: h.mean,
      });
    });
  }
});

describe('merge', () => {
  it('equals a histogram of the concatenated samples (exact buckets)', () => {
    const a = sample('lognormal, median 1 ms, sigma 3 (µs to minutes)', 11);
    const b = sample('exponential, mean 5 ms', 12);
    const ha = histogramOf(a);
    ha.record(-3);
    const hb = histogramOf(b);
    hb.record(1e15);
    const all = histogramOf([...a, -3, ...b, 1e15]);
    ha.merge(hb);
    expect(exactPart(ha)).toEqual(exactPart(all));
    expect(ha.toJSON().sum / all.toJSON().sum).toBeCloseTo(1, 12);
    expect(ha.summary().p99).toBe(all.summary().p99);
  });

  it('with an empty histogram changes nothing, in either direction', () => {
    const h = histogramOf([0.5, 2, 700]);
    const before = h.toJSON();
    h.merge(new LatencyHistogram());
    expect(h.toJSON()).toEqual(before);
    const e = new LatencyHistogram();
    e.merge(h);
    expect(e.toJSON()).toEqual(before);
  });
});

describe('serialization', () => {
  it('round-trips through JSON text exactly', () => {
    const h = histogramOf(sample('log-uniform 1 µs - 1 h', 21));
    h.record(-1);
    h.record(Infinity);
    const json = JSON.parse(JSON.stringify(h)) as SerializedHistogram;
    const back = LatencyHistogram.fromJSON(json);
    expect(back.toJSON()).toEqual(h.toJSON());
    expect(back.summary()).toEqual(h.summary());
    expect(back.negativeCount).toBe(1);
    expect(back.overflowCount).toBe(1);
  });

  it('is compact: unit, layout and a sparse [index, count] list', () => {
    const h = new LatencyHistogram();
    h.record(0.0123); // 12.3 µs: bucket 12
    h.record(0.0123);
    h.record(1); // 1000 µs: bucket 2, sub-bucket 250 -> index 2·128 + 250 = 506
    expect(h.toJSON()).toEqual({
      unit: 'us',
      significantBits: 8,
      count: 3,
      min: 0.0123 * 1000,
      max: 1000,
      sum: 0.0123 * 1000 + 0.0123 * 1000 + 1000,
      negativeCount: 0,
      overflowCount: 0,
      buckets: [12, 2, 506, 1],
    });
  });

  it('round-trips an empty histogram', () => {
    const back = LatencyHistogram.fromJSON(JSON.parse(JSON.stringify(new LatencyHistogram())) as SerializedHistogram);
    expect(back.count).toBe(0);
    expect(back.min).toBeNaN();
    expect(back.toJSON()).toEqual(new LatencyHistogram().toJSON());
  });

  it('rejects malformed input with a clear error', () => {
    const good = histogramOf([1, 2, 3]).toJSON();
    const bad = (patch: Record<string, unknown>): SerializedHistogram => ({ ...good, ...patch }) as unknown as SerializedHistogram;
    expect(() => LatencyHistogram.fromJSON(null as unknown as SerializedHistogram)).toThrow(/expected an object/);
    expect(() => LatencyHistogram.fromJSON(bad({ unit: 'ms' }))).toThrow(/unit must be 'us'/);
    expect(() => LatencyHistogram.fromJSON(bad({ significantBits: 7 }))).toThrow(/significantBits/);
    expect(() => LatencyHistogram.fromJSON(bad({ count: -1 }))).toThrow(/count must be/);
    expect(() => LatencyHistogram.fromJSON(bad({ count: 4 }))).toThrow(/add up to 3, but count is 4/);
    expect(() => LatencyHistogram.fromJSON(bad({ min: 'x' }))).toThrow(/min must be/);
    expect(() => LatencyHistogram.fromJSON(bad({ min: 5000, max: 1000 }))).toThrow(/min <= max/);
    expect(() => LatencyHistogram.fromJSON(bad({ buckets: [1, 2, 3] }))).toThrow(/flat/);
    expect(() => LatencyHistogram.fromJSON(bad({ buckets: [HISTOGRAM_BUCKET_COUNT, 3] }))).toThrow(/index/);
    expect(() => LatencyHistogram.fromJSON(bad({ buckets: [5, 1, 5, 2] }))).toThrow(/ascending/);
    expect(() => LatencyHistogram.fromJSON(bad({ buckets: [5, 0, 6, 3] }))).toThrow(/positive count/);
    expect(() => LatencyHistogram.fromJSON(bad({ negativeCount: 2, overflowCount: 2 }))).toThrow(/exceeds count/);
  });
});

describe('clamping', () => {
  it('records negative values as 0 and counts them', () => {
    const h = new LatencyHistogram();
    h.record(-0.5);
    h.record(-Infinity);
    h.record(2);
    expect(h.negativeCount).toBe(2);
    expect(h.count).toBe(3);
    expect(h.min).toBe(0);
    expect(h.quantile(0.5)).toBeCloseTo(0.0005, 12); // bucket [0, 1) µs, midpoint 0.5 µs
    expect(h.mean).toBeCloseTo(2 / 3, 12);
  });

  it('records values beyond 2^43 µs as the highest value and counts them; 2^42 µs is in range', () => {
    const h = new LatencyHistogram();
    h.record(2 ** 42 / 1000);
    expect(h.overflowCount).toBe(0);
    expect(Math.abs(h.quantile(0.5) - 2 ** 42 / 1000)).toBeLessThanOrEqual(tolerance(2 ** 42 / 1000));
    h.record(1e12);
    h.record(Infinity);
    expect(h.overflowCount).toBe(2);
    expect(h.count).toBe(3);
    expect(h.max).toBe(HISTOGRAM_HIGHEST_US / 1000);
    expect(Number.isFinite(h.mean)).toBe(true);
    expect(h.toJSON().buckets).toEqual([HISTOGRAM_BUCKET_COUNT - 128, 1, HISTOGRAM_BUCKET_COUNT - 1, 2]);
  });

  it('turns -0 into 0', () => {
    const h = new LatencyHistogram();
    h.record(-0);
    expect(Object.is(h.min, 0)).toBe(true);
    expect(h.negativeCount).toBe(0);
  });

  it('throws on NaN, a missing timestamp upstream', () => {
    expect(() => new LatencyHistogram().record(NaN)).toThrow(RangeError);
  });
});

describe('empty histogram', () => {
  it('has count 0 and NaN statistics', () => {
    const h = new LatencyHistogram();
    expect(h.count).toBe(0);
    expect(h.min).toBeNaN();
    expect(h.max).toBeNaN();
    expect(h.mean).toBeNaN();
    expect(h.quantile(0)).toBeNaN();
    expect(h.quantile(0.5)).toBeNaN();
    expect(h.quantile(1)).toBeNaN();
    const s = h.summary();
    expect(s.count).toBe(0);
    for (const k of ['p50', 'p90', 'p99', 'p999', 'max', 'min', 'mean'] as const) expect(s[k]).toBeNaN();
    expect(h.toJSON()).toMatchObject({ count: 0, min: 0, max: 0, sum: 0, buckets: [] });
  });

  it('rejects q outside [0, 1]', () => {
    const h = histogramOf([1]);
    expect(() => h.quantile(-0.01)).toThrow(RangeError);
    expect(() => h.quantile(1.01)).toThrow(RangeError);
    expect(() => h.quantile(NaN)).toThrow(RangeError);
  });

  it('reset returns to empty and the histogram stays usable', () => {
    const h = histogramOf([1, -1, 1e15, 30]);
    h.reset();
    expect(h.toJSON()).toEqual(new LatencyHistogram().toJSON());
    h.record(7);
    expect(h.quantile(0.5)).toBe(7);
  });
});

describe('recordMany', () => {
  it('equals repeated record, clamping included', () => {
    const entries: [number, number][] = [
      [0.0123, 5],
      [1534.7, 3],
      [-2, 4],
      [1e13, 2],
      [42, 0],
      [0.7, 1],
    ];
    const many = new LatencyHistogram();
    const one = new LatencyHistogram();
    for (const [ms, n] of entries) {
      many.recordMany(ms, n);
      for (let i = 0; i < n; i++) one.record(ms);
    }
    expect(exactPart(many)).toEqual(exactPart(one));
    expect(many.mean).toBeCloseTo(one.mean, 9);
    expect(many.negativeCount).toBe(4);
    expect(many.overflowCount).toBe(2);
  });

  it('rejects a count that is not a non-negative integer', () => {
    const h = new LatencyHistogram();
    expect(() => h.recordMany(1, -1)).toThrow(RangeError);
    expect(() => h.recordMany(1, 1.5)).toThrow(RangeError);
    expect(() => h.recordMany(1, NaN)).toThrow(RangeError);
    expect(h.count).toBe(0);
  });
});
