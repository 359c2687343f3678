/**
 * The wide dependency and the RDD on its reduce side. A ShuffleDependency is where the DAGScheduler cuts
 * the lineage into stages: its parent RDD is computed by a ShuffleMapStage whose tasks hash-partition
 * their output into one bucket per reducer; the ShuffledRDD's partition r fetches bucket r of every map
 * output.
 */
import type { AggregateFunction, KeySelector, WindowSpec } from '../../api/index.js';
import type { Emit } from '../../operators/index.js';
import type { SparkContext } from '../spark-context.js';
import type { HashPartitioner } from './hash-partitioner.js';
import { Dependency, RDD, type PartitionPump } from './rdd.js';
import type { TaskContext } from './task-context.js';

/**
 * Map-side combine of an event-time window aggregate (reduceByKey over `(key, windowStart)` keys, as YSB's
 * Spark job counts per campaign and window): records are folded per (window, key) into partial
 * accumulators before the shuffle, and records of windows already closed are dropped as late.
 */
export interface WindowCombiner {
  readonly kind: 'window';
  readonly spec: WindowSpec;
  readonly aggregate: AggregateFunction<any, any, unknown>;
}

/** Map-side combine by key (reduceByKey's Aggregator): partials `[key, acc, n]` go out instead of records. */
export interface KeyCombiner {
  readonly kind: 'key';
  readonly aggregate: AggregateFunction<any, any, unknown>;
}

export type MapSideCombiner = WindowCombiner | KeyCombiner;

/** The stateful operator a window-combined shuffle feeds: its name (late records) and index (thresholds). */
export interface ShuffleTarget {
  readonly name: string;
  readonly index: number;
}

export class ShuffleDependency extends Dependency {
  readonly narrow = false;
  readonly shuffleId: number;

  /**
   * @param keyFn the key of a map-side record (the operator's key selector for this input)
   * @param operator the stateful operator on the reduce side, if any: its name (late records) and index (thresholds)
   * @param combiner map-side combine, when the aggregation allows it
   */
  constructor(
    sc: SparkContext,
    rdd: RDD,
    readonly partitioner: HashPartitioner,
    readonly keyFn: KeySelector<any>,
    readonly operator: ShuffleTarget | undefined,
    readonly combiner: MapSideCombiner | undefined,
  ) {
    super(rdd);
    this.shuffleId = sc.newShuffleId();
    if (combiner?.kind === 'window' && operator === undefined) throw new Error('a window-combined shuffle needs the operator it feeds');
  }
}

/**
 * The reduce side of one shuffle. Records come out as the map side wrote them: `[key, value]` pairs, or
 * partials when the dependency combines map-side: `[key, windowStart, accumulator]` by window and key,
 * `[key, accumulator, records]` by key.
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

  override get partitioner(): HashPartitioner {
    return this.dep.partitioner;
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
