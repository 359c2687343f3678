/**
 * High availability on ZooKeeper, engine-neutral: a session, leader election with a fenced leader node,
 * and leader retrieval. Engines name their own paths (Flink: /flink/<cluster-id>/...).
 */
export {
  ZooKeeperSession,
  ZooKeeperError,
  ZK_BAD_VERSION,
  ZK_NO_NODE,
  ZK_NODE_EXISTS,
  type WatchEvent,
  type ZooKeeperSessionOptions,
} from './zookeeper-session.js';
export { LeaderElection, type LeaderContender, type LeaderElectionPaths, type LeaderInfo } from './leader-election.js';
export { LeaderRetriever } from './leader-retriever.js';
