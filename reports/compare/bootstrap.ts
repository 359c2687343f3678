/**
 * A seeded percentile bootstrap of the relative change of the median between two samples of trials:
 * median(current) / median(baseline) − 1, each sample resampled with replacement on its own. Seeded, so
 * that the same files always print the same interval.
 */
import { SeededRandom } from '../../engines/api/index.js';
import { quantileSorted } from './quantile.js';

export interface BootstrapOptions {
  /** Resamples drawn (default 2000). */
  resamples?: number;
  /** Two-sided confidence level in (0, 1) (default 0.9). */
  confidence?: number;
  /** PRNG seed (default 1). */
  seed?: number;
}

export interface ChangeInterval {
  /** Lower and upper bound of the relative change (0.1 = +10 %). */
  low: number;
  high: number;
  confidence: number;
}

/**
 * The interval, or undefined when either sample has fewer than two values (nothing to resample) or when
 * the baseline median of most resamples is 0 (no relative change exists).
 */
export function bootstrapMedianChange(
  baseline: readonly number[],
  current: readonly number[],
  options: BootstrapOptions = {},
): ChangeInterval | undefined {
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.9;
  if (!(confidence > 0 && confidence < 1)) throw new Error(`bootstrap: confidence ${confidence} is not in (0, 1)`);
  if (baseline.length < 2 || current.length < 2) return undefined;
  const random = new SeededRandom(options.seed ?? 1);
  const base = new Float64Array(baseline.length);
  const cur = new Float64Array(current.length);
  const changes: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const mb = resampledMedian(baseline, base, random);
    const mc = resampledMedian(current, cur, random);
    if (mb !== 0) changes.push(mc / mb - 1);
  }
  if (changes.length < resamples / 2) return undefined;
  const sorted = Float64Array.from(changes).sort();
  const tail = (1 - confidence) / 2;
  return { low: quantileSorted(sorted, tail), high: quantileSorted(sorted, 1 - tail), confidence };
}

/** Fills `into` with draws from `sample` and returns their median (`into` is reused between resamples). */
function resampledMedian(sample: readonly number[], into: Float64Array, random: SeededRandom): number {
  for (let i = 0; i < into.length; i++) into[i] = sample[random.int(sample.length)];
  into.sort();
  return quantileSorted(into, 0.5);
}
