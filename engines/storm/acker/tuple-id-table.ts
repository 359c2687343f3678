/**
 * A hash table keyed by 64-bit tuple ids (two 32-bit halves) with a few numeric fields per entry: the
 * acker's ledger (`AckObject` per root: XOR value, spout task, failed flag, start time) and the spout's
 * pending map (`TupleInfo` per root: partition, offset, start time), without an object per entry.
 *
 * Entries are 32-byte records in one buffer (array of structs: a lookup touches one cache line, which
 * matters when a hundred thousand trees are in flight): int32 slots `[keyHi, keyLo, a, b, c, d]` and one
 * float64 `f`. Open addressing with linear probing and backward-shift deletion (no tombstones), grown at
 * half load. The key 0:0 marks an empty slot; {@link MessageIdGenerator} never draws it.
 */
const MIN_CAPACITY = 64;
/** int32s per entry. */
const STRIDE = 8;
/** Field offsets within an entry's int32s. */
export const FIELD_A = 2;
export const FIELD_B = 3;
export const FIELD_C = 4;
export const FIELD_D = 5;

export class TupleIdTable {
  /** Entry `s` occupies `ints[s*8 .. s*8+7]`; its float is `floats[s*4 + 3]`. */
  ints: Int32Array;
  floats: Float64Array;
  private mask: number;
  private count = 0;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.mask = cap - 1;
    this.ints = new Int32Array(cap * STRIDE);
    this.floats = new Float64Array(this.ints.buffer);
  }

  /** Number of entries. */
  get size(): number {
    return this.count;
  }

  /** Index of entry `slot`'s first int32 (add FIELD_A..FIELD_D for its fields). */
  static base(slot: number): number {
    return slot << 3;
  }

  /** Index of entry `slot`'s float64 in {@link floats}. */
  static floatIndex(slot: number): number {
    return (slot << 2) + 3;
  }

  private home(hi: number, lo: number): number {
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /** The slot of `hi:lo`, or -1 when absent. */
  find(hi: number, lo: number): number {
    const ints = this.ints;
    const mask = this.mask;
    let i = this.home(hi, lo);
    for (;;) {
      const b = i << 3;
      const h = ints[b];
      const l = ints[b + 1];
      if (h === hi && l === lo) return i;
      if (h === 0 && l === 0) return -1;
      i = (i + 1) & mask;
    }
  }

  /** Inserts `hi:lo` (which must be absent) with zeroed fields; returns its slot. */
  insert(hi: number, lo: number): number {
    if ((this.count + 1) * 2 > this.mask + 1) this.resize((this.mask + 1) * 2);
    const ints = this.ints;
    const mask = this.mask;
    let i = this.home(hi, lo);
    while (ints[i << 3] !== 0 || ints[(i << 3) + 1] !== 0) i = (i + 1) & mask;
    const b = i << 3;
    ints[b] = hi;
    ints[b + 1] = lo;
    ints[b + 2] = 0;
    ints[b + 3] = 0;
    ints[b + 4] = 0;
    ints[b + 5] = 0;
    this.floats[(i << 2) + 3] = 0;
    this.count++;
    return i;
  }

  /** Removes the entry in `slot` (from {@link find}); later entries may move, so re-find after a removal. */
  removeAt(slot: number): void {
    const ints = this.ints;
    const mask = this.mask;
    let i = slot;
    for (;;) {
      let j = i;
      let moved = false;
      for (;;) {
        j = (j + 1) & mask;
        const bj = j << 3;
        if (ints[bj] === 0 && ints[bj + 1] === 0) break;
        const k = this.home(ints[bj], ints[bj + 1]);
        // Entry j may fill the hole at i only if its home is not cyclically within (i, j].
        const inRange = i <= j ? i < k && k <= j : i < k || k <= j;
        if (inRange) continue;
        ints.copyWithin(i << 3, bj, bj + STRIDE);
        i = j;
        moved = true;
        break;
      }
      if (!moved) break;
    }
    ints[i << 3] = 0;
    ints[(i << 3) + 1] = 0;
    this.count--;
  }

  /** Visits every entry's slot (do not insert or remove while visiting). */
  forEach(visit: (slot: number) => void): void {
    const ints = this.ints;
    for (let i = 0; i <= this.mask; i++) if (ints[i << 3] !== 0 || ints[(i << 3) + 1] !== 0) visit(i);
  }

  /** Removes everything; a table grown by a burst shrinks back. */
  clear(): void {
    if (this.count === 0) return;
    this.count = 0;
    if (this.mask + 1 > MIN_CAPACITY * 16) this.resize(MIN_CAPACITY);
    else this.ints.fill(0);
  }

  private resize(cap: number): void {
    const old = this.ints;
    const oldCap = this.mask + 1;
    const n = this.count;
    this.mask = cap - 1;
    this.ints = new Int32Array(cap * STRIDE);
    this.floats = new Float64Array(this.ints.buffer);
    this.count = 0;
    if (n === 0) return;
    const ints = this.ints;
    for (let j = 0; j < oldCap; j++) {
      const bj = j << 3;
      if (old[bj] === 0 && old[bj + 1] === 0) continue;
      let i = this.home(old[bj], old[bj + 1]);
      while (ints[i << 3] !== 0 || ints[(i << 3) + 1] !== 0) i = (i + 1) & this.mask;
      ints.set(old.subarray(bj, bj + STRIDE), i << 3);
      this.count++;
    }
  }
}
