/**
 * The spark engine's knobs (`-o spark.<key>=<value>`), named after the Spark Streaming settings they model
 * (facts and defaults: shared/reference/engines.md section 2), and their resolution into one validated
 * {@link SparkConf}. An impossible configuration is a one-line Error.
 */
import { availableParallelism } from 'node:os';
import { parseDuration, type OptionSpec, type OptionValues } from '../api/index.js';
import { taskFailureOptions } from './recovery/task-failures.js';
import { standaloneSparkOptions } from './standalone/standalone-options.js';

export type SourceKind = 'direct' | 'receiver';
export type StateMode = 'mapWithState' | 'updateStateByKey';
/** How a processing-time window aggregate is written as a DStream program. */
export type WindowOperation = 'window' | 'reduceByKeyAndWindow' | 'reduceByKeyAndWindowInv';

function checkpointSetting(value: unknown): string | undefined {
  if (value === 'auto' || value === 'off') return undefined;
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined || !(ms > 0)) return `'${String(value)}' is not auto, off or a positive duration (e.g. 10s)`;
  return undefined;
}

function positiveOrOff(value: unknown): string | undefined {
  return value === null || (typeof value === 'number' && value > 0) ? undefined : 'must be > 0 (or off)';
}

export const SPARK_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'batchInterval',
    type: 'duration',
    default: 1000,
    unit: 'ms',
    min: 1,
    description: 'batch interval of the StreamingContext: one micro-batch (a JobSet) every interval',
  },
  {
    key: 'concurrentJobs',
    type: 'integer',
    default: 1,
    min: 1,
    max: 64,
    description: 'spark.streaming.concurrentJobs: jobs run at once; 1 = batches strictly one after another',
  },
  {
    key: 'source',
    type: 'enum',
    default: 'direct',
    values: ['direct', 'receiver'],
    description:
      'direct: Kafka direct stream, one RDD partition per log partition with an offset range per batch; receiver: receivers cut blocks',
  },
  {
    key: 'blockInterval',
    type: 'duration',
    default: 200,
    unit: 'ms',
    min: 1,
    description: 'spark.streaming.blockInterval: a receiver cuts a block (one RDD partition) this often',
  },
  {
    key: 'receivers',
    type: 'integer',
    default: 1,
    min: 1,
    max: 64,
    description: 'receivers of the receiver source; each permanently holds one executor core and reads every receivers-th log partition',
  },
  {
    key: 'receiverMaxRate',
    type: 'number',
    default: null,
    nullable: true,
    unit: 'records/s',
    validate: positiveOrOff,
    description: 'spark.streaming.receiver.maxRate: per-receiver rate cap (off = unlimited)',
  },
  {
    key: 'maxRatePerPartition',
    type: 'number',
    default: null,
    nullable: true,
    unit: 'records/s',
    validate: positiveOrOff,
    description: 'spark.streaming.kafka.maxRatePerPartition: direct source hard cap per log partition (off = unlimited)',
  },
  {
    key: 'backpressure',
    type: 'boolean',
    default: false,
    description: 'spark.streaming.backpressure.enabled: the PID rate estimator limits what each batch takes',
  },
  {
    key: 'backpressureInitialRate',
    type: 'number',
    default: null,
    nullable: true,
    unit: 'records/s',
    validate: positiveOrOff,
    description: 'spark.streaming.backpressure.initialRate: the limit before the first estimate (off = none)',
  },
  { key: 'pidProportional', type: 'number', default: 1.0, min: 0, description: 'spark.streaming.backpressure.pid.proportional' },
  { key: 'pidIntegral', type: 'number', default: 0.2, min: 0, description: 'spark.streaming.backpressure.pid.integral' },
  { key: 'pidDerived', type: 'number', default: 0.0, min: 0, description: 'spark.streaming.backpressure.pid.derived' },
  {
    key: 'pidMinRate',
    type: 'number',
    default: 100,
    unit: 'records/s',
    validate: (v) => (typeof v === 'number' && v > 0 ? undefined : 'must be > 0'),
    description: 'spark.streaming.backpressure.pid.minRate',
  },
  {
    key: 'executors',
    type: 'integer',
    default: null,
    nullable: true,
    min: 1,
    max: 64,
    description:
      'executors; off = auto: 1 in the local deployment (all in this process), and in standalone one executor process per parallel instance up to the core count',
  },
  {
    key: 'coresPerExecutor',
    type: 'integer',
    default: null,
    nullable: true,
    min: 1,
    max: 64,
    description:
      'task slots per executor; off = auto: 2 in the local deployment (as local[2]: a receiver needs one core and processing at least one more), 1 in standalone (each core a thread of its executor process)',
  },
  {
    key: 'stateMode',
    type: 'enum',
    default: 'mapWithState',
    values: ['mapWithState', 'updateStateByKey'],
    description:
      "keyed state of event-time windows: mapWithState (StateMap deltas, the batch's keys only; windows close in the full scans of checkpoint batches) or updateStateByKey (every batch cogroups, updates and reserializes the whole state)",
  },
  {
    key: 'deltaChainThreshold',
    type: 'integer',
    default: 20,
    min: 1,
    max: 10_000,
    description:
      'spark.streaming.sessionByKey.deltaChainThreshold: a mapWithState checkpoint compacts the state map once this many delta maps are chained',
  },
  {
    key: 'checkpointInterval',
    type: 'string',
    default: 'auto',
    validate: checkpointSetting,
    description:
      'checkpoint interval of keyed state (and of inverse-reduced windows): auto (as Spark: mapWithState 10 x batch, others the first multiple >= 10 s), a duration, or off (only without keyed state: Spark requires it)',
  },
  {
    key: 'mapSideCombine',
    type: 'boolean',
    default: true,
    description: 'combine window aggregates per (window, key) before the shuffle (as reduceByKey)',
  },
  {
    key: 'windowOperation',
    type: 'enum',
    default: 'reduceByKeyAndWindow',
    values: ['window', 'reduceByKeyAndWindow', 'reduceByKeyAndWindowInv'],
    description:
      "processing-time windows as window(w, s).reduceByKey (the window's records shuffled every slide), reduceByKeyAndWindow (batches reduced once, windows merged without a shuffle) or reduceByKeyAndWindowInv (the previous window minus what slid out, plus what slid in)",
  },
  {
    key: 'shuffleFileBuffer',
    type: 'integer',
    default: 32 * 1024,
    min: 256,
    max: 64 * 1024 * 1024,
    unit: 'bytes',
    description: 'spark.shuffle.file.buffer: shuffle write buffer per reducer',
  },
  {
    key: 'memoryStoreBytes',
    type: 'integer',
    default: 256 * 1024 * 1024,
    min: 1024,
    unit: 'bytes',
    description:
      'receiver source: memory for stored blocks (serialized, 2 replicas); when full, block pushing waits and receivers stop reading',
  },
  ...taskFailureOptions,
  ...standaloneSparkOptions,
];

/** Resolved, validated settings of one run. Rates are records/s, times ms, sizes bytes. */
export interface SparkConf {
  /** spark.task.maxFailures. */
  readonly taskMaxFailures: number;
  readonly batchIntervalMs: number;
  readonly concurrentJobs: number;
  readonly source: SourceKind;
  readonly blockIntervalMs: number;
  readonly receivers: number;
  /** Per receiver; Infinity = unlimited. */
  readonly receiverMaxRate: number;
  /** 0 = unlimited (Spark's encoding). */
  readonly maxRatePerPartition: number;
  readonly backpressure: boolean;
  /** 0 = none. */
  readonly backpressureInitialRate: number;
  readonly pid: { readonly proportional: number; readonly integral: number; readonly derived: number; readonly minRate: number };
  readonly executors: number;
  readonly coresPerExecutor: number;
  readonly stateMode: StateMode;
  /** 0 = off. */
  readonly checkpointIntervalMs: number;
  /** How the interval was given: `auto` (Spark's default per stream), `off`, or `set` (a duration). */
  readonly checkpointSetting: 'auto' | 'off' | 'set';
  readonly windowOperation: WindowOperation;
  readonly deltaChainThreshold: number;
  readonly mapSideCombine: boolean;
  readonly shuffleFileBuffer: number;
  readonly memoryStoreBytes: number;
}

/**
 * The state checkpoint interval Spark picks when none is set: `InternalMapWithStateDStream` checkpoints
 * every `batchInterval x 10`; other DStreams that must checkpoint (updateStateByKey's StateDStream) every
 * `slideDuration * ceil(10 s / slideDuration)` (DStream.initialize), i.e. the first multiple >= 10 s.
 */
export function defaultCheckpointInterval(batchIntervalMs: number, mode: StateMode): number {
  return mode === 'mapWithState' ? batchIntervalMs * 10 : batchIntervalMs * Math.ceil(10_000 / batchIntervalMs);
}

/** Where the run's executors are: what the `auto` executor counts depend on. */
export interface SparkPlacement {
  readonly deployment: 'local' | 'standalone';
  readonly parallelism: number;
}

/**
 * The executors of a run, when spark.executors / spark.coresPerExecutor are off (auto): local, one
 * executor of 2 cores in this process; standalone, one executor process of 1 core per parallel instance,
 * up to the machine's cores (the rule the three engines share: one TaskManager / worker / executor per
 * parallel instance up to the core count).
 */
export function autoExecutors(placement: SparkPlacement, machineCores: number): { executors: number; coresPerExecutor: number } {
  if (placement.deployment === 'local') return { executors: 1, coresPerExecutor: 2 };
  return { executors: Math.max(1, Math.min(placement.parallelism, machineCores)), coresPerExecutor: 1 };
}

/** Resolves option values (defaults fill missing keys) into a SparkConf; throws on an impossible setup. */
export function sparkConf(values: OptionValues, placement: SparkPlacement = { deployment: 'local', parallelism: 1 }): SparkConf {
  const v: Record<string, unknown> = {};
  for (const o of SPARK_OPTIONS) v[o.key] = o.key in values ? values[o.key] : o.default;
  const num = (key: string): number => Number(v[key]);
  const rate = (key: string, off: number): number => (v[key] === null ? off : Number(v[key]));
  const batchIntervalMs = num('batchInterval');
  if (!(batchIntervalMs > 0)) throw new Error(`spark.batchInterval must be > 0 ms, got ${batchIntervalMs}`);
  const stateMode = v.stateMode as StateMode;
  const cp = String(v.checkpointInterval);
  const checkpointIntervalMs = cp === 'auto' ? defaultCheckpointInterval(batchIntervalMs, stateMode) : cp === 'off' ? 0 : parseDuration(cp);
  if (checkpointIntervalMs === undefined || !(checkpointIntervalMs >= 0))
    throw new Error(`spark.checkpointInterval: '${cp}' is not auto, off or a duration`);
  if (checkpointIntervalMs > 0 && checkpointIntervalMs % batchIntervalMs !== 0) {
    // DStream.validateAtStart: "The checkpoint interval ... must be a multiple of the slide duration"
    throw new Error(
      `spark.checkpointInterval (${checkpointIntervalMs} ms) must be a multiple of the batch interval (${batchIntervalMs} ms)`,
    );
  }
  const auto = autoExecutors(placement, availableParallelism());
  const conf: SparkConf = {
    batchIntervalMs,
    concurrentJobs: num('concurrentJobs'),
    source: v.source as SourceKind,
    blockIntervalMs: num('blockInterval'),
    receivers: num('receivers'),
    receiverMaxRate: rate('receiverMaxRate', Infinity),
    maxRatePerPartition: rate('maxRatePerPartition', 0),
    backpressure: v.backpressure === true,
    backpressureInitialRate: rate('backpressureInitialRate', 0),
    pid: { proportional: num('pidProportional'), integral: num('pidIntegral'), derived: num('pidDerived'), minRate: num('pidMinRate') },
    executors: v.executors === null ? auto.executors : num('executors'),
    coresPerExecutor: v.coresPerExecutor === null ? auto.coresPerExecutor : num('coresPerExecutor'),
    stateMode,
    checkpointIntervalMs,
    checkpointSetting: cp === 'auto' || cp === 'off' ? cp : 'set',
    windowOperation: v.windowOperation as WindowOperation,
    deltaChainThreshold: num('deltaChainThreshold'),
    mapSideCombine: v.mapSideCombine !== false,
    shuffleFileBuffer: num('shuffleFileBuffer'),
    memoryStoreBytes: num('memoryStoreBytes'),
    taskMaxFailures: num('taskMaxFailures'),
  };
  const cores = conf.executors * conf.coresPerExecutor;
  if (conf.source === 'receiver' && conf.receivers >= cores) {
    throw new Error(
      `spark.source=receiver: ${conf.receivers} receiver(s) hold ${conf.receivers} of the ${cores} executor cores and leave none to process batches; use more cores (spark.executors x spark.coresPerExecutor > spark.receivers)`,
    );
  }
  return conf;
}
