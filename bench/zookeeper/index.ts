export {
  fourLetterWord,
  startZooKeeper,
  zookeeperUnavailable,
  ZOOKEEPER_CONF_DIR,
  ZOOKEEPER_JAR,
  type ZooKeeperServer,
  type ZooKeeperServerOptions,
} from './zookeeper-server.js';
