/**
 * The wide dependency and the RDD on its reduce side. A ShuffleDependency is where the DAGScheduler cuts
 * the lineage into stages: its parent RDD is computed by a ShuffleMapStage whose tasks hash-partition
 * their output into one bucket per reducer; the ShuffledRDD's partition r fetches bucket r of every map
 * output.
 */
import type { AggregateFunction, Key, KeySelector, WindowSpec } from '../../api/index.js';
import type { Emit } from '../../operators/index.js';
import { partitionOf } from '../../runtime/index.js';
import type { SparkContext } from '../spark-context.js';
import { Dependency, RDD, type PartitionPump } from './rdd.js';
import type { TaskContext } from './task-context.js';

/** Spark's HashPartitioner over the engines' shared key hash. */
export class HashPartitioner {
  constructor(readonly numPartitions: number) {
    if (!Number.isInteger(numPartitions) || numPartitions < 1)
      throw new RangeError(`a HashPartitioner needs >= 1 partition, got ${numPartitions}`);
  }

  getPartition(key: Key): number {
    return this.numPartitions === 1 ? 0 : partitionOf(key, this.numPartitions);
  }
}

/**
 * Map-side combine of a window aggregate (the Aggregator of reduceByKey): records are folded per
 * (window, key) into partial accumulators before the shuffle, and the reducer merges partials.
 */
export interface WindowCombiner {
  readonly spec: WindowSpec;
  readonly aggregate: AggregateFunction<any, any, unknown>;
}

export class ShuffleDependency extends Dependency {
  readonly narrow = false;
  readonly shuffleId: number;

  /**
   * @param keyFn the key of a map-side record (the operator's key selector for this input)
   * @param operator the stateful operator on the reduce side: its name (late records) and index (watermarks)
   * @param combiner map-side combine, when the aggregation allows it
   */
  constructor(
    sc: SparkContext,
    rdd: RDD,
    readonly partitioner: HashPartitioner,
    readonly keyFn: KeySelector<any>,
    readonly operator: { readonly name: string; readonly index: number },
    readonly combiner: WindowCombiner | undefined,
  ) {
    super(rdd);
    this.shuffleId = sc.newShuffleId();
  }
}

/**
 * The reduce side of one shuffle. Records come out as the map side wrote them: `[key, value]` pairs, or
 * `[key, windowStart, accumulator]` partials when the dependency combines map-side.
 */
export class ShuffledRDD extends RDD {
  private readonly deps: readonly ShuffleDependency[];

  constructor(
    sc: SparkContext,
    readonly dep: ShuffleDependency,
    name: string,
  ) {
    super(sc, name);
    this.deps = [dep];
  }

  get kind(): string {
    return 'ShuffledRDD';
  }

  get numPartitions(): number {
    return this.dep.partitioner.numPartitions;
  }

  get dependencies(): readonly ShuffleDependency[] {
    return this.deps;
  }

  compute(split: number, ctx: TaskContext, out: Emit): PartitionPump {
    return this.sc.shuffleManager.getReader(this.dep, split, ctx, out);
  }

  override describe(): string {
    return `${super.describe()} shuffle ${this.dep.shuffleId}${this.dep.combiner ? ' (map-side combined)' : ''}`;
  }
}
