export {
  buildExecutionGraph,
  subpartitionCount,
  channelCount,
  type ExecutionGraph,
  type ExecutionJobVertex,
  type ExecutionVertex,
  type ExecutionEdge,
} from './execution-graph.js';
export {
  slotRequirements,
  allocateSlots,
  type SlotRequirements,
  type SlotSharingGroupRequirement,
  type SlotAssignment,
  type SlotAllocation,
} from './slot-pool.js';
export {
  CheckpointCoordinator,
  operatorStatesOf,
  loadCompletedCheckpoint,
  type CheckpointStats,
  type CompletedCheckpoint,
  type TaskGateway,
} from './checkpoint-coordinator.js';
export { planJob, type JobPlan } from './job-plan.js';
export { JobMaster, type JobMasterOptions } from './job-master.js';
