/**
 * The storm engine's options (`-o storm.<key>=<value>`) and their resolution into a typed config. Defaults
 * are Storm 2's `conf/defaults.yaml` or, with `flavour=jstorm`, JStorm 2.2's `defaults.yaml` where the two
 * differ (shared/reference/engines.md §3).
 */
import { OptionError, type OptionSpec, type OptionValues } from '../api/index.js';
import { availableParallelism } from 'node:os';
import type { Deployment } from '../api/index.js';
import { stormStandaloneOptions } from './standalone/standalone-options.js';
import { supervisionOptions } from './supervision/supervision-options.js';

export type Flavour = 'storm' | 'jstorm';
export type Windowing = 'storm' | 'incremental';

const wholeOrAuto = (v: unknown): string | undefined =>
  typeof v === 'string' && /^(auto|\d+)$/.test(v) ? undefined : "must be 'auto' or a whole number >= 0";

function checkStreamName(v: unknown): string | undefined {
  if (v === null) return undefined;
  if (typeof v !== 'string' || !/^[A-Za-z][\w.-]*$/.test(v) || v === 'default')
    return `'${String(v)}' is not a stream name (a letter, then letters, digits, '_', '.', '-'; not 'default')`;
  return undefined;
}

export const STORM_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'flavour',
    type: 'enum',
    values: ['storm', 'jstorm'],
    default: 'storm',
    description:
      'storm: Apache Storm 2 (32768-slot queues, no batching, pendingEmits backpressure); jstorm: Alibaba JStorm (256-slot queues, 20-tuple/2 ms batches, topology-master spout throttling, co-locating scheduler)',
  },
  {
    key: 'workers',
    type: 'integer',
    default: null,
    nullable: true,
    min: 1,
    max: 256,
    description:
      'topology.workers: worker processes (slots) the topology runs in; off = local: 1 (Storm default); standalone: one per parallel instance up to the cores, min(-p, availableParallelism), so that -p adds processes as Flink -p adds TaskManagers',
  },
  { key: 'supervisors', type: 'integer', default: 1, min: 1, max: 256, description: 'supervisor nodes of the simulated cluster' },
  {
    key: 'slotsPerSupervisor',
    type: 'integer',
    default: 4,
    min: 1,
    max: 64,
    description: 'supervisor.slots.ports: worker slots per supervisor (6700-6703)',
  },
  {
    key: 'ackers',
    type: 'string',
    default: 'auto',
    validate: wholeOrAuto,
    description: "topology.acker.executors: 'auto' = one per worker; 0 = no acking (at-most-once, nothing tracked)",
  },
  {
    key: 'messageTimeout',
    type: 'duration',
    default: 30_000,
    unit: 'ms',
    min: 1,
    description: 'topology.message.timeout.secs: a tuple tree not completed within 1-2x this fails and its spout tuple is replayed',
  },
  {
    key: 'maxSpoutPending',
    type: 'integer',
    default: null,
    nullable: true,
    min: 1,
    description: 'topology.max.spout.pending: in-flight (unacked) tuples per spout task; off = unlimited (Storm default); needs ackers',
  },
  {
    key: 'windowing',
    type: 'enum',
    values: ['storm', 'incremental'],
    default: 'storm',
    description:
      "storm: Storm's WindowedBoltExecutor (every tuple held in the window manager, watermark computed in the bolt, results anchored to the window's tuples, tuples acked on expiry); incremental: a non-Storm optimisation kept for comparison (timestamps bolts send watermark tuples, windows aggregate incrementally, results unanchored)",
  },
  {
    key: 'watermarkInterval',
    type: 'duration',
    default: 1000,
    unit: 'ms',
    min: 1,
    description:
      'topology.bolts.watermark.event.interval.ms: how often each windowed bolt computes its watermark (incremental: how often timestamps bolts send watermark tuples)',
  },
  {
    key: 'windowLag',
    type: 'duration',
    default: null,
    nullable: true,
    min: 0,
    unit: 'ms',
    description:
      "withLag of every windowed bolt: its watermark is the largest timestamp per input stream minus this; off = the feeding withTimestamps' maxDelay + 1 ms (Storm's watermark is then the project's). Raise it to cover the reordering of parallel upstream tasks",
  },
  {
    key: 'lateTupleStream',
    type: 'string',
    default: null,
    nullable: true,
    validate: checkStreamName,
    description:
      "withLateTupleStream: windowed bolts emit late tuples on this stream, to a bolt that counts them; off = counted and dropped where they arrive (Storm logs them). Storm only, not JStorm's windowing",
  },
  {
    key: 'receiveBufferSize',
    type: 'integer',
    default: null,
    nullable: true,
    min: 1,
    max: 1 << 24,
    unit: 'slots',
    description: 'topology.executor.receive.buffer.size; off = flavour default (Storm 32768, JStorm 256)',
  },
  {
    key: 'transferBufferSize',
    type: 'integer',
    default: null,
    nullable: true,
    min: 1,
    max: 1 << 24,
    unit: 'tuples',
    description: "a worker's transfer queue (topology.transfer.buffer.size); off = flavour default (Storm 1000, JStorm 256)",
  },
  {
    key: 'batchSize',
    type: 'integer',
    default: null,
    nullable: true,
    min: 1,
    max: 4096,
    unit: 'tuples',
    description:
      'tuples per batch between executors (topology.producer.batch.size / task.msg.batch.size); off = flavour default (Storm 1 = no batching, JStorm 20)',
  },
  {
    key: 'batchFlushInterval',
    type: 'duration',
    default: null,
    nullable: true,
    min: 0.01,
    unit: 'ms',
    description:
      'a partial batch is flushed after this long (topology.batch.flush.interval.millis / task.msg.batch.flush.interval.millis); off = flavour default (Storm 1, JStorm 2)',
  },
  {
    key: 'transferBatchBytes',
    type: 'integer',
    default: null,
    nullable: true,
    min: 1024,
    max: 1 << 26,
    unit: 'bytes',
    description:
      'bytes per message between workers (storm.messaging.netty.transfer.batch.size); off = flavour default (Storm 262144, JStorm 65536)',
  },
  {
    key: 'backpressureCheckInterval',
    type: 'duration',
    default: 50,
    unit: 'ms',
    min: 1,
    description:
      'Storm 2: how often a worker clears the backpressure flag of tasks whose overflow drained (topology.backpressure.check.millis)',
  },
  {
    key: 'tmCheckInterval',
    type: 'duration',
    default: 1000,
    unit: 'ms',
    min: 1,
    description: 'JStorm: queue sampling period of the topology-master backpressure (topology.backpressure.check.interval)',
  },
  {
    key: 'tmWaterMarkHigh',
    type: 'number',
    default: 0.8,
    min: 0,
    max: 1,
    description: 'JStorm: a queue fuller than this share is a blocked sample (topology.backpressure.water.mark.high)',
  },
  {
    key: 'tmWaterMarkLow',
    type: 'number',
    default: 0.05,
    min: 0,
    max: 1,
    description: 'JStorm: a queue emptier than this share is a released sample (topology.backpressure.water.mark.low)',
  },
  {
    key: 'tmTriggerRatio',
    type: 'number',
    default: 0.1,
    min: 0,
    max: 1,
    description: "JStorm: spouts are throttled when more than this share of a component's tasks is blocked (coordinator.trigger.ratio)",
  },
  {
    key: 'tmSampleNumber',
    type: 'integer',
    default: 4,
    min: 1,
    max: 100,
    description: 'JStorm: consecutive samples considered (topology.backpressure.trigger.sample.number)',
  },
  {
    key: 'tmSampleRate',
    type: 'number',
    default: 0.75,
    min: 0,
    max: 1,
    description: 'JStorm: blocked (or released) when more than sampleNumber x this of the samples are (trigger.sample.rate)',
  },
  {
    key: 'statsSampleRate',
    type: 'number',
    default: 0.05,
    min: 0.0001,
    max: 1,
    description: 'topology.stats.sample.rate: share of tuples timed for execute and complete latency',
  },
  ...supervisionOptions,
  ...stormStandaloneOptions,
];

/** The resolved configuration every daemon and executor reads. */
export interface StormConfig {
  readonly flavour: Flavour;
  readonly workers: number;
  /** Where `workers` came from: the option, or the comparable-defaults rule of the deployment (for explain). */
  readonly workersRule: string;
  readonly supervisors: number;
  readonly slotsPerSupervisor: number;
  /** Acker executors (0 = acking off). */
  readonly ackers: number;
  /** ms */
  readonly messageTimeoutMs: number;
  /** Per spout task; Infinity when unlimited. */
  readonly maxSpoutPending: number;
  /** How windows run: Storm's windowed bolts, or the incremental optimisation. */
  readonly windowing: Windowing;
  /** ms */
  readonly watermarkIntervalMs: number;
  /** Every windowed bolt's lag (ms), or null: the feeding maxDelay + 1. */
  readonly windowLagMs: number | null;
  /** Windowed bolts' late tuple stream, or null (late tuples counted and dropped). */
  readonly lateTupleStream: string | null;
  readonly receiveBufferSize: number;
  readonly transferBufferSize: number;
  readonly batchSize: number;
  /** ms */
  readonly batchFlushIntervalMs: number;
  readonly transferBatchBytes: number;
  /** ms */
  readonly backpressureCheckMs: number;
  readonly tm: {
    readonly checkIntervalMs: number;
    readonly waterMarkHigh: number;
    readonly waterMarkLow: number;
    readonly triggerRatio: number;
    readonly sampleNumber: number;
    readonly sampleRate: number;
  };
  /** Every n-th tuple is timed (1 / topology.stats.sample.rate). */
  readonly statsSampleEvery: number;
  /** First port of a supervisor's slots (Storm 6700, JStorm 6900). */
  readonly basePort: number;
}

/** Test-only hooks (not options): they let a test lose an ack on purpose. */
export interface StormTestHooks {
  /** Called by an acker for each incoming `__ack_ack`; return true to drop it (as if lost). */
  dropAck?: (rootHi: number, rootLo: number) => boolean;
}

function num(values: OptionValues, key: string): number | null {
  const v = values[key];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number') throw new Error(`option storm.${key} is ${JSON.stringify(v)}, expected a number`);
  return v;
}

function req(values: OptionValues, key: string): number {
  const v = num(values, key);
  if (v === null) throw new Error(`option storm.${key} is missing`);
  return v;
}

/** What the default number of workers depends on. */
export interface WorkerPlacement {
  readonly parallelism: number;
  readonly deployment?: Deployment;
}

/**
 * The comparable-defaults rule for `storm.workers` left off: local keeps Storm's default of 1 worker (no
 * serialization, as a LocalCluster); standalone gives one worker per parallel instance up to the cores,
 * so that at the same -p Storm has as many processes as Flink has TaskManagers.
 */
export function defaultWorkers(placement: WorkerPlacement | undefined): number {
  if (placement?.deployment !== 'standalone') return 1;
  return Math.max(1, Math.min(placement.parallelism, availableParallelism()));
}

/** Resolves option values (defaults filled in by the caller) into a {@link StormConfig}; throws on impossible ones. */
export function resolveConfig(values: OptionValues, placement?: WorkerPlacement): StormConfig {
  const get = (key: string) => (values[key] === undefined ? (STORM_OPTIONS.find((o) => o.key === key)?.default ?? null) : values[key]);
  const v: Record<string, unknown> = {};
  for (const o of STORM_OPTIONS) v[o.key] = get(o.key);
  const vals = v as OptionValues;
  const flavour = (vals.flavour ?? 'storm') as Flavour;
  if (flavour !== 'storm' && flavour !== 'jstorm')
    throw new OptionError(`option storm.flavour: '${String(flavour)}' is not storm or jstorm`);
  const jstorm = flavour === 'jstorm';
  const setWorkers = num(vals, 'workers');
  const workers = setWorkers ?? defaultWorkers(placement);
  const workersRule =
    setWorkers !== null
      ? 'storm.workers'
      : placement?.deployment === 'standalone'
        ? `standalone default: one worker per parallel instance up to the cores, min(-p ${placement.parallelism}, ${availableParallelism()} cores)`
        : 'local default: 1, as Storm (no serialization between executors)';
  const supervisors = req(vals, 'supervisors');
  const slotsPerSupervisor = req(vals, 'slotsPerSupervisor');
  if (workers > supervisors * slotsPerSupervisor) {
    throw new OptionError(
      `storm.workers=${workers} needs ${workers} worker slots but the cluster has ${supervisors * slotsPerSupervisor} (storm.supervisors=${supervisors} x storm.slotsPerSupervisor=${slotsPerSupervisor})`,
    );
  }
  const ackersRaw = String(vals.ackers ?? 'auto');
  if (wholeOrAuto(ackersRaw)) throw new OptionError(`option storm.ackers: '${ackersRaw}' ${wholeOrAuto(ackersRaw)}`);
  const ackers = ackersRaw === 'auto' ? workers : Number(ackersRaw);
  const maxSpoutPending = num(vals, 'maxSpoutPending');
  const sampleRate = req(vals, 'statsSampleRate');
  const windowing = (vals.windowing ?? 'storm') as Windowing;
  if (windowing !== 'storm' && windowing !== 'incremental')
    throw new OptionError(`option storm.windowing: '${String(windowing)}' is not storm or incremental`);
  const lateTupleStream = vals.lateTupleStream === null || vals.lateTupleStream === undefined ? null : String(vals.lateTupleStream);
  if (lateTupleStream !== null) {
    const bad = checkStreamName(lateTupleStream);
    if (bad) throw new OptionError(`option storm.lateTupleStream: ${bad}`);
    if (jstorm)
      throw new OptionError(
        "storm.lateTupleStream needs storm.flavour=storm: JStorm's windowed bolts (a port of Storm 1.0's) have no late tuple stream",
      );
    if (windowing === 'incremental')
      throw new OptionError('storm.lateTupleStream needs storm.windowing=storm: the incremental windows have no late tuple stream');
  }
  return {
    flavour,
    workers,
    workersRule,
    supervisors,
    slotsPerSupervisor,
    ackers,
    messageTimeoutMs: req(vals, 'messageTimeout'),
    maxSpoutPending: maxSpoutPending ?? Infinity,
    windowing,
    watermarkIntervalMs: req(vals, 'watermarkInterval'),
    windowLagMs: num(vals, 'windowLag'),
    lateTupleStream,
    receiveBufferSize: num(vals, 'receiveBufferSize') ?? (jstorm ? 256 : 32768),
    transferBufferSize: num(vals, 'transferBufferSize') ?? (jstorm ? 256 : 1000),
    batchSize: num(vals, 'batchSize') ?? (jstorm ? 20 : 1),
    batchFlushIntervalMs: num(vals, 'batchFlushInterval') ?? (jstorm ? 2 : 1),
    transferBatchBytes: num(vals, 'transferBatchBytes') ?? (jstorm ? 65536 : 262144),
    backpressureCheckMs: req(vals, 'backpressureCheckInterval'),
    tm: {
      checkIntervalMs: req(vals, 'tmCheckInterval'),
      waterMarkHigh: req(vals, 'tmWaterMarkHigh'),
      waterMarkLow: req(vals, 'tmWaterMarkLow'),
      triggerRatio: req(vals, 'tmTriggerRatio'),
      sampleNumber: req(vals, 'tmSampleNumber'),
      sampleRate: req(vals, 'tmSampleRate'),
    },
    statsSampleEvery: Math.max(1, Math.round(1 / sampleRate)),
    basePort: jstorm ? 6900 : 6700,
  };
}
