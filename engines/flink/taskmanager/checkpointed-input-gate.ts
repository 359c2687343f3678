/**
 * The input side of a task with network inputs, as Flink's `CheckpointedInputGate` over its
 * `SingleInputGate`s: the channels of all input gates, numbered across gates; a FIFO of channels that have
 * data (one buffer per turn, so channels take turns); and channels blocked by barrier alignment, which
 * are skipped until unblocked.
 */
import { RingQueue } from '../../runtime/index.js';
import type { InputChannel, SingleInputGate } from '../network/input-gate.js';
import type { NetworkBuffer } from '../network/network-buffer.js';

export class CheckpointedInputGate {
  /** Every channel of every gate, by task channel index. */
  readonly channels: InputChannel[] = [];
  private readonly ready = new RingQueue<InputChannel>();
  private readonly blocked: boolean[];
  private ended = 0;
  private waiter: (() => void) | undefined;
  /** The channel of the buffer last returned by {@link pollNext}. */
  lastChannel: InputChannel | undefined;

  constructor(readonly gates: readonly SingleInputGate[]) {
    for (const gate of gates) {
      for (const ch of gate.channels) {
        ch.taskChannelIndex = this.channels.length;
        this.channels.push(ch);
      }
      gate.onChannelData = this.onChannelData;
    }
    this.blocked = new Array<boolean>(this.channels.length).fill(false);
    for (const ch of this.channels) if (ch.queue.size > 0) this.onChannelData(ch);
  }

  get numberOfChannels(): number {
    return this.channels.length;
  }

  /** Every channel has consumed its end of partition. */
  get isFinished(): boolean {
    return this.ended === this.channels.length;
  }

  private readonly onChannelData = (ch: InputChannel): void => {
    if (ch.enqueued || this.blocked[ch.taskChannelIndex]) return;
    ch.enqueued = true;
    this.ready.push(ch);
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      w();
    }
  };

  /** The next buffer or event of a channel that has one and is not blocked; undefined when none. */
  pollNext(): NetworkBuffer | undefined {
    const ready = this.ready;
    while (ready.size > 0) {
      const ch = ready.shift() as InputChannel;
      ch.enqueued = false;
      if (this.blocked[ch.taskChannelIndex]) continue;
      const buffer = ch.poll();
      if (buffer === undefined) continue;
      if (ch.queue.size > 0) {
        ch.enqueued = true;
        ready.push(ch);
      }
      this.lastChannel = ch;
      return buffer;
    }
    return undefined;
  }

  /** Calls `wake` once a channel has data (at once if one has). */
  onAvailable(wake: () => void): void {
    if (this.ready.size > 0) wake();
    else this.waiter = wake;
  }

  /** The last polled channel delivered its end of partition. */
  markEnded(ch: InputChannel): void {
    if (ch.ended) return;
    ch.markEnded();
    this.ended++;
  }

  blockChannel(index: number): void {
    this.blocked[index] = true;
  }

  unblockAllChannels(): void {
    for (let i = 0; i < this.blocked.length; i++) {
      if (!this.blocked[i]) continue;
      this.blocked[i] = false;
      if (this.channels[i].queue.size > 0) this.onChannelData(this.channels[i]);
    }
  }

  isBlocked(index: number): boolean {
    return this.blocked[index];
  }
}
