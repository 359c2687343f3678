/**
 * StateStoreRDD: one batch's update of a stateful operator (Structured Streaming's StateStoreRDD,
 * mapWithState's MapWithStateRDD). Its partition r reads the shuffled input partition(s) r (a narrow,
 * one-to-one dependency on each ShuffledRDD, like zipPartitions) into state partition r, then evicts and
 * emits what fired into the rest of the stage's pipeline. `version` is the batch's update: state version
 * v is computed from version v - 1.
 */
import type { Emit } from '../../operators/index.js';
import type { StatefulOperator, StateUpdate } from '../state/stateful-operators.js';
import type { SparkContext } from '../spark-context.js';
import { DONE, MORE, OneToOneDependency, RDD, type PartitionPump, type PumpResult } from './rdd.js';
import type { TaskContext } from './task-context.js';

export class StateStoreRDD extends RDD {
  private readonly deps: readonly OneToOneDependency[];

  constructor(
    sc: SparkContext,
    readonly parents: readonly RDD[],
    readonly operator: StatefulOperator,
    readonly version: number,
    name: string,
  ) {
    super(sc, name);
    this.deps = parents.map((p) => new OneToOneDependency(p));
  }

  get kind(): string {
    return 'StateStoreRDD';
  }

  get numPartitions(): number {
    return this.operator.numPartitions;
  }

  get dependencies(): readonly OneToOneDependency[] {
    return this.deps;
  }

  compute(split: number, ctx: TaskContext, out: Emit): PartitionPump {
    return new StateStorePump(this, split, ctx, this.operator.open(split, this.version, ctx, out));
  }

  override describe(): string {
    return `${super.describe()} v${this.version}: ${this.operator.describe()}`;
  }
}

/** Reads each input in turn into the state, then finishes the update. */
class StateStorePump implements PartitionPump {
  private side = 0;
  private current: PartitionPump | undefined;

  constructor(
    private readonly rdd: StateStoreRDD,
    private readonly split: number,
    private readonly ctx: TaskContext,
    private readonly update: StateUpdate,
  ) {}

  pump(max: number): PumpResult {
    const parents = this.rdd.parents;
    if (this.side < parents.length) {
      this.current ??= parents[this.side].iterator(this.split, this.ctx, this.update.inputs[this.side]);
      const r = this.current.pump(max);
      if (r !== DONE) return r;
      this.current = undefined;
      if (++this.side < parents.length) return MORE;
    }
    this.update.finish();
    return DONE;
  }
}
