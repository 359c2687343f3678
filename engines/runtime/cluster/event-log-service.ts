/**
 * The event log as a service, Kafka's consumer protocol in spirit: the driver process serves its
 * partitioned log over a control channel, and a consumer in another process fetches batches by partition
 * and offset and commits offsets. {@link RemoteEventLog} is that consumer, shaped as the
 * {@link EventLogReader} engines already read: it prefetches each partition it reads (one fetch in flight
 * per partition, long-polling when the partition has nothing new), so that a source's synchronous `read`
 * finds the next batch already there.
 *
 * What counts as read in the driver's log is what the server handed out, at most a prefetch window ahead
 * of what the engine has taken.
 */
import type { Clock, EventLogReader, LogBatch } from '../../api/index.js';
import { deserializeRecords, RecordSerializer } from '../codec.js';
import { WithBytes, type ControlChannel } from './control-channel.js';

/** Largest batch one fetch returns (entries). */
export const MAX_FETCH_ENTRIES = 2048;
/** A consumer keeps fetching ahead while fewer than this many entries of a partition are buffered. */
export const PREFETCH_ENTRIES = 4096;
/** Commits are sent at most this often (ms): the log only needs them to drop what nobody reads. */
export const COMMIT_INTERVAL_MS = 20;

export interface LogMetadata {
  readonly partitions: number;
  readonly startOffsets: readonly number[];
  readonly endOffsets: readonly number[];
  readonly closed: boolean;
}

interface FetchRequest {
  readonly partition: number;
  readonly offset: number;
  readonly max: number;
}

/** A fetch's answer; its entries travel as the attached bytes, in the engines' record codec (exact, and several times faster than JSON). */
export interface FetchResponse {
  readonly partition: number;
  readonly offset: number;
  readonly count: number;
  /** Byte lengths of the codec buffers, one after another in the attachment. */
  readonly chunks: number[];
  /** The partition's end offset when answered. */
  readonly end: number;
  readonly closed: boolean;
}

/** Bytes per codec buffer of a fetch answer. */
const FETCH_BUFFER_BYTES = 256 * 1024;

function metadataOf(log: EventLogReader): LogMetadata {
  const parts = Array.from({ length: log.partitions }, (_, q) => q);
  return {
    partitions: log.partitions,
    startOffsets: parts.map((q) => log.startOffset(q)),
    endOffsets: parts.map((q) => log.endOffset(q)),
    closed: log.isClosed(),
  };
}

function fetchNow(log: EventLogReader, req: FetchRequest, serializer: RecordSerializer): WithBytes<FetchResponse> {
  const parts: Uint8Array[] = [];
  let count = 0;
  let offset = req.offset;
  while (count < req.max) {
    const batch = log.read(req.partition, offset, req.max - count);
    if (batch === undefined) break;
    for (let i = 0; i < batch.count; i++) {
      const value = batch.values[batch.index + i];
      const ts = batch.timestamps[batch.index + i];
      if (!serializer.write(value, ts, ts, ts)) {
        parts.push(serializer.finish());
        serializer.write(value, ts, ts, ts); // an empty buffer takes any record
      }
    }
    count += batch.count;
    offset += batch.count;
  }
  if (serializer.recordCount > 0) parts.push(serializer.finish());
  const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  const meta: FetchResponse = {
    partition: req.partition,
    offset: req.offset,
    count,
    chunks: parts.map((p) => p.byteLength),
    end: log.endOffset(req.partition),
    closed: log.isClosed(),
  };
  return new WithBytes(meta, bytes);
}

/** Serves `log` on `channel`: `log.metadata`, `log.fetch` (long-poll), `log.commit`. */
export function serveEventLog(channel: ControlChannel, log: EventLogReader): void {
  const serializer = new RecordSerializer(FETCH_BUFFER_BYTES);
  channel.handle('log.metadata', () => metadataOf(log));
  channel.handle('log.fetch', (req: FetchRequest) => {
    if (!(req.partition >= 0 && req.partition < log.partitions)) throw new Error(`no partition ${req.partition}`);
    const max = Math.min(MAX_FETCH_ENTRIES, Math.max(1, req.max));
    if (req.offset < log.endOffset(req.partition) || log.isClosed()) return fetchNow(log, { ...req, max }, serializer);
    return new Promise<WithBytes<FetchResponse>>((resolve) =>
      log.waitForData(req.partition, req.offset, () => resolve(fetchNow(log, { ...req, max }, serializer))),
    );
  });
  // A consumer that owns no partition only waits for the end of the input.
  channel.handle(
    'log.awaitClose',
    () => new Promise<boolean>((resolve) => log.waitForData(0, Number.MAX_SAFE_INTEGER, () => resolve(log.isClosed()))),
  );
  channel.on('log.commit', (commits: [number, number][]) => {
    for (const [partition, offset] of commits) log.commit(partition, offset);
  });
}

interface Chunk {
  readonly offset: number;
  readonly values: unknown[];
  readonly timestamps: Float64Array;
}

class PartitionBuffer {
  readonly chunks: Chunk[] = [];
  /** Offset the next fetch asks for. */
  fetchOffset: number;
  fetching = false;
  /** The partition's end offset, as last heard. */
  end: number;
  /** Bumped on a rewind: responses of older fetches are dropped. */
  generation = 0;
  waiters: (() => void)[] = [];

  constructor(start: number, end: number) {
    this.fetchOffset = start;
    this.end = end;
  }

  get buffered(): number {
    let n = 0;
    for (const c of this.chunks) n += c.values.length;
    return n;
  }
}

/** A consumer of a served log, as an {@link EventLogReader}. Create it with {@link RemoteEventLog.open}. */
export class RemoteEventLog implements EventLogReader {
  readonly partitions: number;
  private readonly parts: (PartitionBuffer | undefined)[];
  private closed: boolean;
  private readonly pendingCommits = new Map<number, number>();
  private commitTimer = false;
  private closeWaiters: (() => void)[] = [];
  private awaitingClose = false;
  private failure: Error | undefined;
  /** Entries received. */
  received = 0;
  fetches = 0;

  private constructor(
    private readonly channel: ControlChannel,
    private readonly clock: Clock,
    private readonly meta: LogMetadata,
  ) {
    this.partitions = meta.partitions;
    this.parts = new Array(meta.partitions).fill(undefined);
    this.closed = meta.closed;
  }

  static async open(channel: ControlChannel, clock: Clock): Promise<RemoteEventLog> {
    return new RemoteEventLog(channel, clock, await channel.request<LogMetadata>('log.metadata'));
  }

  /** The first failed fetch, if any (the source then sees no more data; the job fails on it). */
  get error(): Error | undefined {
    return this.failure;
  }

  read(partition: number, offset: number, max: number): LogBatch | undefined {
    const p = this.part(partition);
    this.dropBelow(p, offset);
    const first = p.chunks[0];
    if (first === undefined || offset < first.offset) {
      // Not what is buffered (a rewind): start over from the asked offset.
      if (first !== undefined || offset !== p.fetchOffset) this.rewind(p, partition, offset);
      this.prefetch(partition, p);
      return undefined;
    }
    const index = offset - first.offset;
    const count = Math.min(max, first.values.length - index);
    this.prefetch(partition, p);
    if (count <= 0) return undefined;
    return { offset, count, values: first.values, timestamps: first.timestamps, index };
  }

  endOffset(partition: number): number {
    return this.part(partition).end;
  }

  startOffset(partition: number): number {
    return this.meta.startOffsets[partition];
  }

  /** True once the served log is closed and everything of the partitions read so far is buffered here. */
  isClosed(): boolean {
    if (!this.closed) return false;
    for (const p of this.parts) if (p !== undefined && p.fetchOffset < p.end) return false;
    return true;
  }

  waitForData(partition: number, offset: number, wake: () => void): void {
    if (offset >= Number.MAX_SAFE_INTEGER) {
      this.waitForClose(wake);
      return;
    }
    const p = this.part(partition);
    if (this.has(p, offset) || this.isClosed() || this.failure) {
      this.clock.defer(wake);
      return;
    }
    p.waiters.push(wake);
    this.prefetch(partition, p);
  }

  private waitForClose(wake: () => void): void {
    if (this.isClosed()) {
      this.clock.defer(wake);
      return;
    }
    this.closeWaiters.push(wake);
    if (this.awaitingClose) return;
    this.awaitingClose = true;
    this.channel.request<boolean>('log.awaitClose', null, 2 ** 31 - 1).then(
      () => {
        this.closed = true;
        this.wakeAll();
      },
      (err: Error) => {
        this.failure ??= err;
        this.wakeAll();
      },
    );
  }

  commit(partition: number, offset: number): void {
    this.pendingCommits.set(partition, offset);
    if (this.commitTimer) return;
    this.commitTimer = true;
    this.clock.schedule(this.clock.now() + COMMIT_INTERVAL_MS, () => this.flushCommits());
  }

  /** Sends the commits not sent yet. */
  flushCommits(): void {
    this.commitTimer = false;
    if (this.pendingCommits.size === 0) return;
    this.channel.send('log.commit', [...this.pendingCommits]);
    this.pendingCommits.clear();
  }

  private part(partition: number): PartitionBuffer {
    let p = this.parts[partition];
    if (p === undefined) {
      if (!(partition >= 0 && partition < this.partitions)) throw new RangeError(`no partition ${partition}`);
      p = new PartitionBuffer(this.meta.startOffsets[partition], this.meta.endOffsets[partition]);
      this.parts[partition] = p;
    }
    return p;
  }

  private has(p: PartitionBuffer, offset: number): boolean {
    for (const c of p.chunks) if (offset >= c.offset && offset < c.offset + c.values.length) return true;
    return false;
  }

  private dropBelow(p: PartitionBuffer, offset: number): void {
    while (p.chunks.length > 0 && p.chunks[0].offset + p.chunks[0].values.length <= offset) p.chunks.shift();
  }

  private rewind(p: PartitionBuffer, partition: number, offset: number): void {
    void partition;
    p.chunks.length = 0;
    p.fetchOffset = offset;
    p.generation++;
    p.fetching = false;
  }

  private prefetch(partition: number, p: PartitionBuffer): void {
    if (p.fetching || this.failure) return;
    if (this.closed && p.fetchOffset >= p.end) return;
    if (p.buffered >= PREFETCH_ENTRIES) return;
    p.fetching = true;
    const generation = p.generation;
    this.fetches++;
    this.channel
      .request<WithBytes<FetchResponse>>('log.fetch', { partition, offset: p.fetchOffset, max: MAX_FETCH_ENTRIES }, 2 ** 31 - 1)
      .then(
        (answer) => {
          if (generation !== p.generation) return;
          const res = answer.meta;
          p.fetching = false;
          p.end = Math.max(p.end, res.end);
          if (res.closed) this.closed = true;
          if (res.count > 0) {
            const values = new Array<unknown>(res.count);
            const timestamps = new Float64Array(res.count);
            let k = 0;
            let at = 0;
            for (const length of res.chunks) {
              deserializeRecords(answer.bytes.subarray(at, at + length), (value, eventTime) => {
                values[k] = value;
                timestamps[k++] = eventTime;
              });
              at += length;
            }
            if (k !== res.count) {
              this.failure ??= new Error(`log.fetch: ${k} records decoded of ${res.count}`);
              this.wakeAll();
              return;
            }
            p.chunks.push({ offset: res.offset, values, timestamps });
            p.fetchOffset = res.offset + res.count;
            this.received += res.count;
          }
          this.prefetch(partition, p);
          this.wakeAll();
        },
        (err: Error) => {
          this.failure ??= err;
          this.wakeAll();
        },
      );
  }

  /** Wakes waiters whose data arrived, and everyone once the log is closed and fully buffered. */
  private wakeAll(): void {
    const closed = this.isClosed() || this.failure !== undefined;
    if (closed && this.closeWaiters.length > 0) {
      const ws = this.closeWaiters;
      this.closeWaiters = [];
      for (const w of ws) w();
    }
    for (const p of this.parts) {
      if (p === undefined || p.waiters.length === 0) continue;
      if (!closed && p.chunks.length === 0) continue;
      const ws = p.waiters;
      p.waiters = [];
      for (const w of ws) w();
    }
  }
}
