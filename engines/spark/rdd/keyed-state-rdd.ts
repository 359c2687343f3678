/**
 * One batch's state RDD of a keyed state DStream: mapWithState's MapWithStateRDD, or updateStateByKey's
 * (a MapPartitionsRDD over the cogroup of the batch with the previous state). Its partition r reads the
 * shuffled input partition(s) r (a narrow, one-to-one dependency on each ShuffledRDD; the previous state
 * is partitioned alike, so no shuffle for it) into the operator's state, then emits what closed into the
 * rest of the stage's pipeline. `version` is the batch's update: state version v is computed from v - 1.
 */
import type { Emit } from '../../operators/index.js';
import type { StatefulOperator, StateUpdate } from '../state/stateful-operators.js';
import type { SparkContext } from '../spark-context.js';
import { SequencePump } from './combine-by-key-rdd.js';
import { DONE, OneToOneDependency, RDD, type PartitionPump, type PumpResult } from './rdd.js';
import type { TaskContext } from './task-context.js';

export class KeyedStateRDD extends RDD {
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
    return this.operator.mode === 'mapWithState' ? 'MapWithStateRDD' : 'MapPartitionsRDD';
  }

  get numPartitions(): number {
    return this.operator.numPartitions;
  }

  get dependencies(): readonly OneToOneDependency[] {
    return this.deps;
  }

  compute(split: number, ctx: TaskContext, out: Emit): PartitionPump {
    const update = this.operator.open(split, this.version, ctx, out);
    return new StateUpdatePump(new SequencePump(this.parents.map((p, side) => () => p.iterator(split, ctx, update.inputs[side]))), update);
  }

  override describe(): string {
    const how = this.operator.mode === 'mapWithState' ? '' : ' (cogroup with the previous state, MEMORY_ONLY_SER)';
    return `${super.describe()}${how} v${this.version}: ${this.operator.describe()}`;
  }
}

/** Reads every input into the state update, then finishes it. */
class StateUpdatePump implements PartitionPump {
  private finished = false;

  constructor(
    private readonly input: PartitionPump,
    private readonly update: StateUpdate,
  ) {}

  pump(max: number): PumpResult {
    if (this.finished) return DONE;
    const r = this.input.pump(max);
    if (r !== DONE) return r;
    this.finished = true;
    this.update.finish();
    return DONE;
  }
}
