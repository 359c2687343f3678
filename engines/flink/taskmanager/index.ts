export { TaskManager } from './task-manager.js';
export { TaskSlot } from './task-slot.js';
export { StreamTask, type TaskEnvironment } from './stream-task.js';
export { SourceStreamTask } from './source-stream-task.js';
export { MultipleInputStreamTask } from './multiple-input-stream-task.js';
export { OperatorChain, RecordWriterOutput } from './operator-chain.js';
export { CheckpointedInputGate } from './checkpointed-input-gate.js';
export {
  SingleCheckpointBarrierHandler,
  CheckpointBarrierTracker,
  type CheckpointBarrierHandler,
  type BarrierHandlerHost,
} from './checkpoint-barrier-handler.js';
export {
  NO_METRICS,
  type CheckpointResponder,
  type OperatorStateHandle,
  type TaskCheckpointMetrics,
  type TaskStateHandle,
} from './checkpoint-responder.js';
export { AsyncCheckpointRunnable, ASYNC_BYTES_PER_BUDGET_UNIT, type OperatorToSnapshot } from './async-checkpoint-runnable.js';
