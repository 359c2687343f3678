/**
 * The spark engine's `engineStats`, as the StreamingContext reports them and the report's Spark panel reads
 * them. Times in ms (batch times since epoch), sizes in bytes.
 */
import type { DaemonStatus } from '../runtime/cluster/index.js';
import type { TaskLaunchCost } from './standalone/executor-cluster.js';
import type { SourceKind, StateMode, WindowOperation } from './spark-conf.js';
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
  /** Keyed state: entries the update functions touched, scanned (full scans) and closed. */
  stateEntriesTouched: number;
  stateEntriesScanned: number;
  stateEntriesClosed: number;
  /** mapWithState: full scans of the state (its checkpoint batches and the last). */
  stateFullScans: number;
  /** Entries held in memory (live, in older delta maps, or closed and kept one batch). */
  stateEntriesHeld: number;
  stateBytes: number;
  /** updateStateByKey: bytes of state serialized (MEMORY_ONLY_SER), summed over batches. */
  stateBytesSerialized: number;
  /** mapWithState: delta maps above the last compacted one. */
  deltaChainLength: number;
  earlyResults: number;
  checkpointIntervalMs: number;
  checkpointsTotal: number;
  checkpointStoredBytes: number;
  windowOperation: WindowOperation;
  /** MEMORY_ONLY_SER blocks (windows' batches, state): bytes held, records written and read. */
  serializedBlockBytes: number;
  recordsSerializedToBlocks: number;
  recordsDeserializedFromBlocks: number;
  /** The event-time threshold (largest event time of earlier batches minus the lateness) per timestamps node; null before the first. */
  eventTimeThresholds: (number | null)[];
  /** `standalone` when the executors are processes; absent in the local deployment. */
  deployment?: 'standalone';
  cluster?: SparkClusterStats;
}

/** The standalone deployment's processes (ms since the driver started its executors). */
export interface SparkClusterStats {
  daemons: DaemonStatus[];
  startup: { executorsRegisteredMs: number | null };
  /** Tasks sent to executor processes, and tasks that could not travel and ran in the driver. */
  tasksOnExecutors: number;
  tasksOnDriver: number;
  /** What the process boundary costs a task: driver submit -> executor start -> result back. */
  taskLaunch: TaskLaunchCost;
  /** Reducers' fetches of map outputs held by executors, over TCP: bytes, blocks, fetches and their summed time (ms). */
  shuffleFetch: { bytes: number; blocks: number; fetches: number; ms: number };
}
