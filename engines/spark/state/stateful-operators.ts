/**
 * The dataflow's keyed operators as keyed state DStreams, one batch and partition at a time on the reduce
 * side of their shuffle: each routes the shuffled records to state keys and values for its
 * {@link StateFunction}, and the state is held as `spark.stateMode` says (mapWithState or
 * updateStateByKey, see keyed-state.ts).
 *
 * - Window aggregates over aligned windows are YSB's Spark job: reduceByKey on (key, window start),
 *   map-side combined (unless `spark.mapSideCombine=false`) and combined again on the reduce side, then one
 *   state update per (key, window) of the batch.
 * - Sessions and window joins update their state record by record (no pre-aggregation is possible).
 * - The unwindowed join keeps every record per key and joins arrivals as they come.
 *
 * Event time, as a DStream program has it: the driver knows the largest event time of the batches
 * completed before this one (a max accumulator), and fixes per operator and batch a closing threshold (that
 * time minus the allowed lateness, minus 1) and a late threshold (the threshold the operator last closed
 * windows at). A record is late when every window of its had closed in an earlier batch; windows close
 * when the batch closes windows at all (every batch for updateStateByKey; mapWithState's full-scan
 * batches). See EventTimeTracker.
 */
import {
  alignedWindowStarts,
  windowClosed,
  type AggregateFunction,
  type Key,
  type KeySelector,
  type TimeWindow,
  type WindowSpec,
} from '../../api/index.js';
import { aggregateSlotOps, joinSlotOps, WindowAggregation, type AggregateSlot, type Emit, type SlotOps } from '../../operators/index.js';
import type { TaskContext } from '../rdd/task-context.js';
import type { WindowCombiner } from '../rdd/shuffled-rdd.js';
import type { StateMode } from '../spark-conf.js';
import type { CheckpointCursor, CheckpointSource } from '../streaming/checkpoint-writer.js';
import {
  MapWithStatePartition,
  MapWithStateUpdate,
  newCounters,
  SerializedStatePartition,
  UpdateStateByKeyUpdate,
  type KeyedPartitionState,
  type KeyedStateUpdate,
  type StateBatch,
  type StateUpdateCounters,
} from './keyed-state.js';
import {
  AlignedWindowFunction,
  IncrementalJoinFunction,
  SessionWindowFunction,
  windowStateKey,
  type JoinValue,
  type SessionValue,
  type StateFunction,
  type WindowValue,
} from './state-functions.js';
import { StatePartitions } from './state-partitions.js';

/** One batch's update of one partition's state. */
export interface StateUpdate {
  /** Where the shuffled records of input `side` go (0 = the only input, or the left one of a join). */
  readonly inputs: readonly Emit[];
  /** After all input: the update of the state, what closes, and the version commit. */
  finish(): void;
}

/** How keyed state is held: `spark.stateMode`, and mapWithState's `spark.deltaChainThreshold`. */
export interface StateSettings {
  readonly mode: StateMode;
  readonly deltaChainThreshold: number;
}

export abstract class StatefulOperator implements CheckpointSource {
  /** Set by the StreamingContext (spark.checkpointInterval). */
  checkpointIntervalMs = 0;
  /** What the batches did so far, summed over partitions. */
  readonly counters: StateUpdateCounters = newCounters();
  /** Batches whose update scanned the whole state (mapWithState's checkpoint batches; every updateStateByKey batch). */
  fullScans = 0;
  abstract readonly kind: 'windowAggregate' | 'windowJoin' | 'join';
  readonly partitions: StatePartitions<KeyedPartitionState>;
  readonly mode: StateMode;

  /**
   * @param index the operator's slot in each batch's threshold arrays
   * @param keys the key selector of each input
   */
  constructor(
    readonly name: string,
    readonly index: number,
    readonly numPartitions: number,
    readonly keys: readonly KeySelector<any>[],
    state: StateSettings,
  ) {
    this.mode = state.mode;
    this.partitions = new StatePartitions<KeyedPartitionState>(numPartitions, () =>
      state.mode === 'mapWithState' ? MapWithStatePartition.empty(state.deltaChainThreshold) : SerializedStatePartition.empty(),
    );
  }

  /** Map-side combine of input `side`, if the operator allows it. */
  combinerFor(_side: number): WindowCombiner | undefined {
    return undefined;
  }

  /** Opens partition `split` for the batch that computes `version`; results go to `out`. */
  abstract open(split: number, version: number, ctx: TaskContext, out: Emit): StateUpdate;

  /** One line for explain. */
  abstract describe(): string;

  openCheckpoint(split: number): CheckpointCursor {
    return this.partitions.get(split).checkpoint();
  }

  /** The batch's thresholds for this operator, and whether changed windows fire early in it. */
  protected stateBatch(ctx: TaskContext, flush = false): StateBatch {
    const b = ctx.batch;
    const closing = b.closing[this.index] === 1;
    return { time: b.time, lateThreshold: b.lateThreshold[this.index], closeThreshold: b.closeThreshold[this.index], closing, flush };
  }

  /** Begins the batch's update of partition `split` with the operator's state function; it counts into `counters` (the task's). */
  protected beginUpdate<S, V>(
    fn: StateFunction<S, V>,
    split: number,
    batch: StateBatch,
    out: Emit,
    counters: StateUpdateCounters,
  ): KeyedStateUpdate<V> {
    const prev = this.partitions.get(split);
    return this.mode === 'mapWithState'
      ? new MapWithStateUpdate(prev as MapWithStatePartition, fn, batch, out, counters)
      : new UpdateStateByKeyUpdate(prev as SerializedStatePartition, fn, batch, out, counters);
  }

  /** Ends the batch's update: the next state is committed as `version`; the task's counts are added and its late records reported. */
  protected commit(
    split: number,
    version: number,
    update: KeyedStateUpdate<unknown>,
    ctx: TaskContext,
    counters: StateUpdateCounters,
    batch: StateBatch,
  ): void {
    this.partitions.commit(split, version, update.finish());
    if (split === 0 && batch.closing) this.fullScans++;
    const total = this.counters;
    for (const k of Object.keys(counters) as (keyof StateUpdateCounters)[]) total[k] += counters[k];
    ctx.lateRecords(this.name, counters.late);
  }

  /** Entries of every partition, live ones. */
  get stateEntries(): number {
    return this.partitions.size;
  }

  /** Entries held in memory over every partition (mapWithState: every delta's, shadowed ones included). */
  get heldEntries(): number {
    return this.partitions.all().reduce((n, p) => n + p.held, 0);
  }

  /** Serialized bytes held (updateStateByKey). */
  get stateBytes(): number {
    return this.partitions.all().reduce((n, p) => n + p.bytes, 0);
  }

  /** The longest delta chain of a partition (mapWithState), 0 otherwise. */
  get deltaChainLength(): number {
    return this.partitions.all().reduce((n, p) => Math.max(n, p instanceof MapWithStatePartition ? p.deltaChainLength : 0), 0);
  }

  protected get stateDescription(): string {
    return this.mode === 'mapWithState'
      ? 'mapWithState (StateMap deltas; closed windows removed by the full scan of checkpoint batches)'
      : 'updateStateByKey (the whole state cogrouped and serialized every batch)';
  }
}

function windowText(spec: WindowSpec): string {
  return spec.kind === 'session'
    ? `session gap ${spec.gap} ms`
    : spec.kind === 'tumbling'
      ? `tumbling ${spec.size} ms`
      : `sliding ${spec.size} ms every ${spec.slide} ms`;
}

/**
 * A window aggregate. With early firing (`earlyFiringMs`): a batch whose time crosses a multiple of the
 * interval emits the current result of changed windows, as the program's mapping function would return
 * them: every changed one with updateStateByKey; with mapWithState, those of the batch's keys (all of them
 * in a full-scan batch), the others at a later flush.
 */
export class WindowAggregateOperator extends StatefulOperator {
  readonly kind = 'windowAggregate';
  private readonly combiner: WindowCombiner | undefined;
  private readonly aligned: AlignedWindowFunction<AggregateSlot> | undefined;
  private readonly sessions: SessionWindowFunction<AggregateSlot> | undefined;

  constructor(
    name: string,
    index: number,
    numPartitions: number,
    key: KeySelector<any>,
    readonly spec: WindowSpec,
    readonly aggregate: AggregateFunction<any, any, unknown>,
    state: StateSettings,
    mapSideCombine: boolean,
    readonly earlyFiringMs: number | undefined,
    private readonly batchIntervalMs: number,
  ) {
    super(name, index, numPartitions, [key], state);
    const ops = aggregateSlotOps(aggregate) as SlotOps<AggregateSlot>;
    const early = earlyFiringMs !== undefined;
    if (spec.kind === 'session') this.sessions = new SessionWindowFunction(spec.gap, ops, early);
    else this.aligned = new AlignedWindowFunction(spec.size, ops, early);
    // Sessions merge by extent, not by a fixed (window, key) slot: no partial aggregation before the shuffle.
    this.combiner = mapSideCombine && spec.kind !== 'session' ? { kind: 'window', spec, aggregate } : undefined;
  }

  override combinerFor(): WindowCombiner | undefined {
    return this.combiner;
  }

  /** Whether batch `time` crosses a multiple of the early-firing interval (the same for every partition). */
  private flushes(time: number): boolean {
    const every = this.earlyFiringMs;
    return every !== undefined && Math.floor(time / every) !== Math.floor((time - this.batchIntervalMs) / every);
  }

  open(split: number, version: number, ctx: TaskContext, out: Emit): StateUpdate {
    const batch = this.stateBatch(ctx, this.flushes(ctx.batch.time));
    const counters = newCounters();
    if (this.sessions !== undefined) {
      const update = this.beginUpdate(this.sessions, split, batch, out, counters);
      const input: Emit = (v, et, em, ig) => {
        const [key, value] = v as [Key, unknown];
        update.update(key, { key, side: 0, value, eventTime: et, emitTime: em, ingestTime: ig } satisfies SessionValue);
      };
      return { inputs: [input], finish: () => this.commit(split, version, update, ctx, counters, batch) };
    }
    // reduceByKey's reduce side: the batch's partials (or records) combined per (key, window start).
    const combined = new WindowAggregation(this.spec, this.aggregate);
    const late = batch.lateThreshold;
    let dropped = 0;
    const input: Emit = this.combiner
      ? (v, _et, em, ig) => {
          const r = v as [Key, number, unknown];
          if (!combined.mergeSlot(r[0], r[1], { acc: r[2], emitTime: em, ingestTime: ig }, late)) dropped++;
        }
      : (v, et, em, ig) => {
          const r = v as [Key, unknown];
          if (!combined.add(r[0], r[1], 0, et, em, ig, late)) dropped++;
        };
    const finish = () => {
      const update = this.beginUpdate(this.aligned!, split, batch, out, counters);
      combined.forEachSlot((key, window, slot) => {
        update.update(windowStateKey(key, window.start), {
          kind: 'slot',
          key,
          start: window.start,
          slot,
        } satisfies WindowValue<AggregateSlot>);
      });
      counters.late += dropped;
      this.commit(split, version, update, ctx, counters, batch);
    };
    return { inputs: [input], finish };
  }

  describe(): string {
    const early = this.earlyFiringMs === undefined ? '' : `, changed windows emitted every ${this.earlyFiringMs} ms`;
    const by = this.spec.kind === 'session' ? 'state per key' : 'reduceByKey then state per (key, window start)';
    return `window aggregate ${this.aggregate.name}, ${windowText(this.spec)}, ${by}, ${this.stateDescription}${early}`;
  }
}

/** A window join: both sides' records per (key, window start), or per key for sessions; pairs emitted when the window closes. */
export class WindowJoinOperator extends StatefulOperator {
  readonly kind = 'windowJoin';
  private readonly ops: SlotOps<unknown>;
  private readonly starts: number[] = [];

  constructor(
    name: string,
    index: number,
    numPartitions: number,
    keys: readonly KeySelector<any>[],
    readonly spec: WindowSpec,
    fn: (left: any, right: any, window: TimeWindow) => unknown,
    state: StateSettings,
  ) {
    super(name, index, numPartitions, keys, state);
    this.ops = joinSlotOps(fn) as SlotOps<unknown>;
  }

  open(split: number, version: number, ctx: TaskContext, out: Emit): StateUpdate {
    const batch = this.stateBatch(ctx);
    const counters = newCounters();
    const spec = this.spec;
    if (spec.kind === 'session') {
      const update = this.beginUpdate(new SessionWindowFunction(spec.gap, this.ops, false), split, batch, out, counters);
      const side =
        (s: number): Emit =>
        (v, et, em, ig) => {
          const [key, value] = v as [Key, unknown];
          update.update(key, { key, side: s, value, eventTime: et, emitTime: em, ingestTime: ig } satisfies SessionValue);
        };
      return { inputs: [side(0), side(1)], finish: () => this.commit(split, version, update, ctx, counters, batch) };
    }
    const update = this.beginUpdate(new AlignedWindowFunction(spec.size, this.ops, false), split, batch, out, counters);
    const starts = this.starts;
    const side =
      (s: number): Emit =>
      (v, et, em, ig) => {
        const [key, value] = v as [Key, unknown];
        const n = alignedWindowStarts(spec, et, starts);
        let live = false;
        for (let i = 0; i < n; i++) {
          const start = starts[i];
          if (windowClosed(start + spec.size, batch.lateThreshold)) continue;
          live = true;
          update.update(windowStateKey(key, start), {
            kind: 'record',
            key,
            start,
            side: s,
            value,
            emitTime: em,
            ingestTime: ig,
          } satisfies WindowValue<unknown>);
        }
        if (n > 0 && !live) counters.late++;
      };
    return { inputs: [side(0), side(1)], finish: () => this.commit(split, version, update, ctx, counters, batch) };
  }

  describe(): string {
    return `window join, ${windowText(this.spec)}, state per ${this.spec.kind === 'session' ? 'key' : '(key, window start)'}, ${this.stateDescription}`;
  }
}

/** The unwindowed join: every record kept per key, joined on arrival with the other side's; the state only grows. */
export class StreamingJoinOperator extends StatefulOperator {
  readonly kind = 'join';
  private readonly fn: IncrementalJoinFunction;

  constructor(
    name: string,
    index: number,
    numPartitions: number,
    keys: readonly KeySelector<any>[],
    fn: (left: any, right: any) => unknown,
    state: StateSettings,
  ) {
    super(name, index, numPartitions, keys, state);
    this.fn = new IncrementalJoinFunction(fn);
  }

  open(split: number, version: number, ctx: TaskContext, out: Emit): StateUpdate {
    const batch = this.stateBatch(ctx);
    const counters = newCounters();
    const update = this.beginUpdate(this.fn, split, batch, out, counters);
    const side =
      (s: number): Emit =>
      (v, et, em, ig) => {
        const [key, value] = v as [Key, unknown];
        update.update(key, { side: s, value, eventTime: et, emitTime: em, ingestTime: ig } satisfies JoinValue);
      };
    return { inputs: [side(0), side(1)], finish: () => this.commit(split, version, update, ctx, counters, batch) };
  }

  describe(): string {
    return `incremental join (unwindowed), both sides' records per key, ${this.stateDescription}`;
  }
}
