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
export type { CheckpointResponder, TaskStateSnapshot, TaskStateHandle } from './checkpoint-responder.js';
