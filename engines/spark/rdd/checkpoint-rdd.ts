/**
 * ReliableCheckpointRDD: an RDD read back from its checkpoint files, with no lineage. A checkpointed
 * RDD is replaced by one of these, which is what cuts the lineage that would otherwise grow batch after
 * batch (a window RDD that depends on the previous window's).
 */
import type { Emit } from '../../operators/index.js';
import type { SparkContext } from '../spark-context.js';
import { ChunkPump } from './block-rdd.js';
import type { HashPartitioner } from './hash-partitioner.js';
import { RDD, type Dependency, type PartitionPump } from './rdd.js';
import type { TaskContext } from './task-context.js';

export class ReliableCheckpointRDD extends RDD {
  /**
   * @param files the checkpoint file of each partition (serialized records)
   * @param original the RDD it stands for: its cached blocks go when this one is unpersisted
   */
  constructor(
    sc: SparkContext,
    private readonly files: readonly (readonly Uint8Array[])[],
    private readonly part: HashPartitioner | undefined,
    private readonly original: RDD,
    name: string,
  ) {
    super(sc, name);
  }

  get kind(): string {
    return 'ReliableCheckpointRDD';
  }

  get numPartitions(): number {
    return this.files.length;
  }

  get dependencies(): readonly Dependency[] {
    return [];
  }

  override get partitioner(): HashPartitioner | undefined {
    return this.part;
  }

  compute(split: number, ctx: TaskContext, out: Emit): PartitionPump {
    return new ChunkPump(this.files[split], ctx, out, 'block');
  }

  override unpersist(): void {
    super.unpersist();
    this.original.unpersist();
  }
}
