/**
 * A keyed stateful DStream: mapWithState (MapWithStateDStream) or updateStateByKey (StateDStream) over one
 * or two keyed inputs. For each batch it shuffles every input by key (a ShuffleDependency with the
 * operator's partitioner, map-side combined where the operator allows it) and updates the operator's state
 * in a KeyedStateRDD over the shuffled partitions: the shuffle is the stage boundary.
 */
import type { RDD } from '../rdd/rdd.js';
import { HashPartitioner } from '../rdd/hash-partitioner.js';
import { ShuffleDependency, ShuffledRDD } from '../rdd/shuffled-rdd.js';
import { KeyedStateRDD } from '../rdd/keyed-state-rdd.js';
import type { StatefulOperator } from '../state/stateful-operators.js';
import { DStream } from './dstream.js';
import type { StreamingContext } from './streaming-context.js';

export class KeyedStateDStream extends DStream {
  private readonly partitioner: HashPartitioner;
  /** The state version the next batch produces. */
  private version = 0;

  constructor(
    ssc: StreamingContext,
    parents: readonly DStream[],
    readonly operator: StatefulOperator,
  ) {
    super(ssc, parents, operator.name);
    this.partitioner = new HashPartitioner(operator.numPartitions);
    ssc.addStatefulOperator(operator);
  }

  get kind(): string {
    return this.operator.mode === 'mapWithState' ? 'MapWithStateDStream' : 'StateDStream';
  }

  compute(time: number): RDD | undefined {
    const sc = this.ssc.sc;
    const inputs = this.dependencies.map((d) => d.getOrCompute(time));
    if (inputs.some((r) => r === undefined)) return undefined;
    const sides = inputs.length === 1 ? [''] : [' left', ' right'];
    const shuffled = (inputs as RDD[]).map((rdd, side) => {
      const dep = new ShuffleDependency(
        sc,
        rdd,
        this.partitioner,
        this.operator.keys[side],
        this.operator,
        this.operator.combinerFor(side),
      );
      return new ShuffledRDD(sc, dep, `${this.name}${sides[side]}`);
    });
    return new KeyedStateRDD(sc, shuffled, this.operator, this.version++, this.name);
  }

  override describe(): string {
    return `${super.describe()}: ${this.operator.describe()}, ${this.operator.numPartitions} partitions, checkpoint every ${this.operator.checkpointIntervalMs} ms`;
  }
}
