/**
 * Zipf-distributed ranks: rank r in [0, n) with probability proportional to 1 / (r + 1)^exponent. The CDF
 * is computed once, sampling is a binary search: O(log n) and no allocation.
 */
import type { SeededRandom } from '../../engines/api/index.js';

export class ZipfDistribution {
  private readonly cdf: Float64Array;

  constructor(
    readonly n: number,
    readonly exponent: number,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`zipf: n must be a positive whole number, got ${n}`);
    this.cdf = new Float64Array(n);
    let sum = 0;
    for (let r = 0; r < n; r++) this.cdf[r] = sum += 1 / Math.pow(r + 1, exponent);
    for (let r = 0; r < n; r++) this.cdf[r] /= sum;
  }

  /** A rank drawn with `random`. */
  sample(random: SeededRandom): number {
    const u = random.next();
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
