/**
 * The outside servers the project starts for itself (on 127.0.0.1, never as system services): ZooKeeper for
 * high availability, and the guarded launch that keeps any of them from outliving the process that
 * started it.
 */
export { freeLoopbackPort } from './free-port.js';
export { startGuarded, type GuardedProcess } from './guarded-process.js';
export {
  fourLetterWord,
  startZooKeeper,
  zookeeperUnavailable,
  ZOOKEEPER_CONF_DIR,
  ZOOKEEPER_JAR,
  type ZooKeeperServer,
  type ZooKeeperServerOptions,
} from './zookeeper-server.js';
