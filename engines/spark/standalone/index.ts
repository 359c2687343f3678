/** Spark's standalone deployment: executor processes with a thread per core, tasks that travel. */
export { startStandaloneSpark } from './standalone-job.js';
export { ExecutorCluster, type ExecutorClusterOptions, type TaskLaunchCost } from './executor-cluster.js';
export { RemoteCore, type TaskLauncher, type RemoteTaskEnd } from './remote-core.js';
export { remoteTaskOf, originsOf, type RemoteTask, type RemoteStep, type RemoteTaskTiming } from './remote-task.js';
export { standaloneSparkOptions, STALL_EXECUTOR_ENV } from './standalone-options.js';
export type {
  ExecutorConfig,
  RegisterExecutor,
  ExecutorHeartbeat,
  LaunchTask,
  StatusUpdate,
  TaskFailed,
  CoreThreadData,
} from './protocol.js';
