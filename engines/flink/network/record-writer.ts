/**
 * `RecordWriter` and its channel selectors (Flink's `StreamPartitioner`s): which subpartition of the
 * result partition each record goes to. FORWARD has one subpartition; REBALANCE goes round robin; HASH
 * (Flink's `KeyGroupStreamPartitioner`) sends a record to the subtask owning its key's key group.
 */
import type { KeySelector } from '../../api/index.js';
import { hashKey } from '../../runtime/index.js';
import type { StreamPartitioner } from '../client/stream-graph.js';
import type { ResultPartition } from './result-partition.js';
import type { TaskEvent } from './network-buffer.js';

export interface ChannelSelector {
  selectChannel(value: unknown): number;
}

export class ForwardPartitioner implements ChannelSelector {
  selectChannel(): number {
    return 0;
  }
}

export class RebalancePartitioner implements ChannelSelector {
  private next: number;

  /** @param start the first channel (Flink starts at a random one; here the producer's subtask index). */
  constructor(
    private readonly channels: number,
    start: number,
  ) {
    this.next = (start % channels) - 1;
  }

  selectChannel(): number {
    if (++this.next >= this.channels) this.next = 0;
    return this.next;
  }
}

export class KeyGroupStreamPartitioner implements ChannelSelector {
  constructor(
    private readonly key: KeySelector<unknown>,
    private readonly maxParallelism: number,
    private readonly channels: number,
  ) {}

  selectChannel(value: unknown): number {
    const key = this.key(value);
    // One consumer owns every key group: the hash below could only say 0. (The consumer still hashes the
    // key into its key group for its keyed state, as Flink's setCurrentKey does.)
    if (this.channels === 1) return 0;
    // assignKeyToParallelOperator: keyGroup = hash % maxParallelism; operator = keyGroup * p / maxParallelism.
    const keyGroup = hashKey(key) % this.maxParallelism;
    return ((keyGroup * this.channels) / this.maxParallelism) | 0;
  }
}

export function channelSelectorFor(partitioner: StreamPartitioner, channels: number, producerSubtask: number): ChannelSelector {
  switch (partitioner.kind) {
    case 'forward':
      if (channels !== 1) throw new Error(`a forward partitioner has one channel, not ${channels}`);
      return new ForwardPartitioner();
    case 'rebalance':
      return new RebalancePartitioner(channels, producerSubtask);
    case 'hash':
      return new KeyGroupStreamPartitioner(partitioner.key, partitioner.maxParallelism, channels);
  }
}

export class RecordWriter {
  constructor(
    readonly partition: ResultPartition,
    private readonly selector: ChannelSelector,
  ) {}

  emit(value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    this.partition.emitRecord(this.selector.selectChannel(value), value, eventTime, emitTime, ingestTime);
  }

  broadcastWatermark(watermark: number): void {
    this.partition.broadcastWatermark(watermark);
  }

  broadcastEvent(event: TaskEvent): void {
    this.partition.broadcastEvent(event);
  }

  flushAll(): void {
    this.partition.flushAll();
  }
}
