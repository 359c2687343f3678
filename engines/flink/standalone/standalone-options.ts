/**
 * Options of the standalone deployment (ignored by the local one). Its heartbeats use the engine's
 * `flink.heartbeatInterval` and `flink.heartbeatTimeout` (failover/recovery-options.ts, Flink's 10 s and
 * 50 s); a trial of a few seconds that wants a hung TaskManager detected within it scales both down by
 * one factor, keeping Flink's ratio of 5 (e.g. 500 ms / 2500 ms). A TaskManager that dies is noticed at
 * once anyway, by its exit and its closed connection.
 */
import type { OptionSpec } from '../../api/index.js';

export const standaloneOptions: readonly OptionSpec[] = [
  {
    key: 'registrationTimeout',
    type: 'duration',
    default: 60_000,
    unit: 'ms',
    min: 1,
    description:
      'standalone: how long the JobManager waits for the TaskManagers to register before the job fails (taskmanager.registration.timeout)',
  },
  {
    key: 'jobManagerPort',
    type: 'integer',
    default: null,
    nullable: true,
    min: 1,
    max: 65535,
    description:
      'standalone: the port the JobManager listens on, on 127.0.0.1 (jobmanager.rpc.port); off = any free port, so that trials never collide',
  },
];

/**
 * Fault injection for tests of the standalone deployment: the TaskManager of this 1-based index starts,
 * but never registers with the ResourceManager (a hung or misconfigured TaskManager).
 */
export const STALL_TASKMANAGER_ENV = 'STREAMARENA_FLINK_STALL_TASKMANAGER';
