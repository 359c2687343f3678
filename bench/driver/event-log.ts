/**
 * The in-memory partitioned event log: the stand-in for a Kafka topic. The driver appends, engine sources
 * read by offset and may rewind to any retained offset. Storage is a list of fixed-size segments per
 * partition; a segment is dropped once every entry in it has been committed, so that memory follows the
 * backlog and not the run's length.
 */
import type { Clock, EventLogReader, LogBatch } from '../../engines/api/index.js';

/** Entries per segment: big enough that reads rarely straddle segments, small enough to free memory early. */
export const SEGMENT_SIZE = 4096;

interface Segment {
  /** Offset of entry 0 (a multiple of SEGMENT_SIZE). */
  readonly base: number;
  readonly values: unknown[];
  readonly timestamps: Float64Array;
}

interface Partition {
  segments: Segment[];
  /** Next offset to append. */
  end: number;
  /** Entries below this offset may be dropped. */
  committed: number;
  /** End offset at the last publish: readers are woken only for partitions that grew since. */
  publishedEnd: number;
  /** Highest offset + 1 ever read: counts each entry's first ingestion once, however often it is replayed. */
  readHigh: number;
  waiters: Array<() => void>;
}

export class EventLog implements EventLogReader {
  private readonly parts: Partition[];
  private closed = false;
  private appended = 0;
  private consumed = 0;
  /** When the last entry was first read (clock ms); NaN before any read. */
  lastFirstReadTime = Number.NaN;
  private lowWater: { level: number; callback: () => void } | undefined;

  constructor(
    readonly partitions: number,
    private readonly clock: Clock,
  ) {
    if (!Number.isInteger(partitions) || partitions < 1)
      throw new RangeError(`partitions must be a positive whole number, got ${partitions}`);
    this.parts = Array.from({ length: partitions }, () => ({
      segments: [],
      end: 0,
      committed: 0,
      publishedEnd: 0,
      readHigh: 0,
      waiters: [],
    }));
  }

  /** Appends one entry; readers waiting on the partition are woken by the next {@link publish}. */
  append(partition: number, value: unknown, timestamp: number): void {
    if (this.closed) throw new Error('append to a closed event log');
    const p = this.parts[partition];
    const index = p.end % SEGMENT_SIZE;
    let seg = p.segments[p.segments.length - 1];
    if (index === 0 || seg === undefined) {
      seg = { base: p.end, values: new Array(SEGMENT_SIZE), timestamps: new Float64Array(SEGMENT_SIZE) };
      p.segments.push(seg);
    }
    seg.values[index] = value;
    seg.timestamps[index] = timestamp;
    p.end++;
    this.appended++;
  }

  /** Wakes the readers of every partition that has new entries. Call after a batch of appends. */
  publish(): void {
    for (const p of this.parts) {
      const grew = p.end > p.publishedEnd;
      p.publishedEnd = p.end;
      if (p.waiters.length === 0 || (!grew && !this.closed)) continue;
      const waiters = p.waiters;
      p.waiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Marks the input complete and wakes every reader. */
  close(): void {
    this.closed = true;
    this.publish();
  }

  isClosed(): boolean {
    return this.closed;
  }

  read(partition: number, offset: number, max: number): LogBatch | undefined {
    const p = this.parts[partition];
    if (offset >= p.end || max <= 0) return undefined;
    const first = p.segments[0];
    if (first === undefined || offset < first.base) {
      throw new Error(`partition ${partition}: offset ${offset} was dropped (retained from ${first?.base ?? p.end})`);
    }
    const seg = p.segments[((offset - first.base) / SEGMENT_SIZE) | 0];
    const index = offset - seg.base;
    const count = Math.min(max, SEGMENT_SIZE - index, p.end - offset);
    const readEnd = offset + count;
    if (readEnd > p.readHigh) {
      this.consumed += readEnd - p.readHigh;
      p.readHigh = readEnd;
      this.lastFirstReadTime = this.clock.now();
      if (this.lowWater && this.backlog <= this.lowWater.level) {
        const { callback } = this.lowWater;
        this.lowWater = undefined;
        this.clock.defer(callback);
      }
    }
    return { offset, count, values: seg.values, timestamps: seg.timestamps, index };
  }

  /** Highest offset + 1 ever read in `partition`: every entry below it has been read at least once. */
  readEnd(partition: number): number {
    return this.parts[partition].readHigh;
  }

  /** The timestamp of the oldest entry never read, over all partitions; undefined when every entry has been read. */
  oldestUnreadTimestamp(): number | undefined {
    let oldest: number | undefined;
    for (const p of this.parts) {
      if (p.readHigh >= p.end) continue;
      const first = p.segments[0];
      const offset = Math.max(p.readHigh, first.base); // unread entries are never committed, so never dropped
      const seg = p.segments[((offset - first.base) / SEGMENT_SIZE) | 0];
      const ts = seg.timestamps[offset - seg.base];
      if (oldest === undefined || ts < oldest) oldest = ts;
    }
    return oldest;
  }

  endOffset(partition: number): number {
    return this.parts[partition].end;
  }

  startOffset(partition: number): number {
    const p = this.parts[partition];
    return p.segments[0]?.base ?? p.end;
  }

  committedOffset(partition: number): number {
    return Math.max(this.parts[partition].committed, this.startOffset(partition));
  }

  waitForData(partition: number, offset: number, wake: () => void): void {
    if (offset < this.parts[partition].end || this.closed) wake();
    else this.parts[partition].waiters.push(wake);
  }

  commit(partition: number, offset: number): void {
    const p = this.parts[partition];
    if (offset <= p.committed) return;
    p.committed = Math.min(offset, p.end);
    // Keep the segment being appended to; drop whole segments below the committed offset.
    let drop = 0;
    while (drop < p.segments.length - 1 && p.segments[drop].base + SEGMENT_SIZE <= p.committed) drop++;
    if (drop > 0) p.segments.splice(0, drop);
  }

  /** Entries appended so far, over all partitions. */
  get appendedCount(): number {
    return this.appended;
  }

  /** Entries read at least once, over all partitions. */
  get consumedCount(): number {
    return this.consumed;
  }

  /** Appended but never read. */
  get backlog(): number {
    return this.appended - this.consumed;
  }

  /** Entries held in memory (for checking that memory stays bounded). */
  get retainedEntries(): number {
    let n = 0;
    for (const p of this.parts) n += p.end - (p.segments[0]?.base ?? p.end);
    return n;
  }

  /** Calls `callback` (deferred) once the backlog has fallen to `level` or below. */
  onBacklogAtMost(level: number, callback: () => void): void {
    if (this.backlog <= level) this.clock.defer(callback);
    else this.lowWater = { level, callback };
  }
}
