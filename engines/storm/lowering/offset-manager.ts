/**
 * The committed offset of one log partition, as storm-kafka-client's `OffsetManager`: tuples are emitted
 * in offset order but acked in any order; the commit point advances over the longest run of acked offsets,
 * so that everything below it is fully processed and the log may drop it.
 */
export class OffsetManager {
  /** Acked flags of offsets `committed .. emittedEnd - 1`, in a ring (index = offset & mask). */
  private acked: Uint8Array;
  private mask: number;
  /** The first offset not yet acked: everything below is committed. */
  committed: number;
  /** One past the highest offset emitted. */
  private emittedEnd: number;

  constructor(start: number) {
    this.committed = start;
    this.emittedEnd = start;
    this.acked = new Uint8Array(1024);
    this.mask = 1023;
  }

  /** A first emission of `offset` (emissions of a partition come in order). */
  emitted(offset: number): void {
    if (offset < this.emittedEnd) return;
    this.emittedEnd = offset + 1;
    if (this.emittedEnd - this.committed > this.mask + 1) this.grow();
  }

  /** `offset`'s tuple tree completed; returns true when the commit point advanced. */
  ack(offset: number): boolean {
    if (offset < this.committed || offset >= this.emittedEnd) return false;
    const acked = this.acked;
    const mask = this.mask;
    acked[offset & mask] = 1;
    if (offset !== this.committed) return false;
    let c = this.committed;
    while (c < this.emittedEnd && acked[c & mask] === 1) {
      acked[c & mask] = 0;
      c++;
    }
    this.committed = c;
    return true;
  }

  /** Offsets emitted and not yet committed. */
  get uncommitted(): number {
    return this.emittedEnd - this.committed;
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    const next = new Uint8Array(size);
    for (let o = this.committed; o < this.emittedEnd - 1; o++) next[o & (size - 1)] = this.acked[o & this.mask];
    this.acked = next;
    this.mask = size - 1;
  }
}
