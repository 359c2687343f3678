/** Medians and quantiles of small samples (R's default type 7: linear interpolation between order statistics). */

/** The q-quantile (0 ≤ q ≤ 1) of values sorted ascending. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The median of `values` (the mean of the two middle values for an even count); undefined when there are
 * none, so that an empty sample cannot pass as a figure. Every median in reports is this one.
 */
export function median(values: ArrayLike<number>): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  return quantileSorted(sorted, 0.5);
}
