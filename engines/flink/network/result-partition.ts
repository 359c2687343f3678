/**
 * The producing side of a network edge, as Flink's `ResultPartition`: one {@link ResultSubpartition} per
 * consumer channel. Records are serialized into the subpartition's current buffer (the codec's
 * RecordSerializer stands for the BufferBuilder); a buffer is finished and queued when it is full, when
 * the output flusher fires (buffer timeout), after every element when the timeout is 0, or when an event
 * (checkpoint barrier, end of partition) is written behind it.
 *
 * Credit-based flow control: a queued data buffer is handed to the consumer channel only while the
 * channel has announced credit (one per free buffer on the receiving side); events need none but never
 * overtake buffers. Buffers come from the partition's local pool of
 * `max(subpartitions + 1, subpartitions * buffersPerChannel + floatingBuffersPerGate)` (Flink's bounds
 * for a pipelined partition); a buffer returns to the pool once sent. While the pool is used up, or one subpartition
 * queues `maxBuffersPerChannel` buffers, the partition is unavailable and its task stops taking input:
 * backpressure. A task cannot stop in the middle of a record (or of a window firing), so what it writes
 * until then is held beyond the pool (Flink's overdraft buffers) and counted.
 */
import { RecordSerializer, RingQueue } from '../../runtime/index.js';
import { END_OF_PARTITION, NetworkBuffer, WATERMARK_TAG_TIME, serializeEvent, type BufferStats, type TaskEvent } from './network-buffer.js';

/** Why a buffer was finished. */
export const FLUSH_FULL = 0;
export const FLUSH_TIMEOUT = 1;
export const FLUSH_EVENT = 2;
type FlushReason = typeof FLUSH_FULL | typeof FLUSH_TIMEOUT | typeof FLUSH_EVENT;

/** The consumer side of one subpartition (an input channel). */
export interface ConsumerChannel {
  /** A buffer or event arrives; `backlog` is the number of data buffers still queued at the sender. */
  onBuffer(buffer: NetworkBuffer, backlog: number): void;
  /** The sender has `backlog` buffers queued and no credit (Flink's backlog announcement). */
  onSenderBacklog(backlog: number): void;
}

/**
 * Whether all result partitions of one task can take more output. The task checks it before taking input
 * and parks with {@link onAvailable} when it cannot.
 */
export class OutputAvailability {
  /** Partitions currently unavailable. */
  unavailable = 0;
  private waiters: (() => void)[] = [];

  get isAvailable(): boolean {
    return this.unavailable === 0;
  }

  /** Calls `wake` once all partitions are available (at once if they are). */
  onAvailable(wake: () => void): void {
    if (this.unavailable === 0) wake();
    else this.waiters.push(wake);
  }

  markUnavailable(): void {
    this.unavailable++;
  }

  markAvailable(): void {
    if (--this.unavailable > 0 || this.waiters.length === 0) return;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }
}

export class ResultSubpartition {
  readonly serializer: RecordSerializer;
  /** Finished buffers and events waiting to be sent, in order. */
  readonly queue = new RingQueue<NetworkBuffer>();
  /** Credits announced by the consumer channel and not used yet. */
  credit = 0;
  /** Data buffers in the queue. */
  backlog = 0;
  consumer: ConsumerChannel | undefined;
  /** Inside send(): a credit announced re-entrantly is picked up by the running loop. */
  sending = false;
  /** End of partition written. */
  finished = false;
  /** Records written to this subpartition. */
  records = 0;

  constructor(
    readonly index: number,
    bufferSize: number,
  ) {
    this.serializer = new RecordSerializer(bufferSize);
  }
}

export interface ResultPartitionOptions {
  /** Bytes per buffer. */
  readonly bufferSize: number;
  /** Buffers in the partition's local pool. */
  readonly poolSize: number;
  /** Buffers one subpartition may queue before the partition is unavailable. */
  readonly maxBuffersPerChannel: number;
  /** Buffer timeout 0: finish the buffer after every element. */
  readonly flushAlways: boolean;
}

export class ResultPartition {
  readonly subpartitions: ResultSubpartition[];
  /** Buffers taken from the pool: being filled, or finished and not yet sent. */
  buffersInUse = 0;
  /** Subpartitions queueing maxBuffersPerChannel or more. */
  private saturated = 0;
  private available = true;
  private readonly poolSize: number;
  private readonly maxBacklog: number;
  private readonly flushAlways: boolean;
  private readonly bufferSize: number;

  /**
   * @param name for errors and plans, e.g. `split -> count (1/3)`
   * @param numSubpartitions one per consumer channel
   */
  constructor(
    readonly name: string,
    numSubpartitions: number,
    opts: ResultPartitionOptions,
    private readonly stats: BufferStats,
    private readonly availability: OutputAvailability,
  ) {
    this.bufferSize = opts.bufferSize;
    this.poolSize = opts.poolSize;
    this.maxBacklog = opts.maxBuffersPerChannel;
    this.flushAlways = opts.flushAlways;
    this.subpartitions = Array.from({ length: numSubpartitions }, (_, i) => new ResultSubpartition(i, opts.bufferSize));
  }

  get numberOfSubpartitions(): number {
    return this.subpartitions.length;
  }

  get isAvailable(): boolean {
    return this.available;
  }

  /** Serializes one record into subpartition `index`'s current buffer (the hot path). */
  emitRecord(index: number, value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    const sub = this.subpartitions[index];
    const ser = sub.serializer;
    if (ser.recordCount === 0) this.requestBuffer();
    if (!ser.write(value, eventTime, emitTime, ingestTime)) {
      this.finishBuffer(sub, FLUSH_FULL);
      this.requestBuffer();
      ser.write(value, eventTime, emitTime, ingestTime); // an empty buffer takes any record
    }
    sub.records++;
    if (this.flushAlways) this.finishBuffer(sub, FLUSH_TIMEOUT);
  }

  /** Writes a watermark into every subpartition, in band (it does not flush, as in Flink). */
  broadcastWatermark(watermark: number): void {
    for (const sub of this.subpartitions) {
      const ser = sub.serializer;
      if (ser.recordCount === 0) this.requestBuffer();
      if (!ser.write(undefined, watermark, WATERMARK_TAG_TIME, WATERMARK_TAG_TIME)) {
        this.finishBuffer(sub, FLUSH_FULL);
        this.requestBuffer();
        ser.write(undefined, watermark, WATERMARK_TAG_TIME, WATERMARK_TAG_TIME);
      }
      if (this.flushAlways) this.finishBuffer(sub, FLUSH_TIMEOUT);
    }
  }

  /** Finishes every subpartition's buffer and queues the event behind it on every channel. */
  broadcastEvent(event: TaskEvent): void {
    for (const sub of this.subpartitions) {
      if (sub.finished) throw new Error(`${this.name}: event after end of partition`);
      if (sub.serializer.recordCount > 0) this.finishBuffer(sub, FLUSH_EVENT);
      sub.queue.push(serializeEvent(event));
      this.stats.events++;
      if (event.kind === END_OF_PARTITION) sub.finished = true;
      this.send(sub);
    }
  }

  /** The output flusher: finishes and sends every non-empty buffer. */
  flushAll(): void {
    for (const sub of this.subpartitions) {
      if (sub.serializer.recordCount > 0) this.finishBuffer(sub, FLUSH_TIMEOUT);
    }
  }

  /** Writes end of partition on every channel. */
  finish(): void {
    this.broadcastEvent({ kind: END_OF_PARTITION });
  }

  /** The consumer channel of `index` announces `credits` more free buffers. */
  addCredit(index: number, credits: number): void {
    const sub = this.subpartitions[index];
    sub.credit += credits;
    if (!sub.sending) this.send(sub);
  }

  /** Data buffers queued over all subpartitions (for tests and stats). */
  get queuedBuffers(): number {
    let n = 0;
    for (const sub of this.subpartitions) n += sub.backlog;
    return n;
  }

  private requestBuffer(): void {
    this.buffersInUse++;
    const over = this.buffersInUse - this.poolSize;
    if (over > this.stats.maxOverdraft) this.stats.maxOverdraft = over;
    if (this.buffersInUse >= this.poolSize) this.updateAvailability();
  }

  private finishBuffer(sub: ResultSubpartition, reason: FlushReason): void {
    const elements = sub.serializer.recordCount;
    const buffer = new NetworkBuffer(sub.serializer.finish(), true, elements);
    if (reason === FLUSH_FULL) this.stats.flushedFull++;
    else if (reason === FLUSH_TIMEOUT) this.stats.flushedByTimeout++;
    else this.stats.flushedByEvent++;
    sub.queue.push(buffer);
    if (++sub.backlog === this.maxBacklog) this.saturated++;
    this.send(sub);
    if (sub.credit === 0 && sub.backlog > 0) sub.consumer?.onSenderBacklog(sub.backlog);
    this.updateAvailability();
  }

  /** Hands queued buffers to the consumer while it has credit; events go without credit, in order. */
  private send(sub: ResultSubpartition): void {
    const consumer = sub.consumer;
    if (consumer === undefined) throw new Error(`${this.name}: subpartition ${sub.index} has no consumer`);
    sub.sending = true;
    try {
      const queue = sub.queue;
      while (queue.size > 0) {
        const head = queue.peek() as NetworkBuffer;
        if (head.isBuffer) {
          if (sub.credit === 0) break;
          sub.credit--;
          if (sub.backlog-- === this.maxBacklog) this.saturated--;
          this.buffersInUse--;
          const stats = this.stats;
          stats.sent++;
          stats.bytesSent += head.bytes.byteLength;
          stats.fillSum += head.bytes.byteLength / this.bufferSize;
        }
        queue.shift();
        consumer.onBuffer(head, sub.backlog);
      }
    } finally {
      sub.sending = false;
    }
    this.updateAvailability();
  }

  private updateAvailability(): void {
    const available = this.buffersInUse < this.poolSize && this.saturated === 0;
    if (available === this.available) return;
    this.available = available;
    if (available) this.availability.markAvailable();
    else this.availability.markUnavailable();
  }
}
