/**
 * HdrHistogram-style percentile curves, computed from the serialized latency histograms of a results
 * file. The x value of quantile q is `1 / (1 − q)`, drawn on a log axis whose decades read 0 %, 90 %,
 * 99 %, 99.9 %... (HdrHistogram's `make_percentile_plot`, the `.hgrm` fourth column), so the tail gets
 * as much room as the median.
 */
import { LatencyHistogram, type SerializedHistogram } from '../../engines/runtime/index.js';
import type { Point } from './decimate.js';

/** Curve points per decade of `1 / (1 − q)`. */
const STEPS_PER_DECADE = 12;

/**
 * Smallest latency drawn (ms): the histogram's resolution, 1 µs. A log axis cannot show 0, and a
 * latency below 1 µs reads as "below the resolution" anyway.
 */
export const LATENCY_FLOOR_MS = 0.001;

/** Merges the histograms of several trials into one (exact: bucket counts add). */
export function mergeHistograms(histograms: readonly SerializedHistogram[]): LatencyHistogram {
  const merged = new LatencyHistogram();
  for (const h of histograms) merged.merge(LatencyHistogram.fromJSON(h));
  return merged;
}

/**
 * The percentile curve of all values in `histograms` (merged): points `{x: 1/(1−q), y: latency ms}`
 * for q from 0 in steps of 1/12 decade of x, up to the highest quantile the count resolves
 * (`x < count`), then the maximum at `x = count` (the rank of the last value). Empty when nothing was
 * recorded. Latencies below {@link LATENCY_FLOOR_MS} are drawn at it.
 */
export function percentileCurve(histograms: readonly SerializedHistogram[]): Point[] {
  const h = mergeHistograms(histograms);
  const count = h.count;
  if (count === 0) return [];
  const points: Point[] = [];
  const y = (ms: number) => Math.max(LATENCY_FLOOR_MS, ms);
  for (let k = 0; ; k++) {
    const x = 10 ** (k / STEPS_PER_DECADE);
    if (x >= count) break;
    points.push({ x: round(x), y: y(h.quantile(1 - 1 / x)) });
  }
  points.push({ x: Math.max(count, 1), y: y(h.max) });
  return points;
}

/** The quantile that an x value of the curve stands for: `1 − 1/x`. */
export function quantileOfX(x: number): number {
  return 1 - 1 / x;
}

function round(x: number): number {
  return Number(x.toPrecision(6));
}
