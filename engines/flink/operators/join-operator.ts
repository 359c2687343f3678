/**
 * The unwindowed incremental equi-join as a two-input keyed operator (Flink's regular streaming join):
 * each record is kept in its key group's shared join state and joined with the other side's records of
 * the same key on arrival. Watermarks pass through: nothing here waits for time.
 */
import { keySelectorOf, type JoinNode, type KeySelector } from '../../api/index.js';
import { IncrementalJoin, type Emit, type IncrementalJoinSnapshot } from '../../operators/index.js';
import { KeyGroupPartitionedState, type KeyGroupsSnapshot } from '../state/keyed-state-backend.js';
import { StreamOperator, type OperatorContext, type OperatorSnapshotFutures, type Output } from './stream-operator.js';

class RightInput implements Output {
  constructor(private readonly op: StreamingJoinOperator) {}

  collect(value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    this.op.processElement(1, value, eventTime, emitTime, ingestTime);
  }

  emitWatermark(watermark: number): void {
    this.op.emitWatermark(watermark);
  }
}

export class StreamingJoinOperator extends StreamOperator {
  private readonly keys: KeySelector<unknown>[];
  private state: KeyGroupPartitionedState<IncrementalJoin, IncrementalJoinSnapshot> | undefined;
  private readonly right = new RightInput(this);
  private watermark = Number.NEGATIVE_INFINITY;

  constructor(private readonly node: JoinNode) {
    super(node.id, node.name);
    this.keys = [keySelectorOf(node, 0), keySelectorOf(node, 1)];
  }

  override open(ctx: OperatorContext): void {
    const fn = this.node.fn;
    this.state = new KeyGroupPartitionedState(ctx.keyGroupRange, ctx.maxParallelism, () => new IncrementalJoin(fn), this.name);
  }

  override input(typeNumber: number): Output {
    return typeNumber === 1 ? this.right : this;
  }

  collect(value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    this.processElement(0, value, eventTime, emitTime, ingestTime);
  }

  processElement(side: number, value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    const key = this.keys[side](value);
    this.state!.forKey(key).add(side, key, value, eventTime, emitTime, ingestTime, this.emitJoined);
  }

  override emitWatermark(watermark: number): void {
    if (watermark <= this.watermark) return;
    this.watermark = watermark;
    this.output.emitWatermark(watermark);
  }

  private readonly emitJoined: Emit = (value, eventTime, emitTime, ingestTime) => {
    this.output.collect(value, eventTime, emitTime, ingestTime);
  };

  override snapshotState(): OperatorSnapshotFutures {
    return { kind: 'keyed', keyed: this.state!.snapshotCopyOnWrite() };
  }

  override restoreState(snapshots: readonly unknown[]): void {
    this.state!.restore(snapshots as KeyGroupsSnapshot<IncrementalJoinSnapshot>[]);
  }

  /** Records held over all key groups. */
  get heldRecords(): number {
    let n = 0;
    for (const j of this.state?.active ?? []) n += j.size;
    return n;
  }
}
