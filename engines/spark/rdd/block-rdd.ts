/**
 * BlockRDD: the RDD of a receiver input stream for one batch. Each block the receivers stored during the
 * batch interval is one partition (so one task); the task reads the serialized block from the
 * BlockManager and deserializes it.
 */
import { deserializeRecords } from '../../runtime/index.js';
import type { Emit } from '../../operators/index.js';
import type { SparkContext } from '../spark-context.js';
import { DONE, MORE, RDD, type Dependency, type PartitionPump, type PumpResult } from './rdd.js';
import type { TaskContext } from './task-context.js';

export class BlockRDD extends RDD {
  constructor(
    sc: SparkContext,
    readonly blockIds: readonly string[],
    name: string,
  ) {
    super(sc, name);
  }

  get kind(): string {
    return 'BlockRDD';
  }

  get numPartitions(): number {
    return this.blockIds.length;
  }

  get dependencies(): readonly Dependency[] {
    return [];
  }

  compute(split: number, ctx: TaskContext, out: Emit): PartitionPump {
    const block = this.sc.blockManager.getStreamBlock(this.blockIds[split]);
    return new ChunkPump(block.chunks, ctx, out, 'source');
  }

  override describe(): string {
    return `${super.describe()} blocks ${this.blockIds.join(' ')}`;
  }
}

/** What deserialized chunks are, for the task's metrics: source records, shuffle data, or a stored block. */
export type ChunkSource = 'source' | 'shuffle' | 'block';

/** Deserializes record buffers one at a time into `out`. */
export class ChunkPump implements PartitionPump {
  private i = 0;

  constructor(
    private readonly chunks: readonly Uint8Array[],
    private readonly ctx: TaskContext,
    private readonly out: Emit,
    private readonly source: ChunkSource,
  ) {}

  pump(max: number): PumpResult {
    let n = 0;
    while (this.i < this.chunks.length && n < max) {
      const chunk = this.chunks[this.i++];
      n += deserializeRecords(chunk, this.out);
      if (this.source === 'shuffle') this.ctx.shuffleReadBytes += chunk.byteLength;
    }
    if (this.source === 'source') this.ctx.recordsRead += n;
    return this.i >= this.chunks.length ? DONE : MORE;
  }
}
