/**
 * The unwindowed incremental join as a bolt: each input tuple is stored (shared `IncrementalJoin` state) and
 * joined with the stored tuples of the other side; results are emitted anchored to the arriving tuple.
 */
import type { KeySelector } from '../../api/index.js';
import { IncrementalJoin } from '../../operators/index.js';
import type { Tuple } from '../executor/tuple.js';
import type { IBolt, OutputCollector, TopologyContext } from '../topology/components.js';

export class JoinBolt implements IBolt {
  readonly autoAck = true;
  private collector!: OutputCollector;
  private readonly state: IncrementalJoin;
  private current: Tuple | null = null;

  constructor(
    fn: (left: any, right: any) => unknown,
    private readonly keys: readonly KeySelector<any>[],
  ) {
    this.state = new IncrementalJoin(fn);
  }

  prepare(_context: TopologyContext, collector: OutputCollector): void {
    this.collector = collector;
  }

  execute(t: Tuple): void {
    this.current = t;
    this.state.add(t.stream, this.keys[t.stream](t.value), t.value, t.eventTime, t.emitTime, t.ingestTime, this.emitJoined);
    this.current = null;
  }

  private readonly emitJoined = (value: unknown, eventTime: number, emitTime: number, ingestTime: number): void => {
    this.collector.emit(this.current, value, eventTime, emitTime, ingestTime);
  };

  /** Records held in the join state. */
  get size(): number {
    return this.state.size;
  }
}
