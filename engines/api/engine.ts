/**
 * The contract between the harness and an engine. An engine lowers a {@link Dataflow} into its native
 * structure, explains it, and runs it against a {@link RunIO}: its sources read the event log, its sinks
 * write to the sink set, it reads time and schedules only through the clock.
 */
import type { Clock } from './clock.js';
import type { Dataflow } from './dataflow.js';
import type { EventLogReader } from './event-log.js';
import type { FaultKindInfo, PromisedGuarantee } from './faults.js';
import type { OptionSpec, OptionValues } from './options.js';

/** Where a sink node's records go. `write` stamps latency with the clock: call it when the record is final. */
export interface SinkWriter {
  /** One output record with the max emitTime and ingestTime of the inputs it derives from. */
  write(value: unknown, emitTime: number, ingestTime: number): void;
}

export interface SinkSet {
  /** The writer of the dataflow's sink node named `name`. */
  get(name: string): SinkWriter;
}

/** One record of a transaction: value, emitTime, ingestTime. */
export type StagedRecord = readonly [unknown, number, number];

/**
 * A sink set that is an external system with transactions (a transactional Kafka topic): the records of
 * transaction `id` become visible when it commits, and committing the same `id` again is a no-op.
 */
export interface TransactionalSinkSet extends SinkSet {
  commit(id: string, sink: string, records: readonly StagedRecord[]): void;
}

/** True when `sinks` takes transactions. */
export function isTransactional(sinks: SinkSet): sinks is TransactionalSinkSet {
  return typeof (sinks as Partial<TransactionalSinkSet>).commit === 'function';
}

/** Counters every engine reports the same way. */
export interface MetricsRecorder {
  /** Records dropped by `operator` because every window they belong to had already fired. */
  lateRecordsDropped(operator: string, count: number): void;
}

export interface RunIO {
  readonly log: EventLogReader;
  readonly sinks: SinkSet;
  readonly clock: Clock;
  readonly metrics: MetricsRecorder;
}

/**
 * Where an engine's daemons and tasks run: `local`, all in the caller's process on one scheduler (Flink's
 * MiniCluster); `standalone`, daemons as processes on 127.0.0.1 and tasks on their own threads.
 */
export type Deployment = 'local' | 'standalone';
export const DEPLOYMENTS: readonly Deployment[] = ['local', 'standalone'];

/**
 * How another process rebuilds the same dataflow (its user functions cannot travel): a compiled module,
 * the function it exports, and JSON arguments; `import(module)[exportName](...args)` returns the Dataflow.
 * It stands for the job's jar that a Flink client ships with the JobGraph.
 */
export interface DataflowRecipe {
  /** Absolute path of a compiled ES module. */
  readonly module: string;
  readonly exportName: string;
  readonly args: readonly unknown[];
}

/** Settings for one engine run. */
export interface EngineOptions {
  /** Default operator parallelism (the CLI's `-p`); the log has this many partitions too. */
  readonly parallelism: number;
  /** This engine's own options (keys without the engine's namespace), defaults filled in. */
  readonly values: OptionValues;
  /** Default `local`. */
  readonly deployment?: Deployment;
  /** Required by a `standalone` deployment: how its processes rebuild the dataflow. */
  readonly dataflowRecipe?: DataflowRecipe;
  /** `standalone` only: submit to the running session cluster of this state directory instead of starting one. */
  readonly cluster?: string;
}

/** A node of a drawn physical plan: a task, a chain, a stage, a bolt, a worker... */
export interface PlanNode {
  readonly id: string;
  readonly label: string;
  /** Free-form category, e.g. `chain`, `stage`, `spout`, `bolt`, `worker`. */
  readonly kind: string;
  /** Id of the enclosing node (a task inside a slot, an executor inside a worker), if any. */
  readonly parent?: string;
  readonly attrs?: Readonly<Record<string, string | number | boolean>>;
}

export interface PlanEdge {
  readonly from: string;
  readonly to: string;
  /** E.g. `forward`, `hash`, `shuffle`, `fields(word)`. */
  readonly label?: string;
}

/** An engine's physical plan: printable and serializable, drawn by reports. */
export interface EnginePlan {
  readonly engine: string;
  /** Human-readable, multi-line. */
  readonly text: string;
  readonly nodes: readonly PlanNode[];
  readonly edges: readonly PlanEdge[];
  /** Engine-specific structured detail (JSON-serializable). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Engine-specific counters: chains, checkpoints, batches, acks... (JSON-serializable). Each engine exports
 * its own type (`ReferenceEngineStats`, `FlinkEngineStats`, `SparkEngineStats`, `StormEngineStats`), which the
 * results schema collects by engine name.
 */
export type EngineStats = object;

export interface RunningJob<S extends EngineStats = EngineStats> {
  /** Resolves when a closed (bounded) input has been fully processed and every sink record written. */
  drained(): Promise<void>;
  /** Stops an unbounded run; nothing is emitted after it resolves. */
  stop(): Promise<void>;
  stats(): S;
}

/** The highest parallelism an engine can ever run, and why, in words a user can act on. */
export interface ParallelismLimit {
  readonly max: number;
  /** What sets the limit and what to change, e.g. `its maximum parallelism (flink.maxParallelism=64)`. */
  readonly reason: string;
}

export interface Engine<S extends EngineStats = EngineStats> {
  readonly name: string;
  /** One line for `streamarena list`. */
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** Deployments the engine can run; `local` only when not given. */
  readonly deployments?: readonly Deployment[];
  /**
   * The highest default parallelism (`EngineOptions.parallelism`, the CLI's `-p`) the engine can run with
   * these option values, or undefined when it sets no limit of its own. Harnesses check it before the
   * first run, so that a parallelism the engine can never run is the user's error, not a failed trial.
   */
  parallelismLimit(values: OptionValues): ParallelismLimit | undefined;
  explain(flow: Dataflow, opts: EngineOptions): EnginePlan;
  /**
   * The faults a run of this engine with these option values can be given (its jobs then implement
   * `FaultTolerantJob`), and the guarantee the values promise. Absent: the engine takes no faults.
   * `deployments`: where faults can be injected (`local` only when not given); `kinds` is asked per
   * deployment, since a standalone daemon dies by a signal and the local one by losing its objects.
   */
  readonly faults?: {
    readonly deployments?: readonly Deployment[];
    kinds(values: OptionValues, deployment?: Deployment): readonly FaultKindInfo[];
    promised(values: OptionValues): PromisedGuarantee;
  };
  start(flow: Dataflow, io: RunIO, opts: EngineOptions): Promise<RunningJob<S>>;
}
