/**
 * An unbounded FIFO on a growable circular array: the queue under the scheduler's run queue, the mailbox,
 * deferred callbacks and bounded channels. `Array.prototype.shift` is O(n) once an array leaves V8's fast
 * path, and a linked list allocates a node per item; a ring does neither.
 */
export class RingQueue<T> {
  // Capacity is a power of two so that wrapping is a mask, not a modulo.
  private slots: (T | undefined)[];
  private mask: number;
  private head = 0;
  private count = 0;

  /** @param initialCapacity slots allocated up front (rounded up to a power of two, at least 4). */
  constructor(initialCapacity = 16) {
    let cap = 4;
    while (cap < initialCapacity) cap *= 2;
    this.slots = new Array<T | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
  }

  /** Number of queued items. */
  get size(): number {
    return this.count;
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }

  /** Appends at the tail; grows (doubling) when full. */
  push(item: T): void {
    if (this.count > this.mask) this.grow();
    this.slots[(this.head + this.count) & this.mask] = item;
    this.count++;
  }

  /** Removes and returns the head; undefined when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.slots[this.head];
    this.slots[this.head] = undefined; // drop the reference so the GC can take the item
    this.head = (this.head + 1) & this.mask;
    this.count--;
    return item;
  }

  /** The head without removing it; undefined when empty. */
  peek(): T | undefined {
    return this.count === 0 ? undefined : this.slots[this.head];
  }

  /** The item at position `i` from the head (0 = head); undefined when out of range. */
  at(i: number): T | undefined {
    return i >= 0 && i < this.count ? this.slots[(this.head + i) & this.mask] : undefined;
  }

  /** Removes everything (releasing references). */
  clear(): void {
    for (let i = 0; i < this.count; i++) this.slots[(this.head + i) & this.mask] = undefined;
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    const old = this.slots;
    const cap = old.length * 2;
    const next = new Array<T | undefined>(cap).fill(undefined);
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) & this.mask];
    this.slots = next;
    this.mask = cap - 1;
    this.head = 0;
  }
}
