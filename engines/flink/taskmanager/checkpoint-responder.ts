/**
 * How a task reports checkpoints to the JobManager's coordinator (Flink's `CheckpointResponder`), and what
 * it reports: a task's state snapshot, written to checkpoint storage as bytes.
 */

/** The synchronous part of a task's snapshot: each stateful operator's state, by stream node id. */
export interface TaskStateSnapshot {
  readonly vertexId: number;
  readonly subtaskIndex: number;
  readonly operators: readonly (readonly [number, unknown])[];
}

/** A snapshot in checkpoint storage (the asynchronous part serialized it). */
export interface TaskStateHandle {
  readonly taskName: string;
  readonly vertexId: number;
  readonly subtaskIndex: number;
  /** The serialized {@link TaskStateSnapshot} (node:v8 format); empty for a finished task. */
  readonly bytes: Uint8Array;
  readonly finished: boolean;
}

export interface CheckpointResponder {
  acknowledgeCheckpoint(checkpointId: number, state: TaskStateHandle, alignmentMs: number): void;
  declineCheckpoint(taskName: string, checkpointId: number, reason: string): void;
  /** The task ended (its input ended): it acknowledges pending checkpoints with no state. */
  reportTaskFinished(taskName: string, vertexId: number, subtaskIndex: number): void;
}
