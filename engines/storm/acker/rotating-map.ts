/**
 * Storm's `RotatingMap`: entries live in a ring of buckets; new entries go into the newest bucket, and
 * `rotate()` drops the oldest bucket and returns it (its entries have expired). With `n` buckets rotated
 * every `T`, an entry expires between `(n - 1)·T` and `n·T` after insertion. The acker uses 3 buckets
 * (TIMEOUT_BUCKET_NUM), the spout's pending map 2 (SpoutExecutor).
 */
import { TupleIdTable } from './tuple-id-table.js';

export class RotatingMap {
  /** buckets[0] is the newest. */
  private buckets: TupleIdTable[];
  /** The bucket in which the last successful {@link find} found its key. */
  foundIn: TupleIdTable;

  constructor(readonly bucketCount: number) {
    if (!Number.isInteger(bucketCount) || bucketCount < 2)
      throw new RangeError(`a RotatingMap needs at least 2 buckets, got ${bucketCount}`);
    this.buckets = Array.from({ length: bucketCount }, () => new TupleIdTable());
    this.foundIn = this.buckets[0];
  }

  /** Entries over all buckets. */
  get size(): number {
    let n = 0;
    for (const b of this.buckets) n += b.size;
    return n;
  }

  /** The newest bucket: where {@link insert} puts entries. */
  get newest(): TupleIdTable {
    return this.buckets[0];
  }

  /** The slot of `hi:lo` in {@link foundIn}, or -1. Newest bucket first (where most lookups hit). */
  find(hi: number, lo: number): number {
    const b = this.buckets;
    for (let i = 0; i < b.length; i++) {
      const slot = b[i].find(hi, lo);
      if (slot >= 0) {
        this.foundIn = b[i];
        return slot;
      }
    }
    return -1;
  }

  /** Inserts an absent key into the newest bucket; returns its slot there. */
  insert(hi: number, lo: number): number {
    return this.buckets[0].insert(hi, lo);
  }

  /**
   * Drops the oldest bucket: `expire` visits each of its entries (table and slot), then the bucket is
   * cleared and becomes the newest.
   */
  rotate(expire?: (table: TupleIdTable, slot: number) => void): number {
    const oldest = this.buckets.pop() as TupleIdTable;
    const n = oldest.size;
    if (expire !== undefined && n > 0) oldest.forEach((slot) => expire(oldest, slot));
    oldest.clear();
    this.buckets.unshift(oldest);
    return n;
  }
}
