/**
 * What user code implements and sees: spouts and bolts (Storm's `ISpout`, `IRichBolt`/`IBasicBolt`), the
 * context they are opened with, and the collectors they emit through.
 */
import type { Clock, Key } from '../../api/index.js';
import type { TimerService } from '../../runtime/index.js';
import type { AnchorSet } from '../executor/anchor-set.js';
import type { Tuple } from '../executor/tuple.js';

/** Where a task runs and who its peers are (Storm's `TopologyContext`). */
export interface TopologyContext {
  readonly topologyName: string;
  readonly componentId: string;
  /** This task's id (1-based over the whole topology, components in sorted order). */
  readonly taskId: number;
  /** This task's index among its component's tasks (0-based). */
  readonly taskIndex: number;
  /** Every task id of this component, ascending. */
  readonly componentTasks: readonly number[];
  /** The worker (slot) this task runs in: `supervisor:port`. */
  readonly worker: string;
  /** True when acker executors exist: anchored emits are tracked. */
  readonly ackersEnabled: boolean;
  readonly clock: Clock;
  /** Timers that fire in this task's executor, between tuples (Storm's tick tuples). */
  readonly timers: TimerService;
}

/** The spout side of emitting (Storm's `SpoutOutputCollector`). */
export interface SpoutOutputCollector {
  /**
   * Emits a tuple on `stream` with a message id `(source, sequence)` (e.g. partition and offset): tracked
   * by the ackers when there are any (`ack`/`fail` come back), acked at once otherwise.
   */
  emit(value: unknown, eventTime: number, emitTime: number, ingestTime: number, source: number, sequence: number, stream?: string): void;
  /** Emits without a message id: never tracked (at-most-once). */
  emitUnanchored(value: unknown, eventTime: number, emitTime: number, ingestTime: number, stream?: string): void;
  /** Tuples emitted by this task that are neither acked nor failed yet. */
  readonly pendingCount: number;
}

export interface ISpout {
  open(context: TopologyContext, collector: SpoutOutputCollector): void;
  /** Emits at most one tuple; returns false when there was nothing to emit now. */
  nextTuple(): boolean;
  /** The tuple tree of message `(source, sequence)` completed. */
  ack(source: number, sequence: number): void;
  /** It failed or timed out (`timedOut`): the spout may replay it. */
  fail(source: number, sequence: number, timedOut: boolean): void;
  /** Calls `wake` once there may be something to emit (what a consumer's blocking poll waits for). */
  waitForData(wake: () => void): void;
  /** Bounded input: everything has been emitted and nothing waits for replay. */
  isExhausted(): boolean;
  close?(): void;
}

/** The bolt side of emitting (Storm's `OutputCollector`). */
export interface OutputCollector {
  /** Emits `value` on `stream`, anchored to `anchor` (null: unanchored). */
  emit(anchor: Tuple | null, value: unknown, eventTime: number, emitTime: number, ingestTime: number, stream?: string): void;
  /** Emits anchored to several input tuples: the new tuple joins every one of their trees. */
  emitAnchored(anchors: readonly Tuple[], value: unknown, eventTime: number, emitTime: number, ingestTime: number, stream?: string): void;
  /** Emits anchored to every tuple of an indexed {@link AnchorSet} (a window's tuples, shared by its results); `settle()` it before acking them. */
  emitAnchoredTo(anchors: AnchorSet, value: unknown, eventTime: number, emitTime: number, ingestTime: number, stream?: string): void;
  /** Emits to one task of a direct stream's consumer (Storm's `emitDirect`). */
  emitDirect(
    taskId: number,
    anchor: Tuple | null,
    value: unknown,
    eventTime: number,
    emitTime: number,
    ingestTime: number,
    stream?: string,
  ): void;
  /** Sends a watermark (ms) to every task of every subscriber (the watermark stream is all-grouped). */
  emitWatermark(watermark: number): void;
  ack(input: Tuple): void;
  fail(input: Tuple): void;
  /**
   * Appends the `[rootHi, rootLo, valueHi, valueLo]` acks that acking `input` now would send, for a bolt
   * that holds its inputs and acks them later (a windowed bolt acks a tuple when it expires).
   */
  ackValues(input: Tuple, out: number[]): void;
  /** Sends one held ack (see {@link ackValues}). */
  sendAck(rootHi: number, rootLo: number, valueHi: number, valueLo: number): void;
}

export interface IBolt {
  prepare(context: TopologyContext, collector: OutputCollector): void;
  /** One data tuple. */
  execute(input: Tuple): void;
  /** IBasicBolt: the executor acks every input after `execute` (anchoring is up to `execute`). */
  readonly autoAck?: boolean;
  /** This bolt assigns timestamps and emits its own watermarks; its inputs' watermarks stop here. */
  readonly generatesWatermarks?: boolean;
  /** The task's input watermark advanced (minimum over its input channels); it is forwarded afterwards. */
  onWatermark?(watermark: number): void;
  /** Every input channel ended (bounded input); end of stream is forwarded afterwards. */
  onEndOfInput?(): void;
  /**
   * Work the bolt put off to be paced by its executor (a windowed bolt's acks of expired tuples): sends at
   * most `max` items and returns how many it sent. The executor calls it before taking new input, as long
   * as {@link hasDeferred} says there is some, so that a burst is sent a budget at a time and waits for
   * room downstream like any emit.
   */
  flushDeferred?(max: number): number;
  hasDeferred?(): boolean;
  cleanup?(): void;
}

/** The key a fields or partial-key grouping partitions on, with the field names shown by explain. */
export interface FieldsSelector {
  readonly fields: string;
  readonly key: (value: any) => Key;
}
