export { FlinkJob, type FlinkFailoverStats, type FlinkRecoveryStats } from './flink-job.js';
export { flinkFaults } from './flink-faults.js';
export { recoveryConfig, recoveryOptions, type FlinkRecoveryConfig, type RestartStrategyName } from './recovery-options.js';
export { RestartStrategy, EXPONENTIAL_MAX_BACKOFF_MS, EXPONENTIAL_MULTIPLIER } from './restart-strategy.js';
export { TransactionalSinks, type StagedRecord } from './transactional-sinks.js';
