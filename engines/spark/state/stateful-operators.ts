/**
 * The keyed stateful operators of the dataflow API as they run on the reduce side of a shuffle, once per
 * batch and partition: event-time window aggregates and window joins as keyed state over (window, key)
 * (the shared WindowAggregation / WindowJoin), and the unwindowed join (the shared IncrementalJoin, as
 * Structured Streaming's symmetric hash join).
 *
 * Watermarks, as Structured Streaming applies them with several stateful operators: the driver fixes
 * two per operator when a batch starts, from the event times seen by the batches completed before it.
 * Input records are dropped as late against the previous batch's eviction watermark, then windows closed
 * at this batch's eviction watermark fire, once (append mode). So results an upstream window fires in a
 * batch reach a downstream window in the same batch before it evicts.
 *
 * State access: mapWithState (the default) touches only the keys present in the batch (plus the windows
 * that fire, found through the timer heap); updateStateByKey calls the update function on every entry
 * of the state in every batch, so its cost grows with the state, not with the batch.
 */
import { windowClosed, type AggregateFunction, type Key, type KeySelector, type TimeWindow, type WindowSpec } from '../../api/index.js';
import { IncrementalJoin, WindowAggregation, WindowJoin, type Emit, type KeyedWindows } from '../../operators/index.js';
import type { TaskContext } from '../rdd/task-context.js';
import { entriesCursor, type CheckpointCursor, type CheckpointSource } from '../streaming/checkpoint-writer.js';
import type { WindowCombiner } from '../rdd/shuffled-rdd.js';
import type { StateMode } from '../spark-conf.js';
import { StateStore, type PartitionState } from './state-store.js';

/** One batch's update of one partition's state. */
export interface StateUpdate {
  /** Where the shuffled records of input `side` go (0 = the only input, or the left one of a join). */
  readonly inputs: readonly Emit[];
  /** After all input: the full-state pass (updateStateByKey), eviction, and the version commit. */
  finish(): void;
}

export abstract class StatefulOperator implements CheckpointSource {
  /** Set by the StreamingContext (spark.checkpointInterval). */
  checkpointIntervalMs = 0;
  /** Entries visited by updateStateByKey's full-state passes. */
  entriesTouched = 0;
  /** Of those, entries the update function found finished (their window closed; they fire that batch). */
  entriesFinished = 0;
  abstract readonly kind: 'windowAggregate' | 'windowJoin' | 'join';
  abstract readonly store: StateStore<PartitionState>;

  /**
   * @param index the operator's slot in each batch's watermark arrays
   * @param keys the key selector of each input
   */
  constructor(readonly name: string, readonly index: number, readonly numPartitions: number, readonly keys: readonly KeySelector<any>[],
    readonly mode: StateMode) {}

  openCheckpoint(split: number): CheckpointCursor {
    const snapshot = this.store.get(split).snapshot() as { entries?: unknown[]; sides?: unknown[][] };
    const entries = Array.isArray(snapshot.entries) ? snapshot.entries
      : Array.isArray(snapshot.sides) ? snapshot.sides.flatMap((side, i) => side.map((e) => [i, e])) : [snapshot];
    return entriesCursor(entries);
  }

  /** Map-side combine of input `side`, if the operator allows it. */
  combinerFor(_side: number): WindowCombiner | undefined {
    return undefined;
  }

  /** Opens partition `split` for the batch that computes `version`; results go to `out`. */
  abstract open(split: number, version: number, ctx: TaskContext, out: Emit): StateUpdate;

  /** One line for explain. */
  abstract describe(): string;
}

/** Shared by window aggregates and window joins: keyed (window, key) state. */
abstract class WindowedOperator<S extends KeyedWindows<any>> extends StatefulOperator {
  abstract override readonly store: StateStore<S>;

  protected finishWindows(state: S, split: number, version: number, ctx: TaskContext, out: Emit, dropped: number): void {
    ctx.lateRecords(this.name, dropped);
    const evict = ctx.batch.evictionWatermark[this.index];
    if (this.mode === 'updateStateByKey') this.updateEveryKey(state, evict);
    state.advance(evict, out);
    this.afterEviction(state, ctx, out);
    this.store.commit(split, version);
  }

  /** Emits more after the final firings of a batch (early firing). */
  protected afterEviction(_state: S, _ctx: TaskContext, _out: Emit): void {}

  /**
   * updateStateByKey: the update function runs for every (window, key) of the state, with or without new
   * values; for an event-time window it decides whether the entry is finished (its window closed).
   */
  private updateEveryKey(state: S, evict: number): void {
    let touched = 0;
    let finished = 0;
    state.forEachSlot((_key: Key, window: TimeWindow) => {
      touched++;
      if (windowClosed(window.end, evict)) finished++;
    });
    this.entriesTouched += touched;
    this.entriesFinished += finished;
  }
}

/**
 * A window aggregate. With early firing (`earlyFiringMs`), as Structured Streaming's update output mode:
 * a batch whose time crosses a multiple of the interval emits, after the final firings, the current result
 * of every open window that changed since it last fired.
 */
export class WindowAggregateOperator extends WindowedOperator<WindowAggregation> {
  readonly kind = 'windowAggregate';
  readonly store: StateStore<WindowAggregation>;
  private readonly combiner: WindowCombiner | undefined;
  /** Early results emitted. */
  earlyResults = 0;

  constructor(name: string, index: number, numPartitions: number, key: KeySelector<any>, readonly spec: WindowSpec,
    readonly aggregate: AggregateFunction<any, any, unknown>, mode: StateMode, mapSideCombine: boolean,
    readonly earlyFiringMs: number | undefined, private readonly batchIntervalMs: number) {
    super(name, index, numPartitions, [key], mode);
    this.store = new StateStore(numPartitions, () => new WindowAggregation(spec, aggregate, { trackDirty: earlyFiringMs !== undefined }));
    // Sessions merge by extent, not by a fixed (window, key) slot: no partial aggregation before the shuffle.
    this.combiner = mapSideCombine && spec.kind !== 'session' ? { kind: 'window', spec, aggregate } : undefined;
  }

  override combinerFor(): WindowCombiner | undefined {
    return this.combiner;
  }

  open(split: number, version: number, ctx: TaskContext, out: Emit): StateUpdate {
    const state = this.store.get(split);
    const late = ctx.batch.lateWatermark[this.index];
    let dropped = 0;
    const input: Emit = this.combiner
      ? (v, _et, em, ig) => {
        const r = v as [Key, number, unknown];
        if (!state.mergeSlot(r[0], r[1], { acc: r[2], emitTime: em, ingestTime: ig }, late)) dropped++;
      }
      : (v, et, em, ig) => {
        const r = v as [Key, unknown];
        if (!state.add(r[0], r[1], 0, et, em, ig, late)) dropped++;
      };
    return { inputs: [input], finish: () => this.finishWindows(state, split, version, ctx, out, dropped) };
  }

  protected override afterEviction(state: WindowAggregation, ctx: TaskContext, out: Emit): void {
    const every = this.earlyFiringMs;
    if (every === undefined) return;
    // Decided from the batch time alone, so every partition of a batch agrees.
    const t = ctx.batch.time;
    if (Math.floor(t / every) === Math.floor((t - this.batchIntervalMs) / every)) return;
    this.earlyResults += state.emitDirty(out);
  }

  describe(): string {
    const early = this.earlyFiringMs === undefined ? '' : `, early firing every ${this.earlyFiringMs} ms (update mode)`;
    const w = this.spec.kind === 'session' ? `session gap ${this.spec.gap} ms`
      : this.spec.kind === 'tumbling' ? `tumbling ${this.spec.size} ms` : `sliding ${this.spec.size} ms every ${this.spec.slide} ms`;
    return `window aggregate ${this.aggregate.name}, ${w}, ${this.mode}${early}`;
  }
}

export class WindowJoinOperator extends WindowedOperator<WindowJoin> {
  readonly kind = 'windowJoin';
  readonly store: StateStore<WindowJoin>;

  constructor(name: string, index: number, numPartitions: number, keys: readonly KeySelector<any>[], readonly spec: WindowSpec,
    fn: (left: any, right: any, window: TimeWindow) => unknown, mode: StateMode) {
    super(name, index, numPartitions, keys, mode);
    this.store = new StateStore(numPartitions, () => new WindowJoin(spec, fn));
  }

  open(split: number, version: number, ctx: TaskContext, out: Emit): StateUpdate {
    const state = this.store.get(split);
    const late = ctx.batch.lateWatermark[this.index];
    let dropped = 0;
    const side = (s: number): Emit => (v, et, em, ig) => {
      const r = v as [Key, unknown];
      if (!state.add(r[0], r[1], s, et, em, ig, late)) dropped++;
    };
    return { inputs: [side(0), side(1)], finish: () => this.finishWindows(state, split, version, ctx, out, dropped) };
  }

  describe(): string {
    return `window join, ${this.spec.kind === 'session' ? `session gap ${this.spec.gap}` : `${this.spec.kind} ${this.spec.size}`} ms, ${this.mode}`;
  }
}

/**
 * The unwindowed join: every record is kept and joined on arrival with the other side's records of its key
 * (the state only grows, as a regular SQL stream-stream join without watermark). Matches are emitted while
 * the batch's input is read.
 */
export class StreamingJoinOperator extends StatefulOperator {
  readonly kind = 'join';
  readonly store: StateStore<IncrementalJoin>;

  constructor(name: string, index: number, numPartitions: number, keys: readonly KeySelector<any>[], fn: (left: any, right: any) => unknown, mode: StateMode) {
    super(name, index, numPartitions, keys, mode);
    this.store = new StateStore(numPartitions, () => new IncrementalJoin(fn));
  }

  open(split: number, version: number, _ctx: TaskContext, out: Emit): StateUpdate {
    const state = this.store.get(split);
    const side = (s: number): Emit => (v, et, em, ig) => {
      const r = v as [Key, unknown];
      state.add(s, r[0], r[1], et, em, ig, out);
    };
    return { inputs: [side(0), side(1)], finish: () => this.store.commit(split, version) };
  }

  describe(): string {
    return 'symmetric hash join (unwindowed), state kept for every record';
  }
}
