/**
 * Flink's `WindowOperator` (and, with two inputs, the window join): keyed event-time windows over the
 * shared window state, one instance per key group of the subtask's range (the heap keyed state backend).
 * A record goes into its key's group; its windows' event-time timers are the state's fire times; when the
 * combined watermark advances, every key group fires what closed (the timers' `advanceWatermark`), and
 * then the watermark is forwarded, so results always precede the watermark that released them. A record
 * whose every window has already fired is late: dropped and counted.
 *
 * Early firing (a window aggregate with `earlyFiringMs`, Flink's ContinuousProcessingTimeTrigger): a
 * processing-time timer of the task, at every multiple of the interval, emits the current result of each
 * open window that changed since it last fired; the final firing at the watermark still follows.
 */
import { keySelectorOf, type Cancellable, type KeySelector, type WindowAggregateNode, type WindowJoinNode } from '../../api/index.js';
import { WindowAggregation, WindowJoin, type Emit, type KeyedWindows, type KeyedWindowsSnapshot } from '../../operators/index.js';
import { KeyGroupPartitionedState, type KeyGroupsSnapshot } from '../state/keyed-state-backend.js';
import { StreamOperator, type OperatorContext, type OperatorSnapshotFutures, type Output } from './stream-operator.js';

type WindowState = KeyedWindows<unknown>;

/** Input 1 of a window join. */
class SecondInput implements Output {
  constructor(private readonly op: WindowOperator) {}

  collect(value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    this.op.processElement(1, value, eventTime, emitTime, ingestTime);
  }

  emitWatermark(watermark: number): void {
    this.op.emitWatermark(watermark);
  }
}

export class WindowOperator extends StreamOperator {
  private readonly keys: KeySelector<unknown>[];
  private state: KeyGroupPartitionedState<WindowState, KeyedWindowsSnapshot<unknown>> | undefined;
  private watermark = Number.NEGATIVE_INFINITY;
  private readonly second = new SecondInput(this);
  private metrics: OperatorContext['metrics'] | undefined;
  /** Records dropped as late. */
  lateRecordsDropped = 0;
  windowsFired = 0;
  /** Results emitted early (before their window closed). */
  earlyResults = 0;
  private earlyTimer: Cancellable | undefined;

  constructor(private readonly node: WindowAggregateNode | WindowJoinNode) {
    super(node.id, node.name);
    this.keys = node.inputs.map((_, side) => keySelectorOf(node, side));
  }

  override open(ctx: OperatorContext): void {
    const node = this.node;
    const early = node.kind === 'windowAggregate' ? node.earlyFiringMs : undefined;
    const create =
      node.kind === 'windowAggregate'
        ? () => new WindowAggregation(node.window, node.aggregate, { trackDirty: early !== undefined }) as WindowState
        : () => new WindowJoin(node.window, node.fn) as WindowState;
    this.state = new KeyGroupPartitionedState(ctx.keyGroupRange, ctx.maxParallelism, create, this.name);
    this.metrics = ctx.metrics;
    if (early !== undefined) {
      // Timers at multiples of the interval, as the trigger aligns them; run in the task's mailbox.
      this.earlyTimer = ctx.timers.periodic(early, this.onEarlyFiring, (Math.floor(ctx.clock.now() / early) + 1) * early);
    }
  }

  // Emitting early results changes no snapshotted state (only which windows changed since), so no copy.
  private readonly onEarlyFiring = (): void => {
    const groups = this.state!.active;
    for (let i = 0; i < groups.length; i++) this.earlyResults += groups[i].emitDirty(this.emitResult);
  };

  override finish(): void {
    this.earlyTimer?.cancel();
  }

  override input(typeNumber: number): Output {
    if (typeNumber === 1 && this.keys.length === 2) return this.second;
    return super.input(typeNumber);
  }

  collect(value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    this.processElement(0, value, eventTime, emitTime, ingestTime);
  }

  processElement(side: number, value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    const key = this.keys[side](value);
    const windows = (this.state as KeyGroupPartitionedState<WindowState, KeyedWindowsSnapshot<unknown>>).forKey(key);
    if (!windows.add(key, value, side, eventTime, emitTime, ingestTime, this.watermark)) {
      this.lateRecordsDropped++;
      this.metrics!.lateRecordsDropped(this.name, 1);
    }
  }

  /** The combined watermark advanced: fire every key group's closed windows, then forward it. */
  override emitWatermark(watermark: number): void {
    if (watermark <= this.watermark) return;
    this.watermark = watermark;
    const state = this.state!;
    const groups = state.active;
    for (let i = 0; i < groups.length; i++) {
      if (groups[i].nextFireTime <= watermark) this.windowsFired += state.activeForWrite(i).advance(watermark, this.emitResult);
    }
    this.output.emitWatermark(watermark);
  }

  private readonly emitResult: Emit = (value, eventTime, emitTime, ingestTime) => {
    this.output.collect(value, eventTime, emitTime, ingestTime);
  };

  override snapshotState(): OperatorSnapshotFutures {
    return { kind: 'keyed', keyed: this.state!.snapshotCopyOnWrite() };
  }

  override restoreState(snapshots: readonly unknown[]): void {
    this.state!.restore(snapshots as KeyGroupsSnapshot<KeyedWindowsSnapshot<unknown>>[]);
  }

  /** Open (window, key) entries over all key groups. */
  get stateEntries(): number {
    let n = 0;
    for (const g of this.state?.active ?? []) n += g.size;
    return n;
  }
}
