/**
 * An executor's receive queue, as Storm 2's `JCQueue`: a bounded queue of
 * `topology.executor.receive.buffer.size` slots (a {@link BoundedChannel}) plus an unbounded overflow.
 *
 * - Producers in the same worker `offer`; when the queue is full they keep the tuple in their
 *   `pendingEmits` and park on `onWritable` (Storm 2 backpressure inside a worker).
 * - The worker's receive path (tuples from other workers) cannot refuse a tuple it has already taken off
 *   the network: it goes to the overflow, and the worker's BackPressureTracker tells every worker to stop
 *   sending to this task until the overflow has drained.
 *
 * Tuples from one sender keep their order: once the overflow holds anything, the receive path appends
 * there, and the consumer moves overflow tuples into the main queue as room frees up.
 */
import { BoundedChannel, RingQueue } from '../../runtime/index.js';
import type { Tuple } from './tuple.js';

export class ReceiveQueue {
  readonly main: BoundedChannel<Tuple>;
  private readonly overflow = new RingQueue<Tuple>();
  private overflowHwm = 0;
  private readerWake: (() => void) | undefined;
  /** A waiter is registered on the bounded queue. */
  private armed = false;

  /** @param capacity slots of the bounded queue */
  constructor(readonly capacity: number) {
    this.main = new BoundedChannel<Tuple>(capacity);
  }

  /** Appends from a producer in the same worker; false when full (the producer keeps the tuple). */
  offer(t: Tuple): boolean {
    return this.main.offer(t);
  }

  /** The next tuple, or undefined. */
  poll(): Tuple | undefined {
    if (this.overflow.size !== 0) this.refill();
    return this.main.poll();
  }

  /** From the worker's receive path: into the main queue if it has room and no overflow, else the overflow. */
  deliverRemote(t: Tuple): boolean {
    if (this.overflow.size === 0 && this.main.offer(t)) return true;
    this.overflow.push(t);
    if (this.overflow.size > this.overflowHwm) this.overflowHwm = this.overflow.size;
    const w = this.readerWake;
    if (w !== undefined) {
      this.readerWake = undefined;
      w();
    }
    return false;
  }

  /**
   * Calls `wake` once a tuple is there (at once if one is). The consumer may call this at every park
   * (woken meanwhile by a timer, say): only one waiter is ever registered on the bounded queue.
   */
  onReadable(wake: () => void): void {
    if (this.overflow.size !== 0) {
      wake();
      return;
    }
    this.readerWake = wake;
    if (!this.armed) {
      this.armed = true;
      this.main.onReadable(this.notifyReader);
    }
  }

  private readonly notifyReader = (): void => {
    this.armed = false;
    const w = this.readerWake;
    this.readerWake = undefined;
    w?.();
  };

  /** Calls `wake` once the bounded queue has room (at once if it has). */
  onWritable(wake: () => void): void {
    this.main.onWritable(wake);
  }

  /** Tuples queued, overflow included. */
  get size(): number {
    return this.main.size + this.overflow.size;
  }

  get overflowSize(): number {
    return this.overflow.size;
  }

  /** Share of the bounded queue in use (0..1; more with overflow). */
  get fill(): number {
    return this.size / this.capacity;
  }

  /** The largest number of tuples ever queued in the bounded queue. */
  get highWaterMark(): number {
    return this.main.highWaterMark;
  }

  get overflowHighWaterMark(): number {
    return this.overflowHwm;
  }

  private refill(): void {
    const main = this.main;
    const overflow = this.overflow;
    while (overflow.size !== 0 && !main.isFull) main.offer(overflow.shift() as Tuple);
  }
}
