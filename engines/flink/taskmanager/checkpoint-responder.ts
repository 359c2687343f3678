/**
 * How a task reports checkpoints to the JobManager's coordinator (Flink's `CheckpointResponder`), and what
 * it reports: pointers to the state files its asynchronous part wrote, and how long each part took.
 */

/** One operator subtask's state file in the checkpoint's directory. */
export interface OperatorStateHandle {
  readonly operatorId: number;
  readonly operatorName: string;
  readonly path: string;
  readonly sizeBytes: number;
}

/** A task's part of a checkpoint (Flink's `TaskStateSnapshot` of state handles). */
export interface TaskStateHandle {
  readonly taskName: string;
  readonly vertexId: number;
  readonly subtaskIndex: number;
  /** The stateful operators' files; none for a finished or stateless task. */
  readonly operators: readonly OperatorStateHandle[];
  /** Bytes of all its files. */
  readonly sizeBytes: number;
  /** The task had finished before its barrier: it is part of the checkpoint with no state. */
  readonly finished: boolean;
}

/** What the task measured (Flink's `CheckpointMetrics`), ms. */
export interface TaskCheckpointMetrics {
  /** First to last barrier. */
  readonly alignmentMs: number;
  /** The synchronous part, on the task's turn. */
  readonly syncDurationMs: number;
  /** The asynchronous part: its first run to its last (serialization and writes, and its waits for a turn). */
  readonly asyncDurationMs: number;
}

export const NO_METRICS: TaskCheckpointMetrics = { alignmentMs: 0, syncDurationMs: 0, asyncDurationMs: 0 };

export interface CheckpointResponder {
  acknowledgeCheckpoint(checkpointId: number, state: TaskStateHandle, metrics: TaskCheckpointMetrics): void;
  declineCheckpoint(taskName: string, checkpointId: number, reason: string): void;
  /** The task ended (its input ended, its asynchronous parts done): it acknowledges pending checkpoints with no state. */
  reportTaskFinished(taskName: string, vertexId: number, subtaskIndex: number): void;
}
