/**
 * Options of Storm's standalone deployment (ignored by the local one). Heartbeats run worker -> supervisor
 * -> Nimbus with Storm's defaults (`worker.heartbeat.frequency.secs` 1 s, `supervisor.worker.timeout.secs`
 * 30 s, `supervisor.heartbeat.frequency.secs` 5 s, `nimbus.supervisor.timeout.secs` 60 s). A trial of a few
 * seconds that wants a hung worker detected within it scales them all down by one factor, as Flink's
 * standalone heartbeats are scaled (e.g. /20: 50 ms, 1500 ms, 250 ms, 3000 ms). A worker that dies is
 * noticed at once anyway: its supervisor sees the process exit.
 */
import type { OptionSpec } from '../../api/index.js';

export const stormStandaloneOptions: readonly OptionSpec[] = [
  {
    key: 'workerHeartbeatFrequency',
    type: 'duration',
    default: 1000,
    unit: 'ms',
    min: 1,
    description: 'standalone: how often a worker process heartbeats to its supervisor (worker.heartbeat.frequency.secs)',
  },
  {
    key: 'workerTimeout',
    type: 'duration',
    default: 30_000,
    unit: 'ms',
    min: 1,
    description: 'standalone: a worker silent this long is reported dead by its supervisor (supervisor.worker.timeout.secs)',
  },
  {
    key: 'supervisorHeartbeatFrequency',
    type: 'duration',
    default: 5000,
    unit: 'ms',
    min: 1,
    description: 'standalone: how often a supervisor heartbeats to Nimbus (supervisor.heartbeat.frequency.secs)',
  },
  {
    key: 'supervisorTimeout',
    type: 'duration',
    default: 60_000,
    unit: 'ms',
    min: 1,
    description: 'standalone: a supervisor silent this long is reported lost by Nimbus (nimbus.supervisor.timeout.secs)',
  },
  {
    key: 'workerStartTimeout',
    type: 'duration',
    default: 120_000,
    unit: 'ms',
    min: 1,
    description: 'standalone: how long Nimbus waits for every assigned worker to start and connect (supervisor.worker.start.timeout.secs)',
  },
  {
    key: 'nimbusPort',
    type: 'integer',
    default: null,
    nullable: true,
    min: 1,
    max: 65535,
    description:
      'standalone: the port Nimbus listens on, on 127.0.0.1 (nimbus.thrift.port); off = any free port, so that trials never collide',
  },
];

/** Fault injection for tests: the worker of this 0-based index starts but never connects (a hung worker). */
export const STALL_WORKER_ENV = 'STREAMARENA_STORM_STALL_WORKER';
