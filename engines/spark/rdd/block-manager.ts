/**
 * The BlockManager: where executors keep blocks. Two kinds here, as in Spark:
 *
 * - RDD blocks (`rdd_<id>_<split>`): partitions of persisted RDDs, so a later job (of the batch, or of a
 *   later batch for windows and state) reads them instead of recomputing the lineage. MEMORY_ONLY keeps
 *   the records as objects; MEMORY_ONLY_SER serializes them into the block and deserializes them on every
 *   read, the computing task's own included (Spark's putIteratorAsBytes, then getLocalValues). A block
 *   being computed is write-locked (Spark's BlockInfoManager): another task that needs it waits for it,
 *   then reads it.
 * - Stream blocks (`input-<receiver>-<n>`): what receivers store, serialized and replicated twice
 *   (MEMORY_AND_DISK_SER_2, the receiver default). The memory store is bounded: when it is full, block
 *   pushing waits (Spark would spill to disk; here the backlog stays in the log instead).
 */
import type { Emit } from '../../operators/index.js';
import { ChunkPump } from './block-rdd.js';
import { BlockWriter, chunkBytes } from './block-writer.js';
import { DONE, MORE, BLOCKED, type PartitionPump, type PumpResult, type RDD } from './rdd.js';
import type { TaskContext } from './task-context.js';

interface CachedBlock {
  ready: boolean;
  /** MEMORY_ONLY: the records as objects, with their times. */
  readonly values: unknown[];
  readonly eventTimes: number[];
  readonly emitTimes: number[];
  readonly ingestTimes: number[];
  /** MEMORY_ONLY_SER: the serialized records, set when the block is complete. */
  chunks: readonly Uint8Array[] | undefined;
  waiters: (() => void)[];
}

/** A block of received records. */
export interface StreamBlock {
  readonly id: string;
  readonly receiverId: number;
  /** Block time (ms): when the BlockGenerator cut it, minus one block interval (Spark's StreamBlockId time). */
  readonly time: number;
  readonly records: number;
  /** The serialized records (the primary copy). */
  readonly chunks: readonly Uint8Array[];
  /** The second replica (on another executor in Spark). */
  readonly replica: readonly Uint8Array[];
  /** Bytes of one replica. */
  readonly bytes: number;
  /** For each log partition the receiver read into this block: the offset after its last record. */
  readonly untilOffsets: readonly (readonly [partition: number, untilOffset: number])[];
}

export class BlockManager {
  private readonly rddBlocks = new Map<number, Map<number, CachedBlock>>();
  private readonly streamBlocks = new Map<string, StreamBlock>();
  private storedBytes = 0;
  private roomWaiters: (() => void)[] = [];

  /** @param memoryStoreBytes capacity for stream blocks (both replicas count) */
  constructor(readonly memoryStoreBytes: number) {}

  // ------------------------------------------------------------------------------------------------
  // RDD blocks

  /** Bytes held by MEMORY_ONLY_SER blocks. */
  serializedRddBytes = 0;
  /** Records serialized into, and deserialized out of, MEMORY_ONLY_SER blocks so far. */
  serializedRecordsWritten = 0;
  serializedRecordsRead = 0;

  /** The pump of a persisted RDD's partition: read from memory, wait for another task's write, or compute and store. */
  getOrCompute(rdd: RDD, split: number, ctx: TaskContext, out: Emit): PartitionPump {
    let blocks = this.rddBlocks.get(rdd.id);
    if (blocks === undefined) this.rddBlocks.set(rdd.id, (blocks = new Map()));
    const block = blocks.get(split);
    if (block !== undefined) return new CachedPump(this, block, ctx, out);
    const fresh: CachedBlock = { ready: false, values: [], eventTimes: [], emitTimes: [], ingestTimes: [], chunks: undefined, waiters: [] };
    blocks.set(split, fresh);
    if (rdd.storageLevel === 'MEMORY_ONLY_SER') {
      const writer = new BlockWriter();
      const write: Emit = (v, et, em, ig) => writer.write(v, et, em, ig);
      return new SerializingPump(this, rdd.compute(split, ctx, write), writer, fresh, ctx, out);
    }
    const tee: Emit = (v, et, em, ig) => {
      fresh.values.push(v);
      fresh.eventTimes.push(et);
      fresh.emitTimes.push(em);
      fresh.ingestTimes.push(ig);
      out(v, et, em, ig);
    };
    return new CachingPump(rdd.compute(split, ctx, tee), fresh);
  }

  /** The serialized block of a MEMORY_ONLY_SER partition, if complete (what a checkpoint of it writes). */
  serializedBlock(rddId: number, split: number): readonly Uint8Array[] | undefined {
    const b = this.rddBlocks.get(rddId)?.get(split);
    return b?.ready ? b.chunks : undefined;
  }

  /** Marks a block readable and wakes the tasks waiting for it. */
  static complete(block: CachedBlock): void {
    block.ready = true;
    const waiters = block.waiters;
    block.waiters = [];
    for (const w of waiters) w();
  }

  /** Whether every partition of `rdd` is in memory (the DAGScheduler then needs none of its parents). */
  isCached(rdd: RDD): boolean {
    const blocks = this.rddBlocks.get(rdd.id);
    if (blocks === undefined || blocks.size < rdd.numPartitions) return false;
    for (const b of blocks.values()) if (!b.ready) return false;
    return true;
  }

  removeRdd(rddId: number): void {
    const blocks = this.rddBlocks.get(rddId);
    if (blocks === undefined) return;
    for (const b of blocks.values()) if (b.chunks !== undefined) this.serializedRddBytes -= chunkBytes(b.chunks);
    this.rddBlocks.delete(rddId);
  }

  // ------------------------------------------------------------------------------------------------
  // Stream blocks

  /** Stores a received block if the memory store has room for both replicas; false when full. */
  putStreamBlock(block: StreamBlock): boolean {
    const size = 2 * block.bytes;
    // An empty store takes any block, so one block bigger than the store cannot stall the receiver forever.
    if (this.storedBytes > 0 && this.storedBytes + size > this.memoryStoreBytes) return false;
    this.streamBlocks.set(block.id, block);
    this.storedBytes += size;
    return true;
  }

  getStreamBlock(id: string): StreamBlock {
    const b = this.streamBlocks.get(id);
    if (b === undefined) throw new Error(`stream block ${id} is not in the BlockManager`);
    return b;
  }

  /** Drops a block once the batch that read it is complete, and wakes whoever waits for room. */
  removeStreamBlock(id: string): void {
    const b = this.streamBlocks.get(id);
    if (b === undefined) return;
    this.streamBlocks.delete(id);
    this.storedBytes -= 2 * b.bytes;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  /** Calls `wake` once, the next time a stream block is removed. */
  waitForRoom(wake: () => void): void {
    this.roomWaiters.push(wake);
  }

  /** Bytes held by stream blocks, both replicas. */
  get streamBytes(): number {
    return this.storedBytes;
  }
}

/** Computes a partition and marks its block readable when done, waking tasks waiting for it. */
class CachingPump implements PartitionPump {
  constructor(
    private readonly inner: PartitionPump,
    private readonly block: CachedBlock,
  ) {}

  pump(max: number): PumpResult {
    const r = this.inner.pump(max);
    if (r === DONE) BlockManager.complete(this.block);
    return r;
  }
}

/** MEMORY_ONLY_SER: computes the partition into a serialized block, then reads the block back into `out`. */
class SerializingPump implements PartitionPump {
  private reader: PartitionPump | undefined;

  constructor(
    private readonly bm: BlockManager,
    private readonly inner: PartitionPump,
    private readonly writer: BlockWriter,
    private readonly block: CachedBlock,
    private readonly ctx: TaskContext,
    private readonly out: Emit,
  ) {}

  pump(max: number): PumpResult {
    if (this.reader === undefined) {
      const r = this.inner.pump(max);
      if (r !== DONE) return r;
      this.bm.serializedRecordsWritten += this.writer.records;
      const chunks = this.writer.finish();
      this.block.chunks = chunks;
      this.bm.serializedRddBytes += chunkBytes(chunks);
      BlockManager.complete(this.block);
      this.reader = new CountingChunkPump(this.bm, chunks, this.ctx, this.out);
      return MORE;
    }
    return this.reader.pump(max);
  }
}

/** Deserializes a MEMORY_ONLY_SER block, counting what it reads. */
class CountingChunkPump implements PartitionPump {
  private readonly inner: ChunkPump;

  constructor(
    private readonly bm: BlockManager,
    chunks: readonly Uint8Array[],
    ctx: TaskContext,
    out: Emit,
  ) {
    this.inner = new ChunkPump(
      chunks,
      ctx,
      (v, et, em, ig) => {
        bm.serializedRecordsRead++;
        out(v, et, em, ig);
      },
      'block',
    );
  }

  pump(max: number): PumpResult {
    return this.inner.pump(max);
  }
}

/** Reads a cached partition, after waiting for its writer if it is still being computed. */
class CachedPump implements PartitionPump {
  private i = 0;
  private waiting = false;
  private serialized: PartitionPump | undefined;

  constructor(
    private readonly bm: BlockManager,
    private readonly block: CachedBlock,
    private readonly ctx: TaskContext,
    private readonly out: Emit,
  ) {}

  pump(max: number): PumpResult {
    const b = this.block;
    if (!b.ready) {
      if (!this.waiting) {
        this.waiting = true;
        b.waiters.push(() => {
          this.waiting = false;
          this.ctx.wake();
        });
      }
      return BLOCKED;
    }
    if (b.chunks !== undefined) {
      this.serialized ??= new CountingChunkPump(this.bm, b.chunks, this.ctx, this.out);
      return this.serialized.pump(max);
    }
    const end = Math.min(b.values.length, this.i + max);
    const out = this.out;
    for (let i = this.i; i < end; i++) out(b.values[i], b.eventTimes[i], b.emitTimes[i], b.ingestTimes[i]);
    this.i = end;
    return end >= b.values.length ? DONE : MORE;
  }
}
