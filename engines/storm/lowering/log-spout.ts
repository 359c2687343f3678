/**
 * The spout reading the run's event log, modelled on storm-kafka-client's `KafkaSpout`: each spout task
 * owns the partitions `p` with `p % tasks == taskIndex`, emits one tuple per log entry with the message id
 * `(partition, offset)`, and
 *
 * - on ack, advances the partition's {@link OffsetManager} and commits to the log what is fully processed
 *   (with no ackers every emit is acked at once, so it commits as it reads);
 * - on fail or timeout, schedules the offset for retry: the entry is read again from the log by offset
 *   and emitted as a new tree (at-least-once);
 * - when nothing is there, waits for the log, as a consumer's poll blocks.
 *
 * A record's emit time is the log timestamp, and so is its event time unless the spout fills the timestamp
 * field from the record (`stamp`: a `withTimestamps` right after the source); its ingest time is when it was
 * read.
 */
import { partitionExhausted, type EventLogReader, type LogBatch } from '../../api/index.js';
import { RingQueue } from '../../runtime/index.js';
import type { ISpout, SpoutOutputCollector, TopologyContext } from '../topology/components.js';
import type { Stamp } from './function-bolts.js';
import { OffsetManager } from './offset-manager.js';

/** Entries read from a partition at a time (a poll's worth). */
const READ_BATCH = 256;

export class LogSpout implements ISpout {
  private collector!: SpoutOutputCollector;
  private context!: TopologyContext;
  /** Owned partitions and, per owned partition: next offset, current batch and position in it. */
  private partitions: number[] = [];
  private offsets: number[] = [];
  private batches: (LogBatch | undefined)[] = [];
  private positions: number[] = [];
  private ingest: number[] = [];
  private managers: OffsetManager[] = [];
  private managerOf = new Map<number, OffsetManager>();
  private cursor = 0;
  private readonly retries = new RingQueue<number>(); // partition, offset pairs
  private waiting: boolean[] = [];
  private waiters: (() => void)[] = [];
  private wake: (() => void) | undefined;
  replayed = 0;

  constructor(
    private readonly log: EventLogReader,
    private readonly stamp: Stamp | null = null,
  ) {}

  open(context: TopologyContext, collector: SpoutOutputCollector): void {
    this.context = context;
    this.collector = collector;
    const n = context.componentTasks.length;
    for (let p = 0; p < this.log.partitions; p++) if (p % n === context.taskIndex) this.partitions.push(p);
    for (const [i, p] of this.partitions.entries()) {
      // A relaunched spout resumes where its consumer group committed (KafkaSpout's UNCOMMITTED_EARLIEST).
      const start = this.log.committedOffset?.(p) ?? this.log.startOffset(p);
      this.offsets.push(start);
      this.batches.push(undefined);
      this.positions.push(0);
      this.ingest.push(0);
      const m = new OffsetManager(start);
      this.managers.push(m);
      this.managerOf.set(p, m);
      this.waiting.push(false);
      this.waiters.push(() => {
        this.waiting[i] = false;
        this.wake?.();
      });
    }
  }

  nextTuple(): boolean {
    if (this.retries.size !== 0) return this.replay();
    const parts = this.partitions;
    for (let tries = 0; tries < parts.length; tries++) {
      const i = this.cursor;
      let b = this.batches[i];
      if (b === undefined || this.positions[i] >= b.count) {
        b = this.log.read(parts[i], this.offsets[i], READ_BATCH);
        this.batches[i] = b;
        this.positions[i] = 0;
        if (b === undefined) {
          this.cursor = i + 1 === parts.length ? 0 : i + 1;
          continue;
        }
        this.ingest[i] = this.context.clock.now();
      }
      const k = b.index + this.positions[i]++;
      const offset = this.offsets[i]++;
      const ts = b.timestamps[k];
      this.managers[i].emitted(offset);
      // Rotate partitions per read batch, so that a task with several partitions reads them all.
      if (this.positions[i] >= b.count) this.cursor = i + 1 === parts.length ? 0 : i + 1;
      const value = b.values[k];
      this.collector.emit(value, this.stamp === null ? ts : this.stamp(value), ts, this.ingest[i], parts[i], offset);
      return true;
    }
    return false;
  }

  private replay(): boolean {
    const p = this.retries.shift() as number;
    const offset = this.retries.shift() as number;
    const b = this.log.read(p, offset, 1);
    if (b === undefined) throw new Error(`partition ${p}: offset ${offset} to replay is not in the log`);
    this.replayed++;
    const ts = b.timestamps[b.index];
    const value = b.values[b.index];
    this.collector.emit(value, this.stamp === null ? ts : this.stamp(value), ts, this.context.clock.now(), p, offset);
    return true;
  }

  ack(partition: number, offset: number): void {
    const m = this.managerOf.get(partition) as OffsetManager;
    if (m.ack(offset)) this.log.commit(partition, m.committed);
  }

  fail(partition: number, offset: number, _timedOut: boolean): void {
    this.retries.push(partition);
    this.retries.push(offset);
  }

  waitForData(wake: () => void): void {
    this.wake = wake;
    const parts = this.partitions;
    for (let i = 0; i < parts.length; i++) {
      if (this.waiting[i] || partitionExhausted(this.log, parts[i], this.offsets[i])) continue;
      this.waiting[i] = true;
      this.log.waitForData(parts[i], this.offsets[i], this.waiters[i]);
    }
  }

  isExhausted(): boolean {
    if (this.retries.size !== 0 || !this.log.isClosed()) return false;
    for (let i = 0; i < this.partitions.length; i++) {
      if (!partitionExhausted(this.log, this.partitions[i], this.offsets[i])) return false;
    }
    return true;
  }

  /** Entries emitted but not yet committed, over the owned partitions. */
  get uncommitted(): number {
    return this.managers.reduce((n, m) => n + m.uncommitted, 0);
  }
}
