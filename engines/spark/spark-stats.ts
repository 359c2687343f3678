/**
 * The spark engine's `engineStats`, as the StreamingContext reports them and the report's Spark panel reads
 * them. Times in ms (batch times since epoch), sizes in bytes.
 */
import type { SourceKind, StateMode } from './spark-conf.js';
import type { CheckpointInfo } from './streaming/checkpoint-writer.js';
import type { BatchStats } from './streaming/streaming-context.js';

export interface SparkEngineStats {
  batchIntervalMs: number;
  /** The last 1000 batches. */
  batches: BatchStats[];
  batchesTotal: number;
  shuffleBytes: number;
  stateEntries: number;
  /** The last 1000 state checkpoints. */
  checkpoints: CheckpointInfo[];
  /** The rate the PID estimator allowed, per batch (with spark.backpressure). */
  rateLimit: { time: number; ratePerSec: number }[];
  lateRecordsDropped: number;
  source: SourceKind;
  recordsIn: number;
  batchesPending: number;
  meanSchedulingDelayMs: number;
  meanProcessingDelayMs: number;
  meanTotalDelayMs: number;
  maxSchedulingDelayMs: number;
  stagesTotal: number;
  tasksTotal: number;
  executors: number;
  coresPerExecutor: number;
  concurrentJobs: number;
  stateMode: StateMode;
  stateEntriesTouched: number;
  stateEntriesFinished: number;
  earlyResults: number;
  checkpointIntervalMs: number;
  checkpointsTotal: number;
  /** The watermark of each timestamps node (ms); null before the first. */
  watermarks: (number | null)[];
}
