/**
 * The flink engine's `engineStats`, as the JobMaster reports them and the report's Flink panel reads them.
 * Times in ms, sizes in bytes.
 */
import type { CheckpointMode } from './options.js';
import type { CheckpointStats, InFlightCheckpoint } from './jobmanager/checkpoint-coordinator.js';

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
