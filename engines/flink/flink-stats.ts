/**
 * The flink engine's `engineStats`, as the JobMaster reports them and the report's Flink panel reads them.
 * Times in ms, sizes in bytes.
 */
import type { CheckpointMode } from './options.js';
import type { CheckpointStats, InFlightCheckpoint } from './jobmanager/checkpoint-coordinator.js';
import type { DaemonStatus } from '../runtime/cluster/index.js';

/** The standalone deployment's processes and start-up (ms since the client started the cluster). */
export interface FlinkClusterStats {
  /** JobManager first, then the TaskManagers; CPU and memory as of their last heartbeat (the final one at the end). */
  daemons: DaemonStatus[];
  startup: {
    /** Every TaskManager registered with the ResourceManager. */
    clusterReadyMs: number | null;
    /** The job's tasks deployed into their slots. */
    deployedMs: number | null;
    /** The first sink record reached the driver. */
    firstRecordMs: number | null;
  };
  /** TCP connections between TaskManagers (one per pair), and data messages sent over them and between threads. */
  network: { connections: number; socketMessages: number; socketBytes: number; portMessages: number };
}

/** One JobGraph vertex: the operators chained into one task. */
export interface FlinkChainStats {
  task: string;
  operators: string[];
  parallelism: number;
}

/** One subtask. */
export interface FlinkTaskStats {
  name: string;
  subtask: number;
  busyMs: number;
  backPressuredMs: number;
  recordsIn: number;
  recordsOut: number;
  /** Records copied between the task's chained operators (0 with object reuse; absent in older files). */
  recordsCopied?: number;
  /**
   * The subtask's watermark (ms event time), as Flink's UI shows it: the combined input watermark of a task
   * with network inputs, the last one a source task sent downstream; null before the first (absent in older files).
   */
  watermark?: number | null;
  /** 1-based TaskManager and slot the subtask ran in. */
  taskManager: number;
  slot: number;
}

/** Network counters of the job (BufferStats). */
export interface FlinkBufferStats {
  sent: number;
  /** bytes / buffer size, averaged over sent data buffers (0..1). */
  avgFillRatio: number;
  flushedByTimeout: number;
  flushedFull: number;
  flushedByEvent: number;
  events: number;
  bytesSent: number;
  remoteBuffers: number;
  maxOverdraftBuffers: number;
}

export interface FlinkEngineStats {
  /** Where the job ran (absent in older files and in local runs: local). */
  deployment?: 'standalone';
  /** Standalone only. */
  cluster?: FlinkClusterStats;
  /** pipeline.object-reuse (absent in older files: they passed records by reference). */
  objectReuse?: boolean;
  chains: FlinkChainStats[];
  tasks: FlinkTaskStats[];
  buffers: FlinkBufferStats;
  /** The most recent checkpoints (trigger to last acknowledgement; sync and async parts absent in older files). */
  checkpoints: CheckpointStats[];
  checkpointSummary: {
    interval: number | null;
    mode: CheckpointMode;
    completed: number;
    failed: number;
    skippedTicks: number;
    latestCompletedId: number | null;
    /** The checkpoint in flight when the stats were taken, null when none (absent in older files). */
    inFlight?: InFlightCheckpoint | null;
    /** The job's checkpoint directory (`<checkpointDir>/<jobId>`), null with checkpointing off (absent in older files). */
    directory?: string | null;
    /** Whether it was a temporary directory, removed when the job ended (absent in older files). */
    temporaryDirectory?: boolean | null;
  };
  slots: { taskManagers: number; slotsPerTaskManager: number; required: number };
  lateRecordsDropped: number;
  windowsFired: number;
  earlyResults: number;
  windowStateEntries: number;
}
