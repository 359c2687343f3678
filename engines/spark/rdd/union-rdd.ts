/** UnionRDD: the partitions of several RDDs side by side (what a DStream window computes over its batches). */
import type { Emit } from '../../operators/index.js';
import type { SparkContext } from '../spark-context.js';
import { SequencePump } from './combine-by-key-rdd.js';
import type { HashPartitioner } from './hash-partitioner.js';
import { OneToOneDependency, RangeDependency, RDD, type PartitionPump } from './rdd.js';
import type { TaskContext } from './task-context.js';

export class UnionRDD extends RDD {
  private readonly deps: readonly RangeDependency[];
  private readonly total: number;

  constructor(
    sc: SparkContext,
    readonly rdds: readonly RDD[],
    name: string,
  ) {
    super(sc, name);
    let outStart = 0;
    this.deps = rdds.map((rdd) => {
      const dep = new RangeDependency(rdd, 0, outStart, rdd.numPartitions);
      outStart += rdd.numPartitions;
      return dep;
    });
    this.total = outStart;
  }

  get kind(): string {
    return 'UnionRDD';
  }

  get numPartitions(): number {
    return this.total;
  }

  get dependencies(): readonly RangeDependency[] {
    return this.deps;
  }

  compute(split: number, ctx: TaskContext, out: Emit): PartitionPump {
    for (const dep of this.deps) {
      if (split >= dep.outStart && split < dep.outStart + dep.length) return dep.rdd.iterator(split - dep.outStart + dep.inStart, ctx, out);
    }
    throw new RangeError(`UnionRDD[${this.id}] has no partition ${split}`);
  }
}

/** An RDD with no partitions: what an input stream produces for a batch with nothing to read. */
export class EmptyRDD extends RDD {
  get kind(): string {
    return 'EmptyRDD';
  }

  get numPartitions(): number {
    return 0;
  }

  get dependencies(): readonly RangeDependency[] {
    return [];
  }

  compute(split: number): PartitionPump {
    throw new RangeError(`EmptyRDD[${this.id}] has no partition ${split}`);
  }
}

/**
 * The union of RDDs that share a partitioner (SparkContext.union picks it then): partition i is
 * partition i of every input, one after another, so a reduceByKey with that partitioner needs no shuffle.
 */
export class PartitionerAwareUnionRDD extends RDD {
  private readonly deps: readonly OneToOneDependency[];

  constructor(
    sc: SparkContext,
    readonly rdds: readonly RDD[],
    name: string,
  ) {
    super(sc, name);
    if (rdds.length === 0) throw new RangeError('a PartitionerAwareUnionRDD needs at least one RDD');
    const p = rdds[0].partitioner;
    if (p === undefined || !rdds.every((r) => p.equals(r.partitioner)))
      throw new Error('PartitionerAwareUnionRDD: every RDD must have the same partitioner');
    this.deps = rdds.map((rdd) => new OneToOneDependency(rdd));
  }

  get kind(): string {
    return 'PartitionerAwareUnionRDD';
  }

  get numPartitions(): number {
    return this.rdds[0].numPartitions;
  }

  get dependencies(): readonly OneToOneDependency[] {
    return this.deps;
  }

  override get partitioner(): HashPartitioner | undefined {
    return this.rdds[0].partitioner;
  }

  compute(split: number, ctx: TaskContext, out: Emit): PartitionPump {
    return new SequencePump(this.rdds.map((rdd) => () => rdd.iterator(split, ctx, out)));
  }
}

/** SparkContext.union: partitioner-aware when every RDD has the same partitioner, else a plain UnionRDD. */
export function unionOf(sc: SparkContext, rdds: readonly RDD[], name: string): RDD {
  const p = rdds[0]?.partitioner;
  if (p !== undefined && rdds.every((r) => p.equals(r.partitioner))) return new PartitionerAwareUnionRDD(sc, rdds, name);
  return new UnionRDD(sc, rdds, name);
}
