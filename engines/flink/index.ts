/** The `flink` engine: per-event pipelined streaming modelled on Apache Flink. */
export { flinkEngine, startFlinkJob } from './flink-engine.js';
export { flinkOptions, flinkConfig, type FlinkConfig, type CheckpointMode } from './options.js';
export { explainJob } from './explain.js';
export type { FlinkEngineStats, FlinkChainStats, FlinkTaskStats, FlinkBufferStats, FlinkClusterStats } from './flink-stats.js';
export * from './client/index.js';
export * from './jobmanager/index.js';
export * from './taskmanager/index.js';
export * from './network/index.js';
export * from './operators/index.js';
export * from './state/index.js';
export * from './standalone/index.js';
