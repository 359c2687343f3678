/**
 * A small log-linear histogram for the engine's own latency figures (complete latency, as Storm's UI
 * reports it): values in ms, bucketed at µs resolution with 32 sub-buckets per power of two (relative
 * error under 3 %), fixed size, no allocation per value.
 */
const SUB_BITS = 5;
const SUB = 1 << SUB_BITS;
const BUCKETS = 40 * SUB;

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p99: number;
}

export class LatencyStats {
  private readonly counts = new Float64Array(BUCKETS);
  private n = 0;
  private sum = 0;

  /** Records one latency (ms; negative values count as 0). */
  record(ms: number): void {
    const us = ms > 0 ? ms * 1000 : 0;
    this.counts[indexOf(us)]++;
    this.n++;
    this.sum += ms > 0 ? ms : 0;
  }

  /** Adds another histogram's values to this one. */
  merge(other: LatencyStats): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] += other.counts[i];
    this.n += other.n;
    this.sum += other.sum;
  }

  get count(): number {
    return this.n;
  }

  /** count, mean, p50 and p99 in ms (rounded to µs); null when nothing was recorded. */
  summary(): LatencySummary | null {
    if (this.n === 0) return null;
    return { count: this.n, mean: round(this.sum / this.n), p50: round(this.quantile(0.5)), p99: round(this.quantile(0.99)) };
  }

  /** The value (ms) below which a fraction `q` of the recorded values lie (bucket midpoint). */
  quantile(q: number): number {
    const target = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= target) return midpointUs(i) / 1000;
    }
    return midpointUs(BUCKETS - 1) / 1000;
  }
}

function indexOf(us: number): number {
  if (us < SUB) return Math.floor(us);
  const exp = Math.floor(Math.log2(us)) - SUB_BITS + 1; // >= 1
  const sub = Math.floor(us / 2 ** exp) - SUB / 2; // 16..31 -> 0..15 after the first octave
  return Math.min(BUCKETS - 1, SUB + (exp - 1) * (SUB / 2) + sub);
}

function midpointUs(index: number): number {
  if (index < SUB) return index + 0.5;
  const k = index - SUB;
  const exp = Math.floor(k / (SUB / 2)) + 1;
  const sub = (k % (SUB / 2)) + SUB / 2;
  return (sub + 0.5) * 2 ** exp;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
