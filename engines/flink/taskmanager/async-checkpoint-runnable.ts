/**
 * The asynchronous part of one task's checkpoint (Flink's `AsyncCheckpointRunnable`): it serializes what
 * the synchronous part captured (key groups the task changed meanwhile were serialized on write) and writes
 * it into the checkpoint's directory, one state file per stateful operator, then acknowledges to the coordinator with the files' pointers. Flink runs it on the task's
 * asynchronous-operations thread pool; here it is a task of its own on the job's cooperative scheduler, so
 * it takes turns with the stream tasks (round robin, as threads share the cores) and the stream task is
 * free to process records, timers and mail between its runs.
 *
 * Each run serializes at most `budget * ASYNC_BYTES_PER_BUDGET_UNIT` bytes (a key group is never split),
 * so a large state costs many short turns rather than one long one. The writes are synchronous `writeSync`
 * calls of one frame each (to the page cache: microseconds for the frames of one run), which keeps the
 * acknowledgement's moment a function of the scheduler's turns, hence deterministic on a virtual clock;
 * the CPU cost that matters, serialization, has to run on this thread whatever does the writing.
 */
import { join } from 'node:path';
import type { Clock } from '../../api/index.js';
import type { Runnable, TaskResult } from '../../runtime/index.js';
import type { OperatorSnapshotFutures } from '../operators/index.js';
import { OperatorStateFileWriter, STATE_FILE_FORMAT, STATE_FILE_VERSION } from '../state/operator-state-file.js';
import type { OperatorStateHandle, TaskStateHandle } from './checkpoint-responder.js';

/** Serialized bytes per unit of the scheduler's budget (512 units: 64 KiB per run). */
export const ASYNC_BYTES_PER_BUDGET_UNIT = 128;

/** One stateful operator of the chain and the synchronous part of its snapshot. */
export interface OperatorToSnapshot {
  readonly id: number;
  readonly name: string;
  readonly futures: OperatorSnapshotFutures;
}

export interface AsyncCheckpointOutcome {
  readonly checkpointId: number;
  /** Set when every file was written. */
  readonly state?: TaskStateHandle;
  /** Set when writing failed (the checkpoint is declined). */
  readonly failure?: string;
  readonly asyncDurationMs: number;
}

/** A file name for an operator subtask's state (ids keep it unique, the name keeps it readable). */
export function stateFileName(operatorId: number, operatorName: string, subtaskIndex: number): string {
  return `op-${operatorId}-${operatorName.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40)}-${subtaskIndex}.state`;
}

export class AsyncCheckpointRunnable implements Runnable {
  private next = 0;
  private writer: OperatorStateFileWriter | undefined;
  private readonly written: OperatorStateHandle[] = [];
  private startedAt = Number.NaN;
  private over = false;
  /** Runs taken (each one a scheduler turn). */
  runs = 0;

  /**
   * @param location the checkpoint's directory
   * @param onDone called once, from this runnable's own turn, with the files or the failure
   */
  constructor(
    readonly checkpointId: number,
    private readonly task: { readonly name: string; readonly vertexId: number; readonly subtaskIndex: number },
    private readonly operators: readonly OperatorToSnapshot[],
    private readonly location: string,
    private readonly clock: Clock,
    private readonly onDone: (outcome: AsyncCheckpointOutcome) => void,
  ) {}

  run(budget: number): TaskResult {
    if (this.over) return 'done';
    this.runs++;
    if (this.startedAt !== this.startedAt) this.startedAt = this.clock.now();
    try {
      const limit = budget * ASYNC_BYTES_PER_BUDGET_UNIT;
      let bytes = 0;
      while (bytes < limit) {
        if (this.writer === undefined) {
          if (this.next >= this.operators.length) return this.finish(undefined);
          this.writer = this.open(this.operators[this.next]);
        }
        const op = this.operators[this.next];
        if (op.futures.kind === 'operator') {
          bytes += this.writer.write(op.futures.state);
          this.closeCurrent(op);
          continue;
        }
        const group = op.futures.keyed.next();
        if (group === undefined) this.closeCurrent(op);
        else bytes += this.writer.writeSerialized(group);
      }
      return 'yield';
    } catch (err) {
      return this.finish(`writing the state of ${this.task.name} failed: ${(err as Error).message}`);
    }
  }

  /** Gives the asynchronous part up (its checkpoint was aborted, or the job stopped): nothing is acknowledged. */
  cancel(): void {
    if (this.over) return;
    this.over = true;
    this.release();
  }

  private open(op: OperatorToSnapshot): OperatorStateFileWriter {
    const path = join(this.location, stateFileName(op.id, op.name, this.task.subtaskIndex));
    return new OperatorStateFileWriter(path, {
      format: STATE_FILE_FORMAT,
      version: STATE_FILE_VERSION,
      operatorId: op.id,
      operatorName: op.name,
      subtaskIndex: this.task.subtaskIndex,
      kind: op.futures.kind,
      ...(op.futures.kind === 'keyed' ? { maxParallelism: op.futures.keyed.maxParallelism } : {}),
    });
  }

  private closeCurrent(op: OperatorToSnapshot): void {
    const w = this.writer as OperatorStateFileWriter;
    w.close();
    this.written.push({ operatorId: op.id, operatorName: op.name, path: w.path, sizeBytes: w.bytes });
    this.writer = undefined;
    this.next++;
  }

  private finish(failure: string | undefined): TaskResult {
    this.over = true;
    this.release();
    const asyncDurationMs = this.clock.now() - this.startedAt;
    const { name, vertexId, subtaskIndex } = this.task;
    let sizeBytes = 0;
    for (const h of this.written) sizeBytes += h.sizeBytes;
    this.onDone(
      failure === undefined
        ? {
            checkpointId: this.checkpointId,
            state: { taskName: name, vertexId, subtaskIndex, operators: this.written, sizeBytes, finished: false },
            asyncDurationMs,
          }
        : { checkpointId: this.checkpointId, failure, asyncDurationMs },
    );
    return 'done';
  }

  /** Closes an open file and lets go of the copy-on-write snapshots. */
  private release(): void {
    try {
      this.writer?.close();
    } catch {
      // closing after a failed write: the checkpoint is declined or abandoned anyway
    }
    this.writer = undefined;
    for (const op of this.operators) if (op.futures.kind === 'keyed') op.futures.keyed.release();
  }
}
