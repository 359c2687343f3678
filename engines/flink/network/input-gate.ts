/**
 * The consuming side of a network edge, as Flink's `SingleInputGate` and its `InputChannel`s: one channel
 * per producer subpartition, receiving buffers in order.
 *
 * Credit-based flow control: each channel owns `buffersPerChannel` exclusive buffers, announced to its
 * sender as initial credit; the gate shares `floatingBuffersPerGate` floating buffers among its channels.
 * Every buffer the sender hands over carries its backlog; when the channel's free buffers fall short of
 * `backlog + exclusive`, it takes floating buffers from the gate and announces them as credit. A consumed
 * buffer is recycled: an exclusive one (or a floating one still needed) becomes credit again, a floating
 * one no longer needed goes back to the gate for channels waiting for one. Without credit the sender
 * stops: a slow consumer stops exactly its producers.
 *
 * A channel between two TaskManagers is remote (its buffers are copied, as Netty copies them through a
 * socket); within a TaskManager it is local (the buffer is handed over). Both are credit-based here.
 */
import { RingQueue } from '../../runtime/index.js';
import type { BufferStats, NetworkBuffer } from './network-buffer.js';
import type { ConsumerChannel, ResultPartition } from './result-partition.js';

/** Where a channel's credits go: the producer's result partition, or (standalone) a proxy that sends them over the wire. */
export interface CreditTarget {
  addCredit(subpartition: number, credits: number): void;
}

export class InputChannel implements ConsumerChannel {
  /** Received buffers and events not yet taken by the task. */
  readonly queue = new RingQueue<NetworkBuffer>();
  /** Floating buffers this channel holds. */
  floating = 0;
  /** Data buffers received and not yet recycled. */
  queued = 0;
  /** The sender's backlog as last announced. */
  senderBacklog = 0;
  /** End of partition consumed. */
  ended = false;
  /** Queued in the gate's list of channels waiting for a floating buffer. */
  waitingForFloating = false;
  /** In the task's queue of channels with data. */
  enqueued = false;
  /** Index over all channels of the task's gates (for the watermark valve and barrier handling). */
  taskChannelIndex = -1;
  private partition: CreditTarget | undefined;
  private subpartition = -1;

  /**
   * @param gate the owning gate
   * @param index within the gate (= producer subtask for ALL_TO_ALL edges)
   * @param exclusive exclusive buffers (initial credit)
   * @param remote whether the producer runs in another TaskManager
   */
  constructor(
    readonly gate: SingleInputGate,
    readonly index: number,
    readonly exclusive: number,
    readonly remote: boolean,
    private readonly stats: BufferStats,
  ) {}

  /** Connects to the producer's subpartition and announces the initial credit. */
  connect(partition: ResultPartition, subpartition: number): void {
    partition.subpartitions[subpartition].consumer = this;
    this.connectTo(partition, subpartition);
  }

  /** Connects to a producer reached through `target` (in another thread or process) and announces the initial credit. */
  connectTo(target: CreditTarget, subpartition: number): void {
    this.partition = target;
    this.subpartition = subpartition;
    target.addCredit(subpartition, this.exclusive);
  }

  /** Free buffers: the credit the sender knows about. */
  get availableBuffers(): number {
    return this.exclusive + this.floating - this.queued;
  }

  onBuffer(buffer: NetworkBuffer, backlog: number): void {
    if (buffer.isBuffer) {
      if (this.remote) {
        buffer.bytes = buffer.bytes.slice(); // through the socket into this channel's own buffer
        this.stats.remoteBuffers++;
      }
      this.queued++;
    }
    this.queue.push(buffer);
    this.senderBacklog = backlog;
    if (backlog > 0) this.requestFloatingBuffers();
    if (!this.enqueued) this.gate.notifyChannelNonEmpty(this);
  }

  onSenderBacklog(backlog: number): void {
    this.senderBacklog = backlog;
    this.requestFloatingBuffers();
  }

  /** Takes floating buffers until `backlog + exclusive` are free, announcing each as credit. */
  requestFloatingBuffers(): void {
    if (this.ended) return;
    let gained = 0;
    while (this.availableBuffers < this.senderBacklog + this.exclusive) {
      if (!this.gate.takeFloatingBuffer()) {
        this.gate.waitForFloatingBuffer(this);
        break;
      }
      this.floating++;
      gained++;
    }
    if (gained > 0) this.partition!.addCredit(this.subpartition, gained);
  }

  /** The task took the next buffer or event off this channel. */
  poll(): NetworkBuffer | undefined {
    return this.queue.shift();
  }

  /** A data buffer has been consumed: its memory becomes credit again, or goes back to the gate. */
  recycle(): void {
    this.queued--;
    if (this.floating > 0 && this.availableBuffers > this.senderBacklog + this.exclusive) {
      this.floating--;
      this.gate.recycleFloatingBuffer();
    } else {
      this.partition!.addCredit(this.subpartition, 1);
    }
  }

  /** End of partition consumed: floating buffers go back to the gate. */
  markEnded(): void {
    this.ended = true;
    while (this.floating > 0) {
      this.floating--;
      this.gate.recycleFloatingBuffer();
    }
  }
}

export class SingleInputGate {
  readonly channels: InputChannel[] = [];
  /** Floating buffers not held by any channel. */
  floatingAvailable: number;
  private readonly waiting = new RingQueue<InputChannel>();
  /** Called when a channel goes from empty to holding data (the task's input processor). */
  onChannelData: (channel: InputChannel) => void = () => {};

  /**
   * @param name e.g. `split -> count (2/3) input 0`
   * @param typeNumber which input of the head operator this gate feeds (0, or 1 for a join's right side)
   * @param floatingBuffers floating buffers of the gate
   */
  constructor(
    readonly name: string,
    readonly typeNumber: number,
    readonly floatingBuffers: number,
  ) {
    this.floatingAvailable = floatingBuffers;
  }

  addChannel(exclusive: number, remote: boolean, stats: BufferStats): InputChannel {
    const ch = new InputChannel(this, this.channels.length, exclusive, remote, stats);
    this.channels.push(ch);
    return ch;
  }

  notifyChannelNonEmpty(channel: InputChannel): void {
    this.onChannelData(channel);
  }

  takeFloatingBuffer(): boolean {
    if (this.floatingAvailable === 0) return false;
    this.floatingAvailable--;
    return true;
  }

  waitForFloatingBuffer(channel: InputChannel): void {
    if (channel.waitingForFloating) return;
    channel.waitingForFloating = true;
    this.waiting.push(channel);
  }

  /** A floating buffer comes back: channels waiting for one get it first. */
  recycleFloatingBuffer(): void {
    this.floatingAvailable++;
    while (this.floatingAvailable > 0 && this.waiting.size > 0) {
      const ch = this.waiting.shift() as InputChannel;
      ch.waitingForFloating = false;
      ch.requestFloatingBuffers();
    }
  }
}
