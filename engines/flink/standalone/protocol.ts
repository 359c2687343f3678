/**
 * What the processes of a standalone Flink cluster say to each other (bodies of control-channel messages
 * and of the slot threads' messages). Client -> JobManager: `submitJob`, `clusterStatus`, `shutdown`;
 * TaskManager -> ResourceManager: `registerTaskExecutor`, `heartbeat`, `slotFinished`, `slotFailed`;
 * JobMaster -> TaskManager: `connectPeers`, `deploySlot`, `cancelSlots`, `shutdown`; client -> JobMaster:
 * `faultInjected` (before the client kills a TaskManager, so that the failover names its fault);
 * JobManager -> client: `failover` (each step of a recovery), `jobFinished`, `jobFailed`; slot thread ->
 * driver: sink records and commits, the log protocol, `slotDone`. Every message about a deployment names
 * its execution attempt, so that a late word from a cancelled attempt is told apart and dropped.
 */
import type { DataflowRecipe, OptionValues } from '../../api/index.js';
import type { DaemonStatus, ProcessFigures } from '../../runtime/cluster/index.js';
import type { FlinkBufferStats, FlinkEngineStats, FlinkTaskStats } from '../flink-stats.js';
import type { FlinkRecoveryStats } from '../failover/flink-job.js';
import type { CheckpointMode } from '../options.js';
import type { TaskCheckpointMetrics, TaskStateHandle } from '../taskmanager/checkpoint-responder.js';

export interface SubmitJob {
  readonly recipe: DataflowRecipe;
  readonly parallelism: number;
  readonly values: OptionValues;
  /** The client's JobGraph, by vertex: the JobManager checks that it rebuilt the same one. */
  readonly vertices: readonly { name: string; parallelism: number }[];
  /** Where the slot threads fetch the log and send sink records. */
  readonly driverPort: number;
  readonly epochOffsetMs: number;
  /** TaskManagers the client started, and how long to wait for them to register (ms). */
  readonly taskManagers: number;
  readonly registrationTimeoutMs: number;
}

/** The completed checkpoint an attempt restores: its state files are on the shared checkpoint directory. */
export interface RestoreCheckpoint {
  readonly checkpointId: number;
  readonly timestamp: number;
  readonly completedAt: number;
  readonly mode: CheckpointMode;
  readonly sizeBytes: number;
  readonly tasks: readonly TaskStateHandle[];
}

/** client -> JobMaster: the client is about to kill or stall this TaskManager for fault `fault`. */
export interface FaultInjected {
  readonly fault: number;
  readonly taskManager: number;
  /** When it happens (cluster clock ms). */
  readonly timeMs: number;
}

/** JobManager -> client: a step of a recovery (the harness's FaultEvent, with the fault's index or -1). */
export interface FailoverEvent {
  readonly fault: number;
  readonly type: 'detected' | 'restarted' | 'failed';
  readonly timeMs: number;
  readonly detail: string;
  /** `restarted` only: the new attempt and the slots it deployed. */
  readonly attempt?: number;
  readonly slots?: readonly number[];
}

export interface SubmitAnswer {
  /** Global slot numbers deployed. */
  readonly slots: number[];
  readonly clusterReadyAt: number;
}

export interface RegisterTaskExecutor {
  /** 0-based. */
  readonly index: number;
  readonly slots: number;
  readonly dataPort: number;
  readonly pid: number;
}

export interface TaskManagerHeartbeat {
  readonly figures: ProcessFigures;
}

/** What the JobMaster deploys into one slot (Flink's TaskDeploymentDescriptors of the slot's subtasks). */
export interface SlotDeployment {
  readonly recipe: DataflowRecipe;
  readonly parallelism: number;
  readonly values: OptionValues;
  /** Global slot number. */
  readonly slot: number;
  readonly taskManager: number;
  /** Execution attempt, from 1: a restart deploys the next. */
  readonly attempt: number;
  /** State and source offsets to restore (a restart with a completed checkpoint); null: fresh state. */
  readonly restore: RestoreCheckpoint | null;
  /** The JobMaster's assignment, per vertex id and subtask: global slot numbers. */
  readonly slotOf: readonly (readonly number[])[];
  readonly driverPort: number;
  readonly epochOffsetMs: number;
  /** Where the job's checkpoints go (`<root>/<jobId>/chk-<n>`), null with checkpointing off. */
  readonly checkpoints: { readonly root: string; readonly jobId: string } | null;
}

/** JobMaster -> TaskManager -> slot thread: the coordinator's calls on one task. */
export interface CheckpointCall {
  readonly slot: number;
  readonly task: string;
  readonly call: 'trigger' | 'complete' | 'abort';
  readonly checkpointId: number;
  readonly timestamp: number;
}

/** Slot thread -> TaskManager -> JobMaster: what a task's CheckpointResponder says. */
export type CheckpointReport =
  | {
      readonly type: 'checkpointAck';
      readonly checkpointId: number;
      readonly state: TaskStateHandle;
      readonly metrics: TaskCheckpointMetrics;
    }
  | { readonly type: 'checkpointDecline'; readonly task: string; readonly checkpointId: number; readonly reason: string }
  | { readonly type: 'taskFinished'; readonly task: string; readonly vertexId: number; readonly subtaskIndex: number };

export interface ConnectPeers {
  /** Every TaskManager's data port by index. */
  readonly dataPorts: readonly number[];
  /** The TaskManager of every global slot. */
  readonly slotTaskManagers: readonly number[];
}

/** The final figures of one slot. */
export interface SlotReport {
  readonly slot: number;
  readonly attempt: number;
  readonly taskManager: number;
  readonly tasks: FlinkTaskStats[];
  readonly buffers: FlinkBufferStats;
  readonly windows: { lateRecordsDropped: number; windowsFired: number; earlyResults: number; windowStateEntries: number };
  readonly lateByOperator: Record<string, number>;
  readonly portMessages: number;
}

/** JobManager -> client, polled while the job runs: the daemons, and the checkpoints so far. */
export interface JobStatus {
  readonly daemons: DaemonStatus[];
  readonly checkpoints?: FlinkEngineStats['checkpoints'];
  readonly checkpointSummary?: FlinkEngineStats['checkpointSummary'];
}

export interface JobFinished {
  readonly daemons: DaemonStatus[];
  /** The attempt that finished, and its slots (their reports are the job's figures). */
  readonly attempt: number;
  readonly slots: readonly number[];
  readonly recovery: FlinkRecoveryStats;
  readonly checkpoints: FlinkEngineStats['checkpoints'];
  readonly checkpointSummary: FlinkEngineStats['checkpointSummary'];
  readonly socketMessages: number;
  readonly socketBytes: number;
  readonly connections: number;
}

/** Messages a slot thread posts to its TaskManager's main thread. */
export type SlotThreadMessage =
  | CheckpointReport
  | { readonly type: 'running'; readonly slot: number }
  | { readonly type: 'finished'; readonly slot: number }
  | { readonly type: 'failed'; readonly slot: number; readonly message: string };
