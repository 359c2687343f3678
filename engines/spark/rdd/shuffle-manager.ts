/**
 * The shuffle: writers on the map side, the map output registry (MapOutputTracker) and readers on the
 * reduce side.
 *
 * A ShuffleMapTask's writer hash-partitions its records by key into one bucket per reducer, SERIALIZED
 * with the runtime's record codec into buffers of `spark.shuffle.file.buffer` bytes: what a reducer gets
 * is bytes, never the map side's objects. With map-side combine (window aggregates), records are first
 * folded into partial accumulators per (window, key) in a task-local WindowAggregation, and only the
 * partials are serialized. When the task ends its MapStatus (the buckets) is registered; a reducer's
 * ShuffleBlockFetcher reads bucket r of every map output and deserializes it.
 */
import type { Emit } from '../../operators/index.js';
import { WindowAggregation } from '../../operators/index.js';
import { KeyAggregation } from './key-aggregation.js';
import type { RecordSerializer } from '../../runtime/index.js';
import { ChunkPump } from './block-rdd.js';
import { BLOCKED, DONE, type PartitionPump, type PumpResult } from './rdd.js';
import type { KeyCombiner, ShuffleDependency, WindowCombiner } from './shuffled-rdd.js';
import type { Key } from '../../api/index.js';
import type { TaskContext } from './task-context.js';

/** What a ShuffleMapTask reports: its serialized buckets, one list of buffers per reducer. */
export interface MapStatus {
  readonly mapId: number;
  /** The buckets themselves when they are in this process; empty when they stay in an executor process. */
  readonly buckets: readonly (readonly Uint8Array[])[];
  readonly bytes: number;
  readonly records: number;
  /** Standalone: the executor whose block manager holds the buckets, and their chunk lengths per reducer. */
  readonly location?: { readonly executor: number; readonly chunkLengths: readonly (readonly number[])[] };
}

/** What a shuffle writer needs of its dependency (a ShuffleDependency, or its description in an executor process). */
export type ShuffleWriteSpec = Pick<ShuffleDependency, 'keyFn' | 'partitioner' | 'combiner' | 'operator'>;

/** What a shuffle writer needs of its task: the write metrics, the late counter, the batch's late thresholds. */
export interface ShuffleWriteContext {
  shuffleWriteBytes: number;
  shuffleWriteRecords: number;
  lateRecords(operator: string, n: number): void;
  readonly batch: { readonly lateThreshold: ArrayLike<number> };
}

/**
 * Fetches the buckets of map outputs held by executor processes (standalone): resolves with each
 * status's chunks for `reduceId`, in the order asked.
 */
export type RemoteBlockFetcher = (shuffleId: number, reduceId: number, statuses: readonly MapStatus[]) => Promise<Uint8Array[][]>;

/** The writer for map partition `mapId` of `dep`, serializing into `buffers` (one per reducer, empty). */
export function createShuffleWriter(
  dep: ShuffleWriteSpec,
  mapId: number,
  ctx: ShuffleWriteContext,
  buffers: readonly RecordSerializer[],
): ShuffleWriter {
  if (dep.combiner === undefined) return new HashShuffleWriter(dep, mapId, ctx, buffers);
  return dep.combiner.kind === 'window'
    ? new WindowCombiningShuffleWriter(dep, mapId, ctx, buffers)
    : new KeyCombiningShuffleWriter(dep, mapId, ctx, buffers);
}

export interface ShuffleWriter {
  /** Takes one map-side record. */
  readonly write: Emit;
  /** Flushes (combined partials first) and returns the task's map output. */
  stop(): MapStatus;
}

export class ShuffleManager {
  /** shuffleId -> map outputs by map partition. */
  private readonly outputs = new Map<number, (MapStatus | undefined)[]>();
  /** Bytes written by every shuffle so far. */
  bytesWritten = 0;
  /** Standalone: how map outputs held by executor processes are fetched. */
  remoteFetcher: RemoteBlockFetcher | undefined;
  /** Standalone: what fetching remote blocks cost (bytes, blocks, ms from the first request to the last answer, summed over reducers). */
  readonly remoteFetch = { bytes: 0, blocks: 0, fetches: 0, ms: 0 };
  /** Standalone: called when a shuffle is dropped, so that the executors delete its files. */
  onUnregister: ((shuffleId: number) => void) | undefined;

  /** The writer for map partition `mapId` of `dep`, serializing into the core's buffers. */
  getWriter(dep: ShuffleDependency, mapId: number, ctx: TaskContext): ShuffleWriter {
    return createShuffleWriter(dep, mapId, ctx, ctx.core.shuffleBuffers(dep.partitioner.numPartitions));
  }

  registerMapOutput(shuffleId: number, numMaps: number, status: MapStatus): void {
    let list = this.outputs.get(shuffleId);
    if (list === undefined) this.outputs.set(shuffleId, (list = new Array(numMaps).fill(undefined)));
    list[status.mapId] = status;
    this.bytesWritten += status.bytes;
  }

  /** Whether every map output of the shuffle is registered (the ShuffleMapStage is available). */
  isAvailable(shuffleId: number, numMaps: number): boolean {
    if (numMaps === 0) return true;
    const list = this.outputs.get(shuffleId);
    if (list === undefined) return false;
    for (let i = 0; i < numMaps; i++) if (list[i] === undefined) return false;
    return true;
  }

  /** Drops a shuffle's map outputs (Spark's ContextCleaner, once the batch is done). */
  unregisterShuffle(shuffleId: number): void {
    const list = this.outputs.get(shuffleId);
    this.outputs.delete(shuffleId);
    if (list?.some((s) => s?.location !== undefined)) this.onUnregister?.(shuffleId);
  }

  /** The pump that fetches and deserializes bucket `reduceId` of every map output. */
  getReader(dep: ShuffleDependency, reduceId: number, ctx: TaskContext, out: Emit): PartitionPump {
    const list = this.outputs.get(dep.shuffleId);
    const numMaps = dep.rdd.numPartitions;
    if (numMaps === 0) return { pump: () => DONE };
    if (list === undefined || !this.isAvailable(dep.shuffleId, numMaps)) {
      throw new Error(`shuffle ${dep.shuffleId}: map outputs missing for reducer ${reduceId} (FetchFailed)`);
    }
    const statuses = list as MapStatus[];
    const remote = statuses.filter((s) => s.location !== undefined && s.location.chunkLengths[reduceId].length > 0);
    if (remote.length === 0) {
      const chunks: Uint8Array[] = [];
      // A map output held by an executor has no buckets here (and nothing for this reducer, or it would be remote).
      for (const status of statuses) for (const c of status.buckets[reduceId] ?? []) chunks.push(c);
      return new ChunkPump(chunks, ctx, out, 'shuffle');
    }
    if (this.remoteFetcher === undefined)
      throw new Error(`shuffle ${dep.shuffleId}: map outputs are in executors and nothing fetches them`);
    return new RemoteFetchPump(this, this.remoteFetcher, dep.shuffleId, reduceId, statuses, remote, ctx, out);
  }
}

/**
 * A reducer's ShuffleBlockFetcherIterator when some map outputs are in executor processes: it asks for
 * the remote blocks at once, is BLOCKED until they are all there, then reads every map output's bucket in
 * map order (remote ones as fetched, local ones directly).
 */
class RemoteFetchPump implements PartitionPump {
  private inner: ChunkPump | undefined;
  private failure: Error | undefined;

  constructor(
    manager: ShuffleManager,
    fetcher: RemoteBlockFetcher,
    shuffleId: number,
    reduceId: number,
    statuses: readonly MapStatus[],
    remote: readonly MapStatus[],
    private readonly ctx: TaskContext,
    private readonly out: Emit,
  ) {
    const t0 = performance.now();
    fetcher(shuffleId, reduceId, remote).then(
      (fetched) => {
        const byMap = new Map(remote.map((s, i) => [s.mapId, fetched[i]]));
        const chunks: Uint8Array[] = [];
        for (const s of statuses) for (const c of byMap.get(s.mapId) ?? s.buckets[reduceId] ?? []) chunks.push(c);
        const stats = manager.remoteFetch;
        stats.fetches++;
        stats.blocks += remote.length;
        for (const f of fetched) for (const c of f) stats.bytes += c.byteLength;
        stats.ms += performance.now() - t0;
        this.inner = new ChunkPump(chunks, this.ctx, this.out, 'shuffle');
        this.ctx.wake();
      },
      (err: Error) => {
        this.failure = new Error(`shuffle ${shuffleId}: fetching reducer ${reduceId}'s blocks failed (FetchFailed): ${err.message}`);
        this.ctx.wake();
      },
    );
  }

  pump(max: number): PumpResult {
    if (this.failure) throw this.failure;
    if (this.inner === undefined) return BLOCKED;
    return this.inner.pump(max);
  }
}

/** Appends serialized records to per-reducer buffers; a full buffer becomes one chunk of the bucket. */
abstract class BucketWriter implements ShuffleWriter {
  protected readonly buckets: Uint8Array[][];
  private bytes = 0;
  private records = 0;
  abstract readonly write: Emit;

  constructor(
    protected readonly dep: ShuffleWriteSpec,
    private readonly mapId: number,
    protected readonly ctx: ShuffleWriteContext,
    private readonly buffers: readonly RecordSerializer[],
  ) {
    this.buckets = buffers.map(() => []);
  }

  protected append(reducer: number, value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    const ser = this.buffers[reducer];
    if (!ser.write(value, eventTime, emitTime, ingestTime)) {
      this.flush(reducer);
      ser.write(value, eventTime, emitTime, ingestTime);
    }
    this.records++;
  }

  private flush(reducer: number): void {
    const chunk = this.buffers[reducer].finish();
    this.bytes += chunk.byteLength;
    this.buckets[reducer].push(chunk);
  }

  stop(): MapStatus {
    this.flushPartials();
    for (let r = 0; r < this.buffers.length; r++) if (!this.buffers[r].isEmpty) this.flush(r);
    this.ctx.shuffleWriteBytes += this.bytes;
    this.ctx.shuffleWriteRecords += this.records;
    return { mapId: this.mapId, buckets: this.buckets, bytes: this.bytes, records: this.records };
  }

  /** Writes what was held back for combining. */
  protected flushPartials(): void {}
}

/** No combine: every record goes to its reducer as a `[key, value]` pair. */
class HashShuffleWriter extends BucketWriter {
  readonly write: Emit = (v, et, em, ig) => {
    const key = this.dep.keyFn(v);
    this.append(this.dep.partitioner.getPartition(key), [key, v], et, em, ig);
  };
}

/**
 * Map-side combine by (window, key): a task-local WindowAggregation folds records per window and key;
 * late records (every window of theirs closed in an earlier batch: the batch's late threshold, which the
 * driver put into the task) are dropped and counted here, before they cost shuffle bytes. Partials go out
 * as `[key, windowStart, acc]`.
 */
class WindowCombiningShuffleWriter extends BucketWriter {
  private readonly combiner: WindowAggregation;
  private readonly lateThreshold: number;
  private late = 0;

  constructor(dep: ShuffleWriteSpec, mapId: number, ctx: ShuffleWriteContext, buffers: readonly RecordSerializer[]) {
    super(dep, mapId, ctx, buffers);
    const c = dep.combiner as WindowCombiner;
    this.combiner = new WindowAggregation(c.spec, c.aggregate);
    this.lateThreshold = ctx.batch.lateThreshold[dep.operator!.index];
  }

  readonly write: Emit = (v, et, em, ig) => {
    if (!this.combiner.add(this.dep.keyFn(v), v, 0, et, em, ig, this.lateThreshold)) this.late++;
  };

  protected override flushPartials(): void {
    const partitioner = this.dep.partitioner;
    this.combiner.forEachSlot((key, window, slot) => {
      this.append(partitioner.getPartition(key), [key, window.start, slot.acc], window.end - 1, slot.emitTime, slot.ingestTime);
    });
    this.ctx.lateRecords(this.dep.operator!.name, this.late);
  }
}

/** Map-side combine by key (reduceByKey): partials `[key, acc, n]` per key. */
class KeyCombiningShuffleWriter extends BucketWriter {
  private readonly combiner: KeyAggregation;

  constructor(dep: ShuffleWriteSpec, mapId: number, ctx: ShuffleWriteContext, buffers: readonly RecordSerializer[]) {
    super(dep, mapId, ctx, buffers);
    this.combiner = new KeyAggregation((dep.combiner as KeyCombiner).aggregate);
  }

  readonly write: Emit = (v, _et, em, ig) => {
    this.combiner.addValue(this.dep.keyFn(v), v, em, ig);
  };

  protected override flushPartials(): void {
    const partitioner = this.dep.partitioner;
    this.combiner.drain((r, et, em, ig) => this.append(partitioner.getPartition((r as unknown[])[0] as Key), r, et, em, ig));
  }
}
