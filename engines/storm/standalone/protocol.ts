/**
 * What the processes of a standalone Storm cluster say to each other. Driver -> Nimbus: `submitTopology`,
 * `clusterStatus`, `shutdown`; Nimbus -> driver: `topologyDone`, `topologyFailed`. Supervisor -> Nimbus:
 * `registerSupervisor`, `heartbeat`, and its workers' `workerReady`, `workerConnected`, `workerLocalEnd`,
 * `workerLost`; Nimbus -> supervisor: `launchWorkers`, `connectPeers`, `activate`, `stopWorkers`,
 * `shutdown`. Supervisor <-> worker: the IPC messages of {@link ToWorker} and {@link FromWorker}. Worker
 * -> driver: the log protocol, sink records, `workerDone`. Worker <-> worker: data messages (tuples,
 * backpressure statuses) on one TCP connection per pair.
 */
import type { DataflowRecipe, OptionValues } from '../../api/index.js';
import type { DaemonStatus, ProcessFigures } from '../../runtime/cluster/index.js';
import type { SerializedHistogram } from '../../runtime/index.js';
import type { StormEngineStats } from '../metrics/engine-stats.js';

export interface SubmitTopology {
  readonly recipe: DataflowRecipe;
  readonly parallelism: number;
  readonly values: OptionValues;
  /** Where workers fetch the log and send sink records. */
  readonly driverPort: number;
  readonly epochOffsetMs: number;
  /** Supervisors the driver started, to wait for. */
  readonly supervisors: number;
  /** The driver's assignment (executor -> slot), which Nimbus must reproduce. */
  readonly assignmentDigest: string;
}

export interface SubmitAnswer {
  readonly workers: number;
  /** Clock time every worker was connected to its peers and activated. */
  readonly activatedAt: number;
}

export interface RegisterSupervisor {
  readonly index: number;
  readonly slots: number;
  readonly pid: number;
}

export interface SupervisorHeartbeat {
  readonly figures: ProcessFigures;
  readonly workers: DaemonStatus[];
}

/** What a supervisor needs to launch one worker, and the worker to build its part of the topology. */
export interface WorkerLaunch {
  readonly recipe: DataflowRecipe;
  readonly parallelism: number;
  readonly values: OptionValues;
  /** The worker's index among the topology's workers (Nimbus's slot order). */
  readonly index: number;
  readonly slotId: string;
  readonly driverPort: number;
  readonly epochOffsetMs: number;
  readonly assignmentDigest: string;
}

export interface ConnectPeers {
  /** Every worker's data port by index. */
  readonly dataPorts: readonly number[];
}

/** Supervisor -> worker (IPC). */
export type ToWorker =
  | { readonly type: 'assignment'; readonly launch: WorkerLaunch }
  | { readonly type: 'connectPeers'; readonly peers: ConnectPeers }
  | { readonly type: 'activate' }
  | { readonly type: 'stop' };

/** Worker -> supervisor (IPC). */
export type FromWorker =
  | { readonly type: 'ready'; readonly dataPort: number }
  | { readonly type: 'connected' }
  | { readonly type: 'localEnd' }
  | { readonly type: 'heartbeat'; readonly figures: ProcessFigures }
  | { readonly type: 'failed'; readonly message: string };

/** A worker's final figures, sent to the driver after its sinks were flushed. */
export interface WorkerReport {
  readonly index: number;
  readonly stats: StormEngineStats;
  /** Its spouts' complete latency, to merge exactly. */
  readonly completeLatency: SerializedHistogram;
  readonly lateByOperator: Record<string, number>;
  readonly socketMessages: number;
  readonly socketBytes: number;
  readonly connections: number;
}
