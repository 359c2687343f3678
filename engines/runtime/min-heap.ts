/**
 * A binary min-heap of items keyed by a number, stable for equal keys: items with the same key pop in
 * the order they were pushed. Clocks and engines rely on that for deterministic firing of timers due at
 * the same time.
 *
 * Keys, insertion sequence numbers and items live in three parallel arrays, so a push allocates nothing
 * per item (no entry objects) once the arrays have grown.
 */
export class MinHeap<T> {
  private readonly keys: number[] = [];
  private readonly seqs: number[] = [];
  private readonly items: (T | undefined)[] = [];
  private n = 0;
  // Tie-breaker; 2^53 pushes are out of reach, so it never wraps.
  private nextSeq = 0;

  /** Number of items in the heap. */
  get size(): number {
    return this.n;
  }

  /** Adds `item` with priority `key` (smaller pops first; NaN is rejected because it breaks ordering). */
  push(key: number, item: T): void {
    if (key !== key) throw new RangeError('MinHeap key must not be NaN');
    let i = this.n++;
    const seq = this.nextSeq++;
    // Sift up: move parents down until the slot for the new entry is found, then write it once.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = this.keys[p];
      if (pk < key || (pk === key && this.seqs[p] < seq)) break;
      this.keys[i] = pk;
      this.seqs[i] = this.seqs[p];
      this.items[i] = this.items[p];
      i = p;
    }
    this.keys[i] = key;
    this.seqs[i] = seq;
    this.items[i] = item;
  }

  /** The smallest key, or Infinity when empty. */
  peekKey(): number {
    return this.n === 0 ? Infinity : this.keys[0];
  }

  /** The item with the smallest key, or undefined when empty. */
  peek(): T | undefined {
    return this.n === 0 ? undefined : this.items[0];
  }

  /** Removes and returns the item with the smallest key (the earliest pushed among equal keys). */
  pop(): T | undefined {
    if (this.n === 0) return undefined;
    const top = this.items[0];
    const last = --this.n;
    if (last > 0) this.siftDown(0, this.keys[last], this.seqs[last], this.items[last]);
    this.items[last] = undefined; // release the reference held by the vacated slot
    return top;
  }

  /**
   * Removes every item for which `predicate` is true and returns how many were removed, in O(n).
   * Used to purge cancelled timers in bulk; stability of the remaining items is kept.
   */
  removeWhere(predicate: (item: T) => boolean): number {
    let w = 0;
    for (let r = 0; r < this.n; r++) {
      const item = this.items[r] as T;
      if (predicate(item)) continue;
      this.keys[w] = this.keys[r];
      this.seqs[w] = this.seqs[r];
      this.items[w] = item;
      w++;
    }
    const removed = this.n - w;
    for (let i = w; i < this.n; i++) this.items[i] = undefined;
    this.n = w;
    // Floyd's heapify; sequence numbers are kept, so equal keys still pop in insertion order.
    for (let i = (w >> 1) - 1; i >= 0; i--) this.siftDown(i, this.keys[i], this.seqs[i], this.items[i]);
    return removed;
  }

  /** Removes everything. */
  clear(): void {
    for (let i = 0; i < this.n; i++) this.items[i] = undefined;
    this.n = 0;
  }

  /** Places (key, seq, item) at slot `i` or below, moving smaller children up. */
  private siftDown(i: number, key: number, seq: number, item: T | undefined): void {
    const n = this.n;
    const keys = this.keys;
    const seqs = this.seqs;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (keys[r] < keys[c] || (keys[r] === keys[c] && seqs[r] < seqs[c]))) c = r;
      const ck = keys[c];
      if (key < ck || (key === ck && seq < seqs[c])) break;
      keys[i] = ck;
      seqs[i] = seqs[c];
      this.items[i] = this.items[c];
      i = c;
    }
    keys[i] = key;
    seqs[i] = seq;
    this.items[i] = item;
  }
}
