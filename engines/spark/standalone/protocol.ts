/**
 * What the driver and its executor processes say to each other (bodies of control-channel messages and
 * of the core threads' messages). Executor -> driver: `executorConfig`, `registerExecutor`, `heartbeat`;
 * driver -> executor: `launchTask`, `shutdown`; core thread -> driver (its own connection, after the log
 * and sink protocols): `statusUpdate` (the serialized TaskResult attached), `taskFailed`.
 */
import type { DataflowRecipe } from '../../api/index.js';
import type { ProcessFigures } from '../../runtime/cluster/index.js';
import type { RemoteTask, RemoteTaskTiming } from './remote-task.js';

export interface ExecutorConfig {
  readonly recipe: DataflowRecipe;
  readonly epochOffsetMs: number;
  readonly heartbeatIntervalMs: number;
}

export interface RegisterExecutor {
  /** 0-based, as `executor-<index>`. */
  readonly index: number;
  readonly cores: number;
  readonly pid: number;
}

export interface ExecutorHeartbeat {
  readonly figures: ProcessFigures;
  /** Tasks its cores have run so far. */
  readonly tasksRun: number;
}

export interface LaunchTask {
  readonly core: number;
  readonly task: RemoteTask;
}

/** A ShuffleMapTask's output as the executor wrote it (its MapStatus, without the bytes). */
export interface RemoteMapOutput {
  readonly bytes: number;
  readonly records: number;
  /** Per reducer, the byte length of each serialized chunk in the map output's file. */
  readonly chunkLengths: number[][];
}

/** Meta of a `statusUpdate`; the serialized TaskResult is the attached bytes. */
export interface StatusUpdate extends RemoteTaskTiming {
  readonly executor: number;
  readonly core: number;
  readonly mapOutput?: RemoteMapOutput;
}

/**
 * Driver -> executor: one reducer's range of each of these map outputs (`shuffle.fetch`); the answer is
 * the ranges' bytes one after another, attached.
 */
export interface FetchBlocks {
  readonly shuffleId: number;
  readonly reduceId: number;
  readonly maps: readonly { readonly mapId: number; readonly offset: number; readonly length: number }[];
}

export interface TaskFailed {
  readonly executor: number;
  readonly core: number;
  readonly taskId: number;
  readonly message: string;
}

/** What a core thread's workerData holds. */
export interface CoreThreadData {
  readonly recipe: DataflowRecipe;
  /** This executor's shuffle folder (spark.local.dir/executor-<n>). */
  readonly shuffleDir: string;
  readonly executor: number;
  readonly core: number;
  readonly driverPort: number;
  readonly epochOffsetMs: number;
}

/** Messages between an executor's main thread and its core threads. */
export type CoreThreadMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'taskDone' };
