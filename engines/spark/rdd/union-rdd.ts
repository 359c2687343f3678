/** UnionRDD: the partitions of several RDDs side by side (what a DStream window computes over its batches). */
import type { Emit } from '../../operators/index.js';
import type { SparkContext } from '../spark-context.js';
import { RangeDependency, RDD, type PartitionPump } from './rdd.js';
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
