/**
 * Spark's BlockGenerator, one per receiver. Received records go into the current buffer; a RecurringTimer
 * every `spark.streaming.blockInterval` swaps the buffer out as a block into a bounded queue
 * (`spark.streaming.blockQueueSize` = 10); the block-pushing thread serializes each block, stores it in
 * the BlockManager with two replicas (MEMORY_AND_DISK_SER_2, the receiver default) and reports it to the
 * ReceiverTracker. When the queue is full, the timer cannot cut the next block and the receiver stops
 * adding records (Spark's timer thread blocks in `put` holding the generator's lock); when the memory
 * store is full, pushing waits for a batch to free blocks.
 */
import type { Runnable, TaskHandle, TaskResult } from '../../runtime/index.js';
import { RecordSerializer, RingQueue } from '../../runtime/index.js';
import type { StreamBlock } from '../rdd/block-manager.js';
import type { SparkContext } from '../spark-context.js';
import { RecurringTimer } from './recurring-timer.js';

/** spark.streaming.blockQueueSize */
export const BLOCK_QUEUE_SIZE = 10;
/** Bytes per serialized chunk of a block. */
const BLOCK_CHUNK_BYTES = 32 * 1024;

/** A cut block waiting to be pushed. */
interface PendingBlock {
  readonly id: string;
  readonly time: number;
  readonly values: unknown[];
  readonly logTimes: number[];
  readonly ingestTimes: number[];
  readonly untilOffsets: [number, number][];
}

export class BlockGenerator implements Runnable {
  private values: unknown[] = [];
  private logTimes: number[] = [];
  private ingestTimes: number[] = [];
  private untilOffsets = new Map<number, number>();
  private readonly queue = new RingQueue<PendingBlock>();
  private readonly timer: RecurringTimer;
  private readonly serializer = new RecordSerializer(BLOCK_CHUNK_BYTES);
  /** A tick found the queue full: the receiver waits until the block is cut. */
  private cutPending = false;
  private unblockWaiters: (() => void)[] = [];
  /** The block being serialized, and how far. */
  private pushing: PendingBlock | undefined;
  private pushedRecords = 0;
  private chunks: Uint8Array[] = [];
  /** Serialized, waiting for room in the memory store. */
  private storing: StreamBlock | undefined;
  private handle: TaskHandle | undefined;
  private stopped = false;
  private blockCount = 0;
  blocksPushed = 0;

  constructor(
    private readonly sc: SparkContext,
    readonly receiverId: number,
    private readonly blockIntervalMs: number,
    private readonly onPushBlock: (block: StreamBlock) => void,
  ) {
    this.timer = new RecurringTimer(sc.clock, blockIntervalMs, (time) => this.updateCurrentBuffer(time));
  }

  start(): void {
    this.timer.start(RecurringTimer.startTimeAfter(this.sc.clock.now(), this.blockIntervalMs));
    this.handle = this.sc.scheduler.spawn(`block-pushing-${this.receiverId}`, this);
  }

  /** A received record (hot path: three array pushes). */
  addData(value: unknown, logTime: number, ingestTime: number): void {
    this.values.push(value);
    this.logTimes.push(logTime);
    this.ingestTimes.push(ingestTime);
  }

  /** The receiver has read `partition` up to `untilOffset` into the current buffer. */
  noteOffset(partition: number, untilOffset: number): void {
    this.untilOffsets.set(partition, untilOffset);
  }

  /** True while a block could not be cut because the queue is full: the receiver must not add data. */
  get isBlocked(): boolean {
    return this.cutPending;
  }

  /** Calls `wake` once the generator is no longer blocked. */
  onUnblocked(wake: () => void): void {
    if (!this.cutPending) wake();
    else this.unblockWaiters.push(wake);
  }

  /** The receiver has no more data: cut what is buffered and stop the timer; pushing drains the queue. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.timer.stop();
    this.cut(this.sc.clock.now());
    this.handle?.wake();
  }

  /** Stopped and every block pushed to the tracker. */
  get idle(): boolean {
    return this.stopped && !this.cutPending && this.queue.size === 0 && this.pushing === undefined && this.storing === undefined;
  }

  /** Cancels the timer and the pusher without flushing (the run is being stopped). */
  shutdown(): void {
    this.stopped = true;
    this.timer.stop();
  }

  /** Records received but not yet in a pushed block. */
  get bufferedRecords(): number {
    let n = this.values.length;
    for (let i = 0; i < this.queue.size; i++) n += this.queue.at(i)!.values.length;
    if (this.pushing) n += this.pushing.values.length;
    return n;
  }

  private updateCurrentBuffer(time: number): void {
    if (this.values.length === 0) return;
    if (this.queue.size >= BLOCK_QUEUE_SIZE) {
      this.cutPending = true;
      return;
    }
    this.cut(time);
  }

  private cut(time: number): void {
    if (this.values.length === 0) return;
    const block: PendingBlock = {
      id: `input-${this.receiverId}-${this.blockCount++}`,
      time: time - this.blockIntervalMs,
      values: this.values,
      logTimes: this.logTimes,
      ingestTimes: this.ingestTimes,
      untilOffsets: [...this.untilOffsets],
    };
    this.values = [];
    this.logTimes = [];
    this.ingestTimes = [];
    this.untilOffsets = new Map();
    this.queue.push(block);
    this.handle?.wake();
  }

  /** The block-pushing thread: serialize, replicate, store, report; `budget` records per run. */
  run(budget: number): TaskResult {
    if (this.storing !== undefined) {
      if (!this.store(this.storing)) return 'park';
      this.storing = undefined;
    }
    if (this.pushing === undefined) {
      const next = this.queue.shift();
      if (next === undefined) return this.stopped ? 'done' : 'park';
      this.pushing = next;
      this.pushedRecords = 0;
      this.chunks = [];
      if (this.cutPending) {
        // The queue has room again: the timer's blocked cut goes through and the receiver resumes.
        this.cutPending = false;
        this.cut(this.sc.clock.now());
        const waiters = this.unblockWaiters;
        this.unblockWaiters = [];
        for (const w of waiters) w();
      }
    }
    const b = this.pushing;
    const ser = this.serializer;
    const end = Math.min(b.values.length, this.pushedRecords + budget);
    for (let i = this.pushedRecords; i < end; i++) {
      const t = b.logTimes[i];
      if (!ser.write(b.values[i], t, t, b.ingestTimes[i])) {
        this.chunks.push(ser.finish());
        ser.write(b.values[i], t, t, b.ingestTimes[i]);
      }
    }
    this.pushedRecords = end;
    if (end < b.values.length) return 'yield';
    if (!ser.isEmpty) this.chunks.push(ser.finish());
    let bytes = 0;
    for (const c of this.chunks) bytes += c.byteLength;
    const block: StreamBlock = {
      id: b.id,
      receiverId: this.receiverId,
      time: b.time,
      records: b.values.length,
      chunks: this.chunks,
      replica: this.chunks.map((c) => c.slice()),
      bytes,
      untilOffsets: b.untilOffsets,
    };
    this.pushing = undefined;
    this.chunks = [];
    if (!this.store(block)) {
      this.storing = block;
      return 'park';
    }
    return 'yield';
  }

  private store(block: StreamBlock): boolean {
    if (!this.sc.blockManager.putStreamBlock(block)) {
      this.sc.blockManager.waitForRoom(() => this.handle?.wake());
      return false;
    }
    this.blocksPushed++;
    this.onPushBlock(block);
    return true;
  }
}
