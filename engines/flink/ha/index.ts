/** Flink's ZooKeeper high-availability services: the node layout and the checkpoint pointers a new leader recovers from. */
export { DEFAULT_CLUSTER_ID, DEFAULT_HA_ROOT, flinkHaPaths, type FlinkHaPaths } from './ha-paths.js';
export { ZooKeeperCheckpointIdCounter, ZooKeeperCompletedCheckpointStore, type CheckpointPointer } from './zookeeper-checkpoint-store.js';
