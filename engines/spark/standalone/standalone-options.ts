/**
 * Options of Spark's standalone deployment (ignored by the local one). Heartbeats keep Spark's defaults
 * (`spark.executor.heartbeatInterval` 10 s, `spark.network.timeout` 120 s: the driver's
 * HeartbeatReceiver drops an executor silent that long); a trial that wants a hung executor detected
 * within it scales both down by one factor. An executor that dies is noticed at once anyway, by its exit
 * and its closed connection.
 */
import type { OptionSpec } from '../../api/index.js';

export const standaloneSparkOptions: readonly OptionSpec[] = [
  {
    key: 'registrationTimeout',
    type: 'duration',
    default: 60_000,
    unit: 'ms',
    min: 1,
    description: 'standalone: how long the driver waits for its executors to register before the run fails',
  },
  {
    key: 'heartbeatInterval',
    type: 'duration',
    default: 10_000,
    unit: 'ms',
    min: 1,
    description: 'standalone: spark.executor.heartbeatInterval, executor -> driver',
  },
  {
    key: 'networkTimeout',
    type: 'duration',
    default: 120_000,
    unit: 'ms',
    min: 1,
    description: 'standalone: spark.network.timeout, after which the driver reports a silent executor lost',
  },
  {
    key: 'driverPort',
    type: 'integer',
    default: null,
    nullable: true,
    min: 1,
    max: 65535,
    description: 'standalone: spark.driver.port on 127.0.0.1; off = any free port, so that trials never collide',
  },
  {
    key: 'shuffleDir',
    type: 'string',
    default: null,
    nullable: true,
    description:
      'standalone: spark.local.dir, where executors write shuffle files (a temporary folder is made in it and removed at the end); off = the system temp dir',
  },
];

/** Fault injection for tests: the executor of this 1-based index starts but never registers. */
export const STALL_EXECUTOR_ENV = 'STREAMARENA_SPARK_STALL_EXECUTOR';
