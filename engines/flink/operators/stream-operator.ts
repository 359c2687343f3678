/**
 * The operator contract inside a task, as Flink's `StreamOperator` / `Output`.
 *
 * A chained operator *is* an {@link Output}: `collect` is its processElement and `emitWatermark` its
 * processWatermark, so a record moves down a chain by direct method calls, with no queue: through a
 * CopyingChainingOutput that copies it first (Flink's default), or handed over as is with object reuse
 * (Flink's ChainingOutput). An operator's own output is the next chained operator, a
 * {@link BroadcastingOutput} over several, or a network writer.
 */
import type { Clock, MetricsRecorder, RunIO } from '../../api/index.js';
import type { TimerService } from '../../runtime/index.js';
import type { KeyGroupRange } from '../state/key-groups.js';
import type { KeyedStateSnapshot } from '../state/keyed-state-backend.js';
import type { FlinkConfig } from '../options.js';

export interface Output {
  /** One record with its three times (ms). */
  collect(value: unknown, eventTime: number, emitTime: number, ingestTime: number): void;
  /** The event time (ms) up to which no more records are expected. */
  emitWatermark(watermark: number): void;
}

/** What an operator gets from its task when it opens. */
export interface OperatorContext {
  readonly io: RunIO;
  readonly clock: Clock;
  /** The task's processing-time timers: callbacks run in the task's mailbox. */
  readonly timers: TimerService;
  readonly metrics: MetricsRecorder;
  readonly config: FlinkConfig;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
}

/**
 * The synchronous part of one operator's snapshot (Flink's `OperatorSnapshotFutures`): operator state
 * (a source's offsets) is copied right away; keyed state is a copy-on-write snapshot that the
 * asynchronous part reads one key group at a time.
 */
export type OperatorSnapshotFutures =
  | { readonly kind: 'operator'; readonly state: unknown }
  | { readonly kind: 'keyed'; readonly keyed: KeyedStateSnapshot };

/** Discards everything: the output of a sink. */
export const NO_OUTPUT: Output = { collect() {}, emitWatermark() {} };

export abstract class StreamOperator implements Output {
  /** Set by the operator chain before `open`. */
  output: Output = NO_OUTPUT;

  /**
   * @param id the stream node id (state is stored under it)
   * @param name the operator's name
   */
  constructor(
    readonly id: number,
    readonly name: string,
  ) {}

  /** processElement of input 0 (see the file comment). */
  abstract collect(value: unknown, eventTime: number, emitTime: number, ingestTime: number): void;

  /** processWatermark: stateless operators forward it. */
  emitWatermark(watermark: number): void {
    this.output.emitWatermark(watermark);
  }

  /** The entry of input `typeNumber` (1 only for two-input operators). */
  input(typeNumber: number): Output {
    if (typeNumber !== 0) throw new Error(`${this.name} has one input, not input ${typeNumber}`);
    return this;
  }

  open(_ctx: OperatorContext): void {}

  /** The synchronous part of a checkpoint's snapshot, on the task's turn; undefined when stateless. */
  snapshotState(_checkpointId: number): OperatorSnapshotFutures | undefined {
    return undefined;
  }

  /** Restores from the snapshots of every subtask of this operator in a completed checkpoint. */
  restoreState(_snapshots: readonly unknown[]): void {}

  notifyCheckpointComplete(_checkpointId: number): void {}

  /** End of input: everything upstream has ended. */
  finish(): void {}
}

/** Several outputs: each gets every record and watermark (no copies). */
export class BroadcastingOutput implements Output {
  constructor(private readonly outputs: readonly Output[]) {}

  collect(value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    const outs = this.outputs;
    for (let i = 0; i < outs.length; i++) outs[i].collect(value, eventTime, emitTime, ingestTime);
  }

  emitWatermark(watermark: number): void {
    for (const o of this.outputs) o.emitWatermark(watermark);
  }
}
