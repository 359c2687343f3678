/**
 * Decimation of long time series before they are embedded: a 1-hour run sampled every second has 3600
 * points per series, and a report with dozens of series must still open fast and stay small.
 */

/** A chart point; `y: null` is a gap (no value in that interval). */
export interface Point {
  x: number;
  y: number | null;
}

/** Most points a time series keeps in the report. */
export const MAX_SERIES_POINTS = 500;

/**
 * Min-max decimation: at most `maxPoints` points, in x order. The series is cut into `maxPoints / 2`
 * runs of consecutive points; each run keeps its lowest and its highest point, so spikes (a GC pause,
 * a latency peak) survive, which averaging or plain striding would hide. A run with no values keeps
 * one gap point, so long gaps stay gaps. Series no longer than `maxPoints` are returned unchanged.
 */
export function decimateMinMax<P extends Point>(points: readonly P[], maxPoints = MAX_SERIES_POINTS): P[] {
  if (points.length <= maxPoints) return points.slice();
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const out: P[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * points.length) / buckets);
    const to = Math.floor(((b + 1) * points.length) / buckets);
    let lo = -1;
    let hi = -1;
    for (let i = from; i < to; i++) {
      const y = points[i]!.y;
      if (y === null) continue;
      if (lo < 0 || y < points[lo]!.y!) lo = i;
      if (hi < 0 || y > points[hi]!.y!) hi = i;
    }
    if (lo < 0) {
      out.push(points[from]!);
    } else if (lo === hi) {
      out.push(points[lo]!);
    } else {
      out.push(points[Math.min(lo, hi)]!, points[Math.max(lo, hi)]!);
    }
  }
  return out;
}

/**
 * Keeps at most `max` items of a list, chosen by `score` within equal runs of consecutive items (the
 * highest score of each run survives): for bar charts such as a batch timeline, where each bar is an
 * item and the worst one of a run matters most. Lists no longer than `max` are returned unchanged.
 */
export function decimateByMax<T>(items: readonly T[], max: number, score: (item: T) => number): T[] {
  if (items.length <= max) return items.slice();
  const out: T[] = [];
  for (let b = 0; b < max; b++) {
    const from = Math.floor((b * items.length) / max);
    const to = Math.floor(((b + 1) * items.length) / max);
    let best = from;
    for (let i = from + 1; i < to; i++) if (score(items[i]!) > score(items[best]!)) best = i;
    out.push(items[best]!);
  }
  return out;
}
