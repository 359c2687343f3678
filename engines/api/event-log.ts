/**
 * What engines see of the run's event log: the stand-in for a partitioned Kafka topic. The driver
 * (bench/driver) appends; engine sources read by offset, may rewind to any retained offset, and commit
 * what they no longer need so that the log can drop it.
 */

/** A contiguous run of entries of one partition, read without copying. */
export interface LogBatch {
  /** Offset of the first entry. */
  readonly offset: number;
  /** Number of entries. */
  readonly count: number;
  /** Entries are `values[index] .. values[index + count - 1]`. */
  readonly values: readonly unknown[];
  /** Log timestamp of each entry (the driver's intended send time, ms since epoch), same indexing. */
  readonly timestamps: Float64Array;
  readonly index: number;
}

export interface EventLogReader {
  readonly partitions: number;
  /** Reads up to `max` entries of `partition` from `offset`; undefined when none are there yet. */
  read(partition: number, offset: number, max: number): LogBatch | undefined;
  /** The offset the next appended entry of `partition` will get. */
  endOffset(partition: number): number;
  /** The earliest offset of `partition` still retained. */
  startOffset(partition: number): number;
  /** True once the input is complete: nothing will ever be appended again. */
  isClosed(): boolean;
  /** Calls `wake` once, as soon as `partition` has an entry at `offset` or the log closes. */
  waitForData(partition: number, offset: number, wake: () => void): void;
  /**
   * The offset committed for `partition` (where a consumer restarting without its own offsets resumes, as
   * from a Kafka group's committed offset); absent: {@link startOffset}.
   */
  committedOffset?(partition: number): number;
  /** Says that this consumer will never read below `offset` of `partition` again; the log may drop it. */
  commit(partition: number, offset: number): void;
}

/** True when a source has read everything there will ever be in `partition`. */
export function partitionExhausted(log: EventLogReader, partition: number, offset: number): boolean {
  return log.isClosed() && offset >= log.endOffset(partition);
}
