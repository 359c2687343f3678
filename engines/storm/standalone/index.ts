/** Storm's standalone deployment: the driver, Nimbus, supervisor and worker processes. */
export { StandaloneTopology, type StormStandaloneStats } from './standalone-topology.js';
export { stormStandaloneOptions, STALL_WORKER_ENV } from './standalone-options.js';
export { mergeWorkerStats } from './merge-stats.js';
export { assignmentDigest } from './assignment-digest.js';
export type { SubmitTopology, SubmitAnswer, WorkerLaunch, WorkerReport, ConnectPeers, ToWorker, FromWorker } from './protocol.js';
