/**
 * Where Flink's ZooKeeper HA services keep their nodes, under `high-availability.zookeeper.path.root`
 * (default `/flink`) and `high-availability.cluster-id`: the JobManager's leader latch and its published
 * address, and per job the completed-checkpoint pointers and the checkpoint id counter. ZooKeeper holds
 * only pointers; the checkpoint data is in `flink.checkpointDir` (Flink's `high-availability.storageDir`).
 */
export const DEFAULT_HA_ROOT = '/flink';
export const DEFAULT_CLUSTER_ID = 'default';

export interface FlinkHaPaths {
  /** The JobManager contenders' ephemeral sequential nodes. */
  readonly latch: string;
  /** The leading JobManager's address (ephemeral, written only by the leader). */
  readonly leader: string;
  /** The pointer to job `jobId`'s latest completed checkpoint. */
  checkpoints(jobId: string): string;
  /** Job `jobId`'s checkpoint id counter: a new leader continues the ids, never reuses one. */
  checkpointCounter(jobId: string): string;
}

export function flinkHaPaths(root: string = DEFAULT_HA_ROOT, clusterId: string = DEFAULT_CLUSTER_ID): FlinkHaPaths {
  if (!root.startsWith('/') || (root.endsWith('/') && root !== '/'))
    throw new RangeError(`HA root '${root}' must be an absolute ZooKeeper path without a trailing /`);
  if (!/^[A-Za-z0-9._-]+$/.test(clusterId))
    throw new RangeError(`HA cluster id '${clusterId}' may hold only letters, digits, '.', '_' and '-'`);
  const base = `${root === '/' ? '' : root}/${clusterId}`;
  return {
    latch: `${base}/latch`,
    leader: `${base}/leader/jobmanager/connection_info`,
    checkpoints: (jobId) => `${base}/jobs/${jobId}/checkpoints/latest`,
    checkpointCounter: (jobId) => `${base}/jobs/${jobId}/checkpoint-counter`,
  };
}
