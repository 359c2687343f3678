/**
 * The source operator, as a Kafka source reader: subtask i of p owns the log partitions q with
 * `q % p == i`, reads them by offset in batches (one `ingestTime` per read batch), and pushes each record
 * into its chain. Several owned partitions are read in lockstep (entry k of each before entry k + 1), as
 * one consumer poll interleaves them.
 *
 * Offsets are committed to the log after reading when checkpointing is off; with checkpointing on, they
 * are part of the checkpoint and committed once it completes (`notifyCheckpointComplete`), so that a
 * restore can rewind to them. The source stops between two records as soon as its task's output is
 * unavailable: under backpressure it reads nothing more and the backlog stays in the log.
 */
import { MAX_WATERMARK, type EventLogReader, type LogBatch } from '../../api/index.js';
import type { OutputAvailability } from '../network/result-partition.js';
import { StreamOperator, type OperatorContext, type OperatorSnapshotFutures } from './stream-operator.js';

/** What one call to {@link SourceOperator.emitNext} ended with. */
export const MORE_AVAILABLE = 0;
export const NOTHING_AVAILABLE = 1;
export const END_OF_INPUT = 2;
export const BACKPRESSURED = 3;
export type SourceStatus = typeof MORE_AVAILABLE | typeof NOTHING_AVAILABLE | typeof END_OF_INPUT | typeof BACKPRESSURED;

/** Largest read per partition per poll (Kafka's max.poll.records is 500). */
export const MAX_POLL_RECORDS = 512;

export interface SourceSnapshot {
  /** `[partition, next offset to read]`. */
  readonly offsets: readonly (readonly [number, number])[];
}

export class SourceOperator extends StreamOperator {
  /** Owned log partitions. */
  readonly partitions: number[] = [];
  /** Next offset to read, per owned partition. */
  readonly offsets: number[] = [];
  private log: EventLogReader | undefined;
  private clock: OperatorContext['clock'] | undefined;
  private commitOnRead = true;
  private availability: OutputAvailability | undefined;
  private readonly batches: (LogBatch | undefined)[] = [];
  /** Offsets snapshotted per pending checkpoint, committed when it completes. */
  private readonly pendingCommits = new Map<number, number[]>();
  /** Records read from the log. */
  recordsRead = 0;

  override open(ctx: OperatorContext): void {
    const log = ctx.io.log;
    this.log = log;
    this.clock = ctx.clock;
    this.commitOnRead = ctx.config.checkpointInterval === null;
    for (let q = ctx.subtaskIndex; q < log.partitions; q += ctx.parallelism) {
      this.partitions.push(q);
      // A (re)started job without a checkpoint to restore resumes at the committed offsets.
      this.offsets.push(log.committedOffset?.(q) ?? log.startOffset(q));
      this.batches.push(undefined);
    }
  }

  /** The task's output availability: checked after every record. */
  setAvailability(availability: OutputAvailability): void {
    this.availability = availability;
  }

  collect(): void {
    throw new Error(`${this.name}: a source has no input`);
  }

  /** Reads and emits up to `budget` records. */
  emitNext(budget: number): SourceStatus {
    const log = this.log as EventLogReader;
    const availability = this.availability as OutputAvailability;
    if (this.partitions.length === 1) return this.emitSingle(log, availability, budget);
    return this.emitLockstep(log, availability, budget);
  }

  private emitSingle(log: EventLogReader, availability: OutputAvailability, budget: number): SourceStatus {
    const q = this.partitions[0];
    const batch = log.read(q, this.offsets[0], Math.min(budget, MAX_POLL_RECORDS));
    if (batch === undefined) return log.isClosed() ? END_OF_INPUT : NOTHING_AVAILABLE;
    const ingestTime = (this.clock as OperatorContext['clock']).now();
    const out = this.output;
    const { values, timestamps, index, count } = batch;
    let i = 0;
    while (i < count) {
      const ts = timestamps[index + i];
      out.collect(values[index + i], ts, ts, ingestTime);
      i++;
      if (availability.unavailable !== 0) break;
    }
    this.offsets[0] += i;
    this.recordsRead += i;
    if (this.commitOnRead) log.commit(q, this.offsets[0]);
    return i < count ? BACKPRESSURED : MORE_AVAILABLE;
  }

  private emitLockstep(log: EventLogReader, availability: OutputAvailability, budget: number): SourceStatus {
    const parts = this.partitions;
    if (parts.length === 0) return log.isClosed() ? END_OF_INPUT : NOTHING_AVAILABLE;
    const closed = log.isClosed();
    const batches = this.batches;
    // Entry k of every partition before entry k + 1; while the log is open, only as far as all have data.
    let n = Math.max(1, Math.min(MAX_POLL_RECORDS, Math.floor(budget / parts.length)));
    let widest = 0;
    for (let k = 0; k < parts.length; k++) {
      const batch = log.read(parts[k], this.offsets[k], n);
      if (batch === undefined && !closed) return NOTHING_AVAILABLE;
      batches[k] = batch;
      if (batch !== undefined) {
        if (!closed && batch.count < n) n = batch.count;
        if (batch.count > widest) widest = batch.count;
      }
    }
    if (widest === 0) return END_OF_INPUT;
    const rounds = closed ? widest : n;
    const ingestTime = (this.clock as OperatorContext['clock']).now();
    const out = this.output;
    const taken = new Array<number>(parts.length).fill(0);
    let stopped = false;
    for (let r = 0; r < rounds && !stopped; r++) {
      for (let k = 0; k < parts.length; k++) {
        const batch = batches[k];
        if (batch === undefined || r >= batch.count) continue;
        const ts = batch.timestamps[batch.index + r];
        out.collect(batch.values[batch.index + r], ts, ts, ingestTime);
        taken[k]++;
        if (availability.unavailable !== 0) {
          stopped = true;
          break;
        }
      }
    }
    for (let k = 0; k < parts.length; k++) {
      this.offsets[k] += taken[k];
      this.recordsRead += taken[k];
      if (this.commitOnRead) log.commit(parts[k], this.offsets[k]);
      batches[k] = undefined;
    }
    return stopped ? BACKPRESSURED : MORE_AVAILABLE;
  }

  /** Parks until some owned partition has data (or the log closes). */
  waitForData(wake: () => void): void {
    const log = this.log as EventLogReader;
    if (this.partitions.length === 0) {
      // Owns nothing: it only waits for the end of the input. Partition 0 wakes it when the log closes.
      log.waitForData(0, Number.MAX_SAFE_INTEGER, wake);
      return;
    }
    for (let k = 0; k < this.partitions.length; k++) log.waitForData(this.partitions[k], this.offsets[k], wake);
  }

  /** End of input: the final watermark, so that every window downstream fires. */
  emitFinalWatermark(): void {
    this.output.emitWatermark(MAX_WATERMARK);
  }

  /** Commits everything read: the job has finished with it. */
  commitAll(): void {
    const log = this.log as EventLogReader;
    for (let k = 0; k < this.partitions.length; k++) log.commit(this.partitions[k], this.offsets[k]);
  }

  /** Operator state: the offsets, copied in the synchronous part. */
  override snapshotState(): OperatorSnapshotFutures {
    return { kind: 'operator', state: this.currentOffsets() };
  }

  /** `[partition, next offset to read]` of every owned partition. */
  currentOffsets(): SourceSnapshot {
    return { offsets: this.partitions.map((q, k) => [q, this.offsets[k]] as const) };
  }

  /** Records the snapshot's offsets for commit on completion (called with the snapshot). */
  checkpointTaken(checkpointId: number): void {
    if (!this.commitOnRead) this.pendingCommits.set(checkpointId, this.offsets.slice());
  }

  override notifyCheckpointComplete(checkpointId: number): void {
    const offsets = this.pendingCommits.get(checkpointId);
    if (offsets === undefined) return;
    const log = this.log as EventLogReader;
    for (let k = 0; k < this.partitions.length; k++) log.commit(this.partitions[k], offsets[k]);
    // This and every older pending checkpoint are settled.
    for (const id of [...this.pendingCommits.keys()]) if (id <= checkpointId) this.pendingCommits.delete(id);
  }

  /** Rewinds owned partitions to the offsets of a completed checkpoint (any earlier parallelism). */
  override restoreState(snapshots: readonly unknown[]): void {
    const byPartition = new Map<number, number>();
    for (const s of snapshots as SourceSnapshot[]) for (const [q, offset] of s.offsets) byPartition.set(q, offset);
    for (let k = 0; k < this.partitions.length; k++) {
      const offset = byPartition.get(this.partitions[k]);
      if (offset !== undefined) this.offsets[k] = offset;
    }
  }
}
