/**
 * A bounded FIFO between two tasks: Storm executor receive queues, Flink input channels, Spark task
 * queues. Being bounded is the point: a full channel is how backpressure reaches the producer, which
 * then parks with `onWritable(handle.wake)` instead of buffering without limit.
 */
import { RingQueue } from './ring-queue.js';

/** Calls every waiter of a one-shot list; a throwing waiter does not stop the others (first error rethrown). */
function callAll(waiters: (() => void)[]): void {
  let failed = false;
  let error: unknown;
  for (let i = 0; i < waiters.length; i++) {
    try {
      waiters[i]();
    } catch (err) {
      if (!failed) {
        failed = true;
        error = err;
      }
    }
  }
  if (failed) throw error;
}

/**
 * A ring buffer with a fixed capacity in items. Storage grows on demand up to the capacity, so a large
 * capacity costs memory only when it is used.
 *
 * Waiters (`onReadable`, `onWritable`) are one-shot: each is called once, then forgotten. If the
 * condition already holds when a waiter registers, it is called at once, synchronously, inside the
 * registration call, so a task can always write `channel.onReadable(handle.wake); return 'park'` without
 * racing: the scheduler's wake-while-running rule turns that park into a requeue.
 */
export class BoundedChannel<T> {
  private readonly items: RingQueue<T>;
  private closed = false;
  private hwm = 0;
  private readWaiters: (() => void)[] = [];
  private writeWaiters: (() => void)[] = [];

  /** @param capacity maximum number of queued items (a positive whole number). */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`channel capacity must be a positive whole number of items, got ${capacity}`);
    this.items = new RingQueue<T>(Math.min(capacity, 64));
  }

  /** Number of queued items. */
  get size(): number {
    return this.items.size;
  }

  /** Free slots. */
  get remaining(): number {
    return this.capacity - this.items.size;
  }

  get isFull(): boolean {
    return this.items.size >= this.capacity;
  }

  get isEmpty(): boolean {
    return this.items.size === 0;
  }

  /** The largest size the channel ever reached (items). */
  get highWaterMark(): number {
    return this.hwm;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Closed and empty: the reader has seen everything there will ever be. */
  get isDrained(): boolean {
    return this.closed && this.items.size === 0;
  }

  /**
   * Appends `item`; returns false (and keeps nothing) when the channel is full. Wakes reader waiters.
   * @throws Error after `close()`: a write after end-of-stream is an engine bug, not backpressure.
   */
  offer(item: T): boolean {
    if (this.closed) throw new Error('offer on a closed channel');
    const n = this.items.size;
    if (n >= this.capacity) return false;
    this.items.push(item);
    if (n + 1 > this.hwm) this.hwm = n + 1;
    if (this.readWaiters.length !== 0) this.notifyReaders();
    return true;
  }

  /** Removes and returns the oldest item; undefined when empty. Wakes writer waiters. */
  poll(): T | undefined {
    if (this.items.size === 0) return undefined;
    const item = this.items.shift();
    if (this.writeWaiters.length !== 0) this.notifyWriters();
    return item;
  }

  /** The oldest item without removing it; undefined when empty. */
  peek(): T | undefined {
    return this.items.peek();
  }

  /** Moves up to `max` items, oldest first, onto the end of `out`; returns how many. Wakes writer waiters. */
  drainTo(out: T[], max: number): number {
    const items = this.items;
    let n = 0;
    while (n < max && items.size > 0) {
      out.push(items.shift() as T);
      n++;
    }
    if (n > 0 && this.writeWaiters.length !== 0) this.notifyWriters();
    return n;
  }

  /**
   * No more offers. Queued items can still be read. Wakes reader waiters (they will see `isDrained` once
   * the items are gone) and writer waiters (so a producer parked on a full channel is not stranded).
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.readWaiters.length !== 0) this.notifyReaders();
    } finally {
      if (this.writeWaiters.length !== 0) this.notifyWriters();
    }
  }

  /**
   * Calls `wake` once, when an item arrives or the channel closes; at once (synchronously) if the
   * channel already has an item or is closed.
   */
  onReadable(wake: () => void): void {
    if (this.items.size > 0 || this.closed) wake();
    else this.readWaiters.push(wake);
  }

  /**
   * Calls `wake` once, when space frees up (after a poll or drain) or the channel closes; at once
   * (synchronously) if the channel has space or is closed.
   */
  onWritable(wake: () => void): void {
    if (this.items.size < this.capacity || this.closed) wake();
    else this.writeWaiters.push(wake);
  }

  // The list is swapped out before calling, so a waiter that re-registers lands in the fresh list and is
  // not called twice. Waiters exist only while a task is parked, so the fresh array is not a per-item cost.
  private notifyReaders(): void {
    const ws = this.readWaiters;
    this.readWaiters = [];
    callAll(ws);
  }

  private notifyWriters(): void {
    const ws = this.writeWaiters;
    this.writeWaiters = [];
    callAll(ws);
  }
}
