/**
 * The `flink` engine's recovery options: restart strategy, heartbeats, and the sink's part in end-to-end
 * exactly-once. Defaults are Flink's: no restart without checkpointing, exponential-delay restarts (1 s,
 * x1.5, at most 1 min) with it (RestartBackoffTimeStrategyFactoryLoader, Flink >= 1.19); heartbeat every
 * 10 s, timeout 50 s (HeartbeatManagerOptions).
 */
import { OptionError, type OptionSpec, type OptionValues } from '../../api/index.js';

export const recoveryOptions: readonly OptionSpec[] = [
  {
    key: 'restartStrategy',
    type: 'enum',
    default: 'default',
    values: ['default', 'fixed-delay', 'exponential-delay', 'none'],
    description:
      "restart-strategy.type: default = Flink's (none without checkpointing, exponential-delay with it); fixed-delay waits flink.restartDelay before each of flink.restartAttempts restarts",
  },
  {
    key: 'restartAttempts',
    type: 'integer',
    default: 2_147_483_647,
    min: 0,
    description: 'restart-strategy.fixed-delay.attempts: restarts before the job fails for good',
  },
  {
    key: 'restartDelay',
    type: 'duration',
    default: 1000,
    unit: 'ms',
    min: 0,
    description: 'restart-strategy.fixed-delay.delay, and the initial backoff of exponential-delay',
  },
  {
    key: 'heartbeatInterval',
    type: 'duration',
    default: 10_000,
    unit: 'ms',
    min: 1,
    description: 'heartbeat.interval: how often the JobMaster hears from each TaskManager',
  },
  {
    key: 'heartbeatTimeout',
    type: 'duration',
    default: 50_000,
    unit: 'ms',
    min: 1,
    description:
      'heartbeat.timeout: a TaskManager not heard from this long is lost (a TaskManager whose tasks talk to another one is noticed at once, by the broken connection)',
  },
  {
    key: 'sinkCommit',
    type: 'enum',
    default: 'plain',
    values: ['plain', 'two-phase-commit'],
    description:
      'plain: records go out as they arrive (replayed ones again after a restart); two-phase-commit: a transaction per checkpoint, committed when the checkpoint completes (needs checkpointing)',
  },
];

export type RestartStrategyName = 'fixed-delay' | 'exponential-delay' | 'none';

export interface FlinkRecoveryConfig {
  /** `default` resolved. */
  readonly restartStrategy: RestartStrategyName;
  readonly restartAttempts: number;
  /** ms. */
  readonly restartDelay: number;
  /** ms. */
  readonly heartbeatInterval: number;
  /** ms. */
  readonly heartbeatTimeout: number;
  readonly sinkCommit: 'plain' | 'two-phase-commit';
}

function value(values: OptionValues, key: string): unknown {
  return key in values ? values[key] : recoveryOptions.find((s) => s.key === key)!.default;
}

/** Reads the recovery options; `checkpointing`: whether flink.checkpointInterval is set. */
export function recoveryConfig(values: OptionValues, checkpointing: boolean): FlinkRecoveryConfig {
  const strategy = String(value(values, 'restartStrategy'));
  const sinkCommit = String(value(values, 'sinkCommit'));
  if (!['default', 'fixed-delay', 'exponential-delay', 'none'].includes(strategy))
    throw new OptionError(`option flink.restartStrategy: '${strategy}' is not one of default, fixed-delay, exponential-delay, none`);
  if (sinkCommit !== 'plain' && sinkCommit !== 'two-phase-commit')
    throw new OptionError(`option flink.sinkCommit: '${sinkCommit}' is not one of plain, two-phase-commit`);
  if (sinkCommit === 'two-phase-commit' && !checkpointing)
    throw new OptionError('option flink.sinkCommit=two-phase-commit commits on completed checkpoints: set flink.checkpointInterval too');
  return {
    restartStrategy: strategy === 'default' ? (checkpointing ? 'exponential-delay' : 'none') : (strategy as RestartStrategyName),
    restartAttempts: Number(value(values, 'restartAttempts')),
    restartDelay: Number(value(values, 'restartDelay')),
    heartbeatInterval: Number(value(values, 'heartbeatInterval')),
    heartbeatTimeout: Number(value(values, 'heartbeatTimeout')),
    sinkCommit,
  };
}
