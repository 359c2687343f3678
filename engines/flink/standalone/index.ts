/** Flink's standalone deployment: the client, the JobManager and TaskManager processes, slot threads. */
export { StandaloneJob } from './standalone-client.js';
export { standaloneOptions } from './standalone-options.js';
export { createSlotShuffle, type SlotNetwork } from './slot-shuffle.js';
export { RemoteConsumer, RemoteCreditTarget, channelIds } from './remote-channels.js';
export type { SubmitJob, SubmitAnswer, SlotDeployment, SlotReport, JobFinished, ConnectPeers, RegisterTaskExecutor } from './protocol.js';
export {
  startSessionCluster,
  sessionClusterStatus,
  stopSessionCluster,
  readClusterState,
  CLUSTER_STATE_FILE,
  type ClusterState,
  type SessionClusterOptions,
} from './session-cluster.js';
