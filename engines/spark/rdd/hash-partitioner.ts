/** Spark's HashPartitioner over the engines' shared key hash. Two are equal when they have as many partitions. */
import type { Key } from '../../api/index.js';
import { partitionOf } from '../../runtime/index.js';

export class HashPartitioner {
  constructor(readonly numPartitions: number) {
    if (!Number.isInteger(numPartitions) || numPartitions < 1)
      throw new RangeError(`a HashPartitioner needs >= 1 partition, got ${numPartitions}`);
  }

  getPartition(key: Key): number {
    return this.numPartitions === 1 ? 0 : partitionOf(key, this.numPartitions);
  }

  /** Whether records placed by `other` are where this partitioner would place them. */
  equals(other: HashPartitioner | undefined): boolean {
    return other !== undefined && other.numPartitions === this.numPartitions;
  }
}
