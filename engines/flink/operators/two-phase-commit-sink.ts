/**
 * Flink's `TwoPhaseCommitSinkFunction`: records go into the open transaction; the checkpoint's synchronous
 * part pre-commits it (it becomes part of the operator's state, under the checkpoint's id) and opens the
 * next; when the checkpoint completes, every pre-committed transaction up to it commits. A restore commits
 * the restored pre-committed transactions (the external system ignores one already committed) and drops the
 * open one, whose records the rewound sources emit again. End of input commits everything (the final
 * checkpoint). Output is therefore late by up to a checkpoint interval, and written exactly once.
 */
import { isTransactional, type StagedRecord, type TransactionalSinkSet } from '../../api/index.js';
import { StreamOperator, type OperatorContext, type OperatorSnapshotFutures } from './stream-operator.js';

interface SinkSnapshot {
  readonly subtask: number;
  /** Pre-committed, not known to be committed: [checkpoint id, records]. */
  readonly pending: readonly (readonly [number, readonly StagedRecord[]])[];
}

export class TwoPhaseCommitSink extends StreamOperator {
  private store: TransactionalSinkSet | undefined;
  private subtask = 0;
  private openTransaction: StagedRecord[] = [];
  private readonly preCommitted = new Map<number, StagedRecord[]>();
  /** Records received, transactions committed by this subtask. */
  records = 0;
  committedTransactions = 0;

  override open(ctx: OperatorContext): void {
    const sinks = ctx.io.sinks;
    if (!isTransactional(sinks)) throw new Error(`${this.name}: a two-phase-commit sink needs a transactional sink set`);
    this.store = sinks;
    this.subtask = ctx.subtaskIndex;
  }

  collect(value: unknown, _eventTime: number, emitTime: number, ingestTime: number): void {
    this.records++;
    this.openTransaction.push([value, emitTime, ingestTime]);
  }

  override emitWatermark(): void {}

  override snapshotState(checkpointId: number): OperatorSnapshotFutures {
    this.preCommitted.set(checkpointId, this.openTransaction);
    this.openTransaction = [];
    const state: SinkSnapshot = { subtask: this.subtask, pending: [...this.preCommitted] };
    return { kind: 'operator', state };
  }

  override notifyCheckpointComplete(checkpointId: number): void {
    for (const [id, records] of this.preCommitted) {
      if (id > checkpointId) continue;
      this.commit(id, records);
      this.preCommitted.delete(id);
    }
  }

  override restoreState(snapshots: readonly unknown[]): void {
    for (const s of snapshots as SinkSnapshot[]) {
      if (s.subtask !== this.subtask) continue;
      for (const [id, records] of s.pending) this.commit(id, records);
    }
  }

  override finish(): void {
    for (const [id, records] of this.preCommitted) this.commit(id, records);
    this.preCommitted.clear();
    this.commit(Number.POSITIVE_INFINITY, this.openTransaction);
    this.openTransaction = [];
  }

  private commit(checkpointId: number, records: readonly StagedRecord[]): void {
    this.committedTransactions++;
    (this.store as TransactionalSinkSet).commit(`${this.name}/${this.subtask}/${checkpointId}`, this.name, records);
  }
}
