/**
 * MapPartitionsRDD: what Spark's `map`, `flatMap`, `filter` and `mapPartitions` build. The function wraps
 * the downstream emitter once per task, so a chain of these runs pipelined inside one task: each record
 * goes through every narrow transformation of the stage by direct calls before the next record is read.
 */
import type { Emit } from '../../operators/index.js';
import type { SparkContext } from '../spark-context.js';
import type { HashPartitioner } from './hash-partitioner.js';
import { OneToOneDependency, RDD, type Dependency, type PartitionPump } from './rdd.js';
import type { TaskContext } from './task-context.js';

/** Builds, once per task, the emitter that transforms records of partition `split` into `out`. */
export type PartitionFunction = (ctx: TaskContext, split: number, out: Emit) => Emit;

export class MapPartitionsRDD extends RDD {
  private readonly deps: readonly Dependency[];

  /**
   * @param op what the function does, for explain: `map`, `flatMap`, `filter`, `eventTime`
   * @param preservesPartitioning the function keeps every record's key, so the parent's partitioner still holds
   */
  constructor(
    sc: SparkContext,
    readonly prev: RDD,
    private readonly f: PartitionFunction,
    name: string,
    readonly op: string,
    private readonly preservesPartitioning = false,
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

  get dependencies(): readonly Dependency[] {
    return this.deps;
  }

  override get partitioner(): HashPartitioner | undefined {
    return this.preservesPartitioning ? this.prev.partitioner : undefined;
  }

  compute(split: number, ctx: TaskContext, out: Emit): PartitionPump {
    return this.prev.iterator(split, ctx, this.f(ctx, split, out));
  }

  override describe(): string {
    return `${super.describe()} (${this.op})`;
  }
}

/** `map`: one output per input. */
export function mapFunction(fn: (value: any) => unknown): PartitionFunction {
  return (_ctx, _split, out) => (v, et, em, ig) => out(fn(v), et, em, ig);
}

/** `flatMap`: any number of outputs per input, with the input's times. */
export function flatMapFunction(fn: (value: any) => Iterable<unknown>): PartitionFunction {
  return (_ctx, _split, out) => (v, et, em, ig) => {
    for (const u of fn(v)) out(u, et, em, ig);
  };
}

/** `filter`: the inputs for which `fn` holds. */
export function filterFunction(fn: (value: any) => boolean): PartitionFunction {
  return (_ctx, _split, out) => (v, et, em, ig) => {
    if (fn(v)) out(v, et, em, ig);
  };
}
