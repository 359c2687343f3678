/**
 * The `flink` engine's options (`-o flink.<key>=<value>`), with Flink's own defaults and the Flink
 * configuration key each one stands for, and their typed form ({@link FlinkConfig}).
 */
import { OptionError, type EngineOptions, type OptionSpec, type OptionValues } from '../api/index.js';
import { standaloneOptions } from './standalone/standalone-options.js';
import { recoveryConfig, recoveryOptions, type FlinkRecoveryConfig } from './failover/recovery-options.js';

/** Flink refuses checkpoint intervals below 10 ms (`CheckpointConfig.MINIMAL_CHECKPOINT_TIME`). */
export const MINIMAL_CHECKPOINT_TIME_MS = 10;
/** `Transformation.UPPER_BOUND_MAX_PARALLELISM` (1 << 15). */
export const UPPER_BOUND_MAX_PARALLELISM = 32768;

export type CheckpointMode = 'exactly_once' | 'at_least_once';

export const flinkOptions: readonly OptionSpec[] = [
  {
    key: 'chaining',
    type: 'boolean',
    default: true,
    description:
      'operator chaining (pipeline.operator-chaining): forward edges between equal parallelisms become direct calls inside one task',
  },
  {
    key: 'objectReuse',
    type: 'boolean',
    default: false,
    description:
      "pipeline.object-reuse: off (Flink's default) = each record copied by its serializer between chained operators; on = passed by reference",
  },
  {
    key: 'taskManagers',
    type: 'integer',
    default: null,
    nullable: true,
    min: 1,
    max: 1024,
    description:
      "TaskManagers of a standalone cluster; off = as many as the slot requests need, as Flink's active resource managers (YARN, Kubernetes) start them",
  },
  {
    key: 'slotsPerTaskManager',
    type: 'integer',
    default: 1,
    min: 1,
    max: 1024,
    description: 'task slots per TaskManager (taskmanager.numberOfTaskSlots)',
  },
  {
    key: 'maxParallelism',
    type: 'integer',
    default: null,
    nullable: true,
    min: 1,
    max: UPPER_BOUND_MAX_PARALLELISM,
    description:
      "key groups of keyed operators (pipeline.max-parallelism); off = Flink's default, roundUpToPowerOfTwo(p + p/2) within [128, 32768]",
  },
  {
    key: 'bufferSize',
    type: 'integer',
    default: 32768,
    unit: 'bytes',
    min: 256,
    max: 16 * 1024 * 1024,
    description: 'network buffer size (taskmanager.memory.segment-size)',
  },
  {
    key: 'bufferTimeout',
    type: 'duration',
    default: 100,
    unit: 'ms',
    min: 0,
    nullable: true,
    description: 'output flusher period (execution.buffer-timeout); 0 = flush after every record, off = only when full or on an event',
  },
  {
    key: 'buffersPerChannel',
    type: 'integer',
    default: 2,
    min: 1,
    max: 1000,
    description: 'exclusive buffers (credits) per input channel (taskmanager.network.memory.buffers-per-channel)',
  },
  {
    key: 'floatingBuffersPerGate',
    type: 'integer',
    default: 8,
    min: 0,
    max: 10000,
    description: 'floating buffers shared by the channels of an input gate (taskmanager.network.memory.floating-buffers-per-gate)',
  },
  {
    key: 'maxBuffersPerChannel',
    type: 'integer',
    default: 10,
    min: 1,
    max: 10000,
    description:
      'buffers one output subpartition may queue before its task is back-pressured (taskmanager.network.memory.max-buffers-per-channel)',
  },
  {
    key: 'watermarkInterval',
    type: 'duration',
    default: 200,
    unit: 'ms',
    min: 1,
    description: 'periodic watermark emission (pipeline.auto-watermark-interval), processing time',
  },
  {
    key: 'checkpointInterval',
    type: 'duration',
    default: null,
    unit: 'ms',
    min: MINIMAL_CHECKPOINT_TIME_MS,
    nullable: true,
    description: 'checkpoint barriers injected at the sources this often (execution.checkpointing.interval); off as in Flink',
  },
  {
    key: 'checkpointMode',
    type: 'enum',
    default: 'exactly_once',
    values: ['exactly_once', 'at_least_once'],
    description: 'aligned barriers (exactly_once) or no alignment (at_least_once) (execution.checkpointing.mode)',
  },
  {
    key: 'checkpointDir',
    type: 'string',
    default: null,
    nullable: true,
    validate: (v) => (typeof v === 'string' && v.trim() === '' ? 'give a directory, or off' : undefined),
    description:
      'checkpoint storage (execution.checkpointing.dir): <dir>/<job id>/chk-<n>/ with one state file per operator subtask and _metadata; the latest completed one is kept when the job ends. off = a temporary directory of the run, removed when the job ends',
  },
  {
    key: 'checkpointTimeout',
    type: 'duration',
    default: 600_000,
    unit: 'ms',
    min: 1,
    description: 'a checkpoint not completed after this long fails (execution.checkpointing.timeout)',
  },
  ...standaloneOptions,
  ...recoveryOptions,
];

/** The typed configuration of one run. */
export interface FlinkConfig {
  readonly parallelism: number;
  readonly chaining: boolean;
  /** false: records copied between chained operators (Flink's default). */
  readonly objectReuse: boolean;
  /** null: started on demand. */
  readonly taskManagers: number | null;
  readonly slotsPerTaskManager: number;
  /** null: per operator, {@link computeDefaultMaxParallelism}. */
  readonly maxParallelism: number | null;
  /** Bytes. */
  readonly bufferSize: number;
  /** ms; 0 = flush every record; null = never by time. */
  readonly bufferTimeout: number | null;
  readonly buffersPerChannel: number;
  readonly floatingBuffersPerGate: number;
  readonly maxBuffersPerChannel: number;
  /** ms. */
  readonly watermarkInterval: number;
  /** ms; null = no checkpoints. */
  readonly checkpointInterval: number | null;
  readonly checkpointMode: CheckpointMode;
  /** null: a temporary directory per run. */
  readonly checkpointDir: string | null;
  /** ms. */
  readonly checkpointTimeout: number;
  /** Restart strategy, heartbeats, sink commit. */
  readonly recovery: FlinkRecoveryConfig;
}

function num(values: OptionValues, key: string): number {
  const spec = flinkOptions.find((s) => s.key === key)!;
  const v = values[key] ?? spec.default;
  if (typeof v !== 'number') throw new OptionError(`option flink.${key} is ${JSON.stringify(v)}, expected a number`);
  return v;
}

function nullableNum(values: OptionValues, key: string): number | null {
  const v = key in values ? values[key] : flinkOptions.find((s) => s.key === key)!.default;
  if (v === null) return null;
  if (typeof v !== 'number') throw new OptionError(`option flink.${key} is ${JSON.stringify(v)}, expected a number or off`);
  return v;
}

function nullableString(values: OptionValues, key: string): string | null {
  const v = key in values ? values[key] : flinkOptions.find((s) => s.key === key)!.default;
  if (v === null) return null;
  if (typeof v !== 'string' || v.trim() === '')
    throw new OptionError(`option flink.${key} is ${JSON.stringify(v)}, expected a directory or off`);
  return v;
}

/** Reads the engine's option values (defaults fill missing keys) into a {@link FlinkConfig}. */
export function flinkConfig(opts: EngineOptions): FlinkConfig {
  const v = opts.values;
  const chaining = v.chaining ?? true;
  const objectReuse = v.objectReuse ?? false;
  if (typeof objectReuse !== 'boolean')
    throw new OptionError(`option flink.objectReuse is ${JSON.stringify(objectReuse)}, expected true or false`);
  const mode = v.checkpointMode ?? 'exactly_once';
  if (typeof chaining !== 'boolean') throw new OptionError(`option flink.chaining is ${JSON.stringify(chaining)}, expected true or false`);
  if (mode !== 'exactly_once' && mode !== 'at_least_once')
    throw new OptionError(`option flink.checkpointMode: '${String(mode)}' is not one of exactly_once, at_least_once`);
  if (!Number.isInteger(opts.parallelism) || opts.parallelism < 1)
    throw new OptionError(`flink: parallelism must be a positive whole number, got ${opts.parallelism}`);
  return {
    parallelism: opts.parallelism,
    chaining,
    objectReuse,
    taskManagers: nullableNum(v, 'taskManagers'),
    slotsPerTaskManager: num(v, 'slotsPerTaskManager'),
    maxParallelism: nullableNum(v, 'maxParallelism'),
    bufferSize: num(v, 'bufferSize'),
    bufferTimeout: nullableNum(v, 'bufferTimeout'),
    buffersPerChannel: num(v, 'buffersPerChannel'),
    floatingBuffersPerGate: num(v, 'floatingBuffersPerGate'),
    maxBuffersPerChannel: num(v, 'maxBuffersPerChannel'),
    watermarkInterval: num(v, 'watermarkInterval'),
    checkpointInterval: nullableNum(v, 'checkpointInterval'),
    checkpointMode: mode,
    checkpointDir: nullableString(v, 'checkpointDir'),
    checkpointTimeout: num(v, 'checkpointTimeout'),
    recovery: recoveryConfig(v, nullableNum(v, 'checkpointInterval') !== null),
  };
}
