/**
 * The reduce side of reduceByKey within one partition (Spark's combineByKey when the input is already
 * partitioned by the right partitioner, or after a shuffle read): every record of the partition is folded
 * into one partial per key, and the partials come out `[key, acc, n]` once the input is exhausted.
 */
import type { AggregateFunction } from '../../api/index.js';
import type { Emit } from '../../operators/index.js';
import type { SparkContext } from '../spark-context.js';
import type { HashPartitioner } from './hash-partitioner.js';
import { KeyAggregation } from './key-aggregation.js';
import { DONE, MORE, OneToOneDependency, RDD, type PartitionPump, type PumpResult } from './rdd.js';
import type { TaskContext } from './task-context.js';

export class CombineByKeyRDD extends RDD {
  private readonly deps: readonly OneToOneDependency[];

  /** @param partials whether the input records are partials `[key, acc, n]` (else `[key, value]` pairs) */
  constructor(
    sc: SparkContext,
    readonly prev: RDD,
    readonly aggregate: AggregateFunction<any, any, unknown>,
    readonly partials: boolean,
    name: string,
  ) {
    super(sc, name);
    this.deps = [new OneToOneDependency(prev)];
  }

  get kind(): string {
    return 'MapPartitionsRDD';
  }

  get numPartitions(): number {
    return this.prev.numPartitions;
  }

  get dependencies(): readonly OneToOneDependency[] {
    return this.deps;
  }

  override get partitioner(): HashPartitioner | undefined {
    return this.prev.partitioner;
  }

  compute(split: number, ctx: TaskContext, out: Emit): PartitionPump {
    const agg = new KeyAggregation(this.aggregate);
    const partials = this.partials;
    const input = this.prev.iterator(split, ctx, (v, _et, em, ig) => agg.addRecord(v, partials, em, ig));
    return new DrainPump(input, () => agg.drain(out));
  }

  override describe(): string {
    return `${super.describe()} (combineByKey ${this.aggregate.name}${this.partials ? ', partials' : ''})`;
  }
}

/** Pumps `input` to its end, then calls `drain` once. */
export class DrainPump implements PartitionPump {
  private drained = false;

  constructor(
    private readonly input: PartitionPump,
    private readonly drain: () => void,
  ) {}

  pump(max: number): PumpResult {
    if (this.drained) return DONE;
    const r = this.input.pump(max);
    if (r !== DONE) return r;
    this.drained = true;
    this.drain();
    return DONE;
  }
}

/** Pumps several partitions one after another. */
export class SequencePump implements PartitionPump {
  private i = 0;
  private current: PartitionPump | undefined;

  constructor(private readonly open: readonly (() => PartitionPump)[]) {}

  pump(max: number): PumpResult {
    while (this.i < this.open.length) {
      this.current ??= this.open[this.i]();
      const r = this.current.pump(max);
      if (r !== DONE) return r;
      this.current = undefined;
      this.i++;
      if (this.i < this.open.length) return MORE;
    }
    return DONE;
  }
}
