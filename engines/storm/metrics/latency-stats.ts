/**
 * The engine's own latency figures (complete latency, as Storm's UI reports it) in the shared log-linear
 * histogram of the runtime: values in ms, fixed size, no allocation per value; summarized as the UI
 * shows them (count, mean, p50, p99, rounded to µs).
 */
import { LatencyHistogram, type SerializedHistogram } from '../../runtime/index.js';

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p99: number;
}

export class LatencyStats {
  constructor(private readonly histogram = new LatencyHistogram()) {}

  /** The histogram as JSON (a standalone worker sends its spouts' complete latency to the driver). */
  toJSON(): SerializedHistogram {
    return this.histogram.toJSON();
  }

  static fromJSON(s: SerializedHistogram): LatencyStats {
    return new LatencyStats(LatencyHistogram.fromJSON(s));
  }

  /** Records one latency (ms; negative values count as 0). */
  record(ms: number): void {
    this.histogram.record(ms);
  }

  /** Adds another histogram's values to this one. */
  merge(other: LatencyStats): void {
    this.histogram.merge(other.histogram);
  }

  get count(): number {
    return this.histogram.count;
  }

  /** count, mean, p50 and p99 in ms (rounded to µs); null when nothing was recorded. */
  summary(): LatencySummary | null {
    const h = this.histogram;
    if (h.count === 0) return null;
    return { count: h.count, mean: round(h.mean), p50: round(h.quantile(0.5)), p99: round(h.quantile(0.99)) };
  }

  /** The nearest-rank quantile (ms), within 1/256 relative of the exact value; NaN when empty. */
  quantile(q: number): number {
    return this.histogram.quantile(q);
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
