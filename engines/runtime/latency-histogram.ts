/**
 * A log-linear latency histogram in the HdrHistogram layout: fixed size, allocation-free recording,
 * exact merging, compact JSON.
 *
 * Latencies come in as milliseconds (fractional) and are bucketed at microsecond resolution:
 *
 * - below 256 µs every bucket is 1 µs wide, so values are exact to 1 µs;
 * - above, each power of two is split into 128 equal buckets (8 significant bits: 256 sub-buckets,
 *   of which every exponent after the first uses the upper half), so a bucket `[lo, lo + w)` always
 *   has `w <= lo / 128` and its midpoint is within `lo / 256` of anything in it: reported quantiles
 *   have a relative error of at most 1/256 (0.39 %).
 *
 * The trackable range is 0 to 2^43 µs (about 101.8 days). Larger values (and +Infinity) are recorded
 * as {@link HISTOGRAM_HIGHEST_US} and counted in `overflowCount`; negative values (clock skew) are
 * recorded as 0 and counted in `negativeCount`. NaN is a caller bug and throws.
 *
 * Indexes depend only on the 8-bit layout, never on the range, so serialized buckets stay valid if
 * the range is ever widened.
 */

/** Significant bits per power of two (256 sub-buckets). */
export const HISTOGRAM_SIGNIFICANT_BITS = 8;
/** Largest value the histogram stores (µs); larger inputs are clamped to it. 2^43 − 1 µs ≈ 101.8 days. */
export const HISTOGRAM_HIGHEST_US = 2 ** 43 - 1;
/** Number of bucket counters (the length of the counts array; valid serialized indexes are below it). */
export const HISTOGRAM_BUCKET_COUNT = (36 + 1) * 128;

/** Exclusive upper bound of the range (µs). */
const LIMIT_US = 2 ** 43;
const TWO_POW_32 = 2 ** 32;
/** 2^-k for every exponent, so that the slow path divides exactly by multiplying. */
const INV_POW2 = Float64Array.from({ length: 64 }, (_, k) => 2 ** -k);

/**
 * Counter index of an in-range value `us` (µs, `0 <= us < 2^43`, fractional allowed: it is floored).
 * Bucket `b` holds `[128·2^b, 256·2^b)` in steps of `2^b`; bucket 0 holds `[0, 256)` in steps of 1.
 * Counter index = `b·128 + floor(us / 2^b)`, which is the HDR `(b + 1)·128 + (sub − 128)`.
 */
function indexOfUs(us: number): number {
  if (us < TWO_POW_32) {
    const v = us >>> 0; // floor, exact below 2^32
    const b = 24 - Math.clz32(v | 255); // 0 for v < 256, else (highest set bit) − 7
    return (b << 7) + (v >>> b);
  }
  // Above 2^32 a uint32 cannot hold the value: find the exponent from the high word instead.
  const b = 56 - Math.clz32((us * INV_POW2[32]!) >>> 0);
  return (b << 7) + ((us * INV_POW2[b]!) >>> 0);
}

/** Lower bound (µs, inclusive) of the values counted at counter `index`. */
export function bucketLowerBoundUs(index: number): number {
  if (index < 256) return index;
  const b = (index >>> 7) - 1;
  return ((index & 127) + 128) * 2 ** b;
}

/** Width (µs) of the values counted at counter `index`: the bucket is `[lower, lower + width)`. */
export function bucketWidthUs(index: number): number {
  return index < 256 ? 1 : 2 ** ((index >>> 7) - 1);
}

/**
 * The nearest rank (1-based) of quantile `q` among `count` values: `max(1, ceil(q·count))`. A product
 * within 1e-9 (relative) of an integer counts as that integer, so that 0.99 × 200000 is rank 198000,
 * not 198001 because of binary rounding.
 */
export function nearestRank(q: number, count: number): number {
  const r = q * count;
  const nearest = Math.round(r);
  const rank = Math.abs(r - nearest) <= 1e-9 * Math.max(1, r) ? nearest : Math.ceil(r);
  return Math.min(count, Math.max(1, rank));
}

/** Compact serialized form. All values are microseconds (`unit: 'us'`). */
export interface SerializedHistogram {
  unit: 'us';
  significantBits: 8;
  /** Values recorded, including clamped ones. */
  count: number;
  /** Smallest and largest recorded value (µs, after clamping); both 0 when `count` is 0. */
  min: number;
  max: number;
  /** Sum of recorded values (µs, after clamping). */
  sum: number;
  negativeCount: number;
  overflowCount: number;
  /** Non-zero counters as a flat list `[index, count, index, count, ...]`, indexes ascending. */
  buckets: number[];
}

/** Quantile summary (ms). Every field but `count` is NaN when the histogram is empty. */
export interface HistogramSummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  min: number;
  mean: number;
}

export class LatencyHistogram {
  /** Counts per bucket: float64 so that counts stay exact up to 2^53 and merging never wraps. */
  private readonly counts = new Float64Array(HISTOGRAM_BUCKET_COUNT);
  private n = 0;
  // Stats are kept in µs, the serialized unit, so that a JSON round trip is exact.
  private minUs = Infinity;
  private maxUs = -Infinity;
  private sumUs = 0;
  private negatives = 0;
  private overflows = 0;

  /** Records one latency (ms). Does not allocate. Negative and huge values are clamped and counted. */
  record(ms: number): void {
    let us = ms * 1000 + 0; // + 0 turns -0 into 0
    if (!(us >= 0 && us < LIMIT_US)) us = this.clamp(us, 1);
    this.counts[indexOfUs(us)]++;
    this.n++;
    this.sumUs += us;
    if (us < this.minUs) this.minUs = us;
    if (us > this.maxUs) this.maxUs = us;
  }

  /**
   * Records `count` occurrences of a latency (ms), as `count` calls to {@link record} would (the sum
   * may differ in the last bits since it adds `ms × count` once).
   * @throws RangeError unless `count` is a non-negative safe integer.
   */
  recordMany(ms: number, count: number): void {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`recordMany: count must be a non-negative integer, got ${count}`);
    }
    if (count === 0) return;
    let us = ms * 1000 + 0;
    if (!(us >= 0 && us < LIMIT_US)) us = this.clamp(us, count);
    this.counts[indexOfUs(us)] += count;
    this.n += count;
    this.sumUs += us * count;
    if (us < this.minUs) this.minUs = us;
    if (us > this.maxUs) this.maxUs = us;
  }

  /** Out-of-range path of recording: counts the clamp and returns the value to store (µs). */
  private clamp(us: number, count: number): number {
    if (us < 0) {
      this.negatives += count;
      return 0;
    }
    if (us >= LIMIT_US) {
      this.overflows += count;
      return HISTOGRAM_HIGHEST_US;
    }
    // Only NaN gets here: a latency computed from a missing timestamp, which must not pass silently.
    throw new RangeError('LatencyHistogram: cannot record NaN');
  }

  /** Number of recorded values, clamped ones included. */
  get count(): number {
    return this.n;
  }

  /** Smallest recorded value (ms, after clamping); NaN when empty. */
  get min(): number {
    return this.n === 0 ? NaN : this.minUs / 1000;
  }

  /** Largest recorded value (ms, after clamping); NaN when empty. */
  get max(): number {
    return this.n === 0 ? NaN : this.maxUs / 1000;
  }

  /** Exact mean of the recorded values (ms, after clamping); NaN when empty. */
  get mean(): number {
    return this.n === 0 ? NaN : this.sumUs / this.n / 1000;
  }

  /** Values recorded as 0 because they were negative. */
  get negativeCount(): number {
    return this.negatives;
  }

  /** Values recorded as {@link HISTOGRAM_HIGHEST_US} because they were beyond the range. */
  get overflowCount(): number {
    return this.overflows;
  }

  /**
   * The nearest-rank quantile (ms): the smallest recorded value `v` with at least
   * {@link nearestRank}`(q, count)` values `<= v`, reported as the midpoint of `v`'s bucket clamped
   * into `[min, max]`, so within 1/256 relative (or 0.5 µs below 256 µs) of the exact value. Ranks 1
   * and `count` (including q = 0 and q = 1) return the exact min and max. NaN when empty.
   * @throws RangeError unless `0 <= q <= 1`.
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
    if (this.n === 0) return NaN;
    const rank = nearestRank(q, this.n);
    if (rank === 1) return this.min;
    if (rank === this.n) return this.max;
    const counts = this.counts;
    let seen = 0;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i]!;
      if (seen >= rank) {
        const mid = bucketLowerBoundUs(i) + bucketWidthUs(i) / 2;
        return Math.min(this.maxUs, Math.max(this.minUs, mid)) / 1000;
      }
    }
    return this.max; // unreachable while counts sum to n
  }

  /** The usual percentiles plus min, max and mean (ms); NaN fields when empty. */
  summary(): HistogramSummary {
    return {
      count: this.n,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      p999: this.quantile(0.999),
      max: this.max,
      min: this.min,
      mean: this.mean,
    };
  }

  /** Adds everything `other` recorded into this histogram (exact: bucket counts add). */
  merge(other: LatencyHistogram): void {
    const a = this.counts;
    const b = other.counts;
    for (let i = 0; i < a.length; i++) a[i] += b[i]!;
    this.n += other.n;
    this.sumUs += other.sumUs;
    if (other.minUs < this.minUs) this.minUs = other.minUs;
    if (other.maxUs > this.maxUs) this.maxUs = other.maxUs;
    this.negatives += other.negatives;
    this.overflows += other.overflows;
  }

  /** Forgets everything recorded; keeps the storage. */
  reset(): void {
    this.counts.fill(0);
    this.n = 0;
    this.minUs = Infinity;
    this.maxUs = -Infinity;
    this.sumUs = 0;
    this.negatives = 0;
    this.overflows = 0;
  }

  /** The compact serialized form (see {@link SerializedHistogram}). */
  toJSON(): SerializedHistogram {
    const buckets: number[] = [];
    const counts = this.counts;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] !== 0) buckets.push(i, counts[i]!);
    }
    const empty = this.n === 0;
    return {
      unit: 'us',
      significantBits: HISTOGRAM_SIGNIFICANT_BITS,
      count: this.n,
      min: empty ? 0 : this.minUs,
      max: empty ? 0 : this.maxUs,
      sum: this.sumUs,
      negativeCount: this.negatives,
      overflowCount: this.overflows,
      buckets,
    };
  }

  /**
   * Rebuilds a histogram from {@link toJSON} output (e.g. after `JSON.parse`).
   * @throws Error naming the first problem when `s` is not a consistent serialized histogram.
   */
  static fromJSON(s: SerializedHistogram): LatencyHistogram {
    const fail = (why: string): never => {
      throw new Error(`LatencyHistogram.fromJSON: ${why}`);
    };
    if (typeof s !== 'object' || s === null || Array.isArray(s)) fail('expected an object');
    const o = s as unknown as Record<string, unknown>;
    if (o.unit !== 'us') fail(`unit must be 'us', got ${JSON.stringify(o.unit)}`);
    if (o.significantBits !== HISTOGRAM_SIGNIFICANT_BITS) {
      fail(`significantBits must be ${HISTOGRAM_SIGNIFICANT_BITS}, got ${JSON.stringify(o.significantBits)}`);
    }
    const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
    for (const k of ['count', 'negativeCount', 'overflowCount'] as const) {
      if (!isCount(o[k])) fail(`${k} must be a non-negative integer, got ${JSON.stringify(o[k])}`);
    }
    for (const k of ['min', 'max', 'sum'] as const) {
      const v = o[k];
      if (typeof v !== 'number' || !(v >= 0 && v <= HISTOGRAM_HIGHEST_US * Math.max(1, s.count))) {
        fail(`${k} must be a number of µs in range, got ${JSON.stringify(v)}`);
      }
    }
    if (s.count > 0 && !(s.min <= s.max && s.max <= HISTOGRAM_HIGHEST_US)) {
      fail(`min (${s.min}) and max (${s.max}) must satisfy min <= max <= ${HISTOGRAM_HIGHEST_US}`);
    }
    if (s.count === 0 && s.sum !== 0) fail(`sum must be 0 when count is 0, got ${s.sum}`);
    if (s.negativeCount + s.overflowCount > s.count) fail('negativeCount + overflowCount exceeds count');
    const list = o.buckets;
    if (!Array.isArray(list) || list.length % 2 !== 0) fail('buckets must be a flat [index, count, ...] list');
    const h = new LatencyHistogram();
    let total = 0;
    let previous = -1;
    for (let i = 0; i < s.buckets.length; i += 2) {
      const index = s.buckets[i];
      const c = s.buckets[i + 1];
      if (!Number.isInteger(index) || index! <= previous || index! >= HISTOGRAM_BUCKET_COUNT) {
        fail(`buckets[${i}] = ${index} is not an ascending index below ${HISTOGRAM_BUCKET_COUNT}`);
      }
      if (!isCount(c) || c === 0) fail(`buckets[${i + 1}] = ${c} is not a positive count`);
      h.counts[index!] = c!;
      total += c!;
      previous = index!;
    }
    if (total !== s.count) fail(`bucket counts add up to ${total}, but count is ${s.count}`);
    h.n = s.count;
    h.minUs = s.count === 0 ? Infinity : s.min;
    h.maxUs = s.count === 0 ? -Infinity : s.max;
    h.sumUs = s.sum;
    h.negatives = s.negativeCount;
    h.overflows = s.overflowCount;
    return h;
  }
}
