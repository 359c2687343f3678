/**
 * Resilient Distributed Datasets as Spark defines them: a fixed number of partitions, the dependencies on
 * parent RDDs (narrow: one-to-one or range; wide: shuffle), and `compute(partition)`. Every RDD keeps its
 * lineage (its dependencies and the function that derives it), so any partition can be recomputed from
 * the source offsets or blocks: nothing but the lineage is needed to rebuild a lost partition.
 *
 * Computing is push-based and resumable: `compute(split, ctx, out)` returns a {@link PartitionPump} whose
 * `pump(max)` pushes up to about `max` input records through the partition's pipeline into `out`. A narrow
 * transformation wraps `out` and delegates to its parent, so all narrow transformations of a stage run
 * pipelined in one task (one loop per partition, no intermediate collections), as Spark's iterators do.
 */
import type { Emit } from '../../operators/index.js';
import type { SparkContext } from '../spark-context.js';
import type { HashPartitioner } from './hash-partitioner.js';
import type { TaskContext } from './task-context.js';

/** The partition has more records: call `pump` again. */
export const MORE = 0;
/** The partition is exhausted and every record has been pushed. */
export const DONE = 1;
/** Waiting for something another task produces (a cached block being computed): the task parks until woken. */
export const BLOCKED = 2;
export type PumpResult = typeof MORE | typeof DONE | typeof BLOCKED;

/** One partition being computed: pushes records into the pipeline it was built with. */
export interface PartitionPump {
  /** Pushes up to about `max` input records (a whole block or shuffle chunk may overshoot). */
  pump(max: number): PumpResult;
}

export abstract class Dependency {
  abstract readonly narrow: boolean;
  constructor(readonly rdd: RDD) {}
}

/** Child partition i depends on parent partition i (map, filter, flatMap, state updates over a shuffle). */
export class OneToOneDependency extends Dependency {
  readonly narrow = true;
}

/** A range of the child's partitions maps one-to-one onto a range of the parent's (UnionRDD). */
export class RangeDependency extends Dependency {
  readonly narrow = true;
  constructor(
    rdd: RDD,
    readonly inStart: number,
    readonly outStart: number,
    readonly length: number,
  ) {
    super(rdd);
  }
}

/**
 * MEMORY_ONLY keeps a computed partition's records as objects; MEMORY_ONLY_SER keeps them serialized
 * (Spark's default for DStream windows and state): less memory, but every write and every read of the
 * block costs a serialization or a deserialization of all its records.
 */
export type StorageLevel = 'NONE' | 'MEMORY_ONLY' | 'MEMORY_ONLY_SER';

export abstract class RDD {
  readonly id: number;
  /** Not NONE: computed partitions are kept in the BlockManager and read from there by later jobs. */
  storageLevel: StorageLevel = 'NONE';

  /** @param name the operator (or source, sink) this RDD was generated for, shown by explain */
  constructor(
    readonly sc: SparkContext,
    readonly name: string,
  ) {
    this.id = sc.newRddId();
  }

  abstract get numPartitions(): number;
  abstract get dependencies(): readonly Dependency[];
  /** The Spark class this models, e.g. `MapPartitionsRDD`. */
  abstract get kind(): string;

  /** How the records are placed by key over the partitions, when they are (a shuffle's output). */
  get partitioner(): HashPartitioner | undefined {
    return undefined;
  }

  /** Builds the pipeline that computes partition `split` into `out`. */
  abstract compute(split: number, ctx: TaskContext, out: Emit): PartitionPump;

  /** Partition `split` into `out`: from the BlockManager when persisted and already computed, else computed. */
  iterator(split: number, ctx: TaskContext, out: Emit): PartitionPump {
    if (this.storageLevel === 'NONE') return this.compute(split, ctx, out);
    return this.sc.blockManager.getOrCompute(this, split, ctx, out);
  }

  persist(level: Exclude<StorageLevel, 'NONE'> = 'MEMORY_ONLY'): this {
    this.storageLevel = level;
    return this;
  }

  /** Drops the cached partitions. */
  unpersist(): void {
    if (this.storageLevel !== 'NONE') this.sc.blockManager.removeRdd(this.id);
  }

  /** `KafkaRDD[3] events`, as Spark's toDebugString names RDDs. */
  describe(): string {
    return `${this.kind}[${this.id}] ${this.name}${this.storageLevel === 'NONE' ? '' : ` (${this.storageLevel})`}`;
  }
}
