/**
 * The results file: versioned JSON written by `streamarena run` and read by reports and `compare`.
 * Bump SCHEMA_VERSION on any change that an older reader would misread; readers reject other versions.
 * Units: times in ms, rates per second, sizes in bytes. The README documents every field.
 */
import type { FaultEvent, FaultKind, Guarantee, OptionValue } from '../engines/api/index.js';
import type { FlinkEngineStats } from '../engines/flink/index.js';
import type { ReferenceEngineStats } from '../engines/reference/index.js';
import type { SerializedHistogram } from '../engines/runtime/index.js';
import type { SparkEngineStats } from '../engines/spark/index.js';
import type { StormEngineStats } from '../engines/storm/index.js';

export const SCHEMA_VERSION = 1;

/** Each engine's own statistics type, by engine name (the engines export them). */
export interface EngineStatsByEngine {
  reference: ReferenceEngineStats;
  flink: FlinkEngineStats;
  spark: SparkEngineStats;
  storm: StormEngineStats;
}

export type KnownEngine = keyof EngineStatsByEngine;

/** What the harness adds to every engine's statistics. */
export interface HarnessEngineStats {
  /** Late records dropped, by operator name. */
  lateRecordsByOperator?: Record<string, number>;
}

/** The statistics of a trial of engine `E`. */
export type EngineStatsOf<E extends KnownEngine> = EngineStatsByEngine[E] & HarnessEngineStats;

/**
 * A trial's `engineStats`: a union keyed by engine for the engines this version knows, an open record for
 * another engine's. Read them through {@link engineStatsOf}.
 */
export type TrialEngineStats = { [E in KnownEngine]: EngineStatsOf<E> }[KnownEngine] | Record<string, unknown>;

/** Which part of a trial a sample belongs to. */
export type Phase = 'warmup' | 'measure' | 'drain';

/** One point of a trial's time series, taken every sampling interval (1 s; 500 ms in sweeps). */
export interface TimeseriesSample {
  /** Seconds since the driver started (end of the interval). */
  t: number;
  phase: Phase;
  inputEventsPerSec: number;
  outputRecordsPerSec: number;
  /** Events appended to the log but not yet read. */
  backlog: number;
  /** Event-time latency of the sink records of this interval (ms); null when there were none. */
  latency: { p50: number; p99: number; max: number } | null;
  heapUsedBytes: number;
  rssBytes: number;
  /** CPU time of the process over the interval, as a percentage of one core. */
  cpuPercent: number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  histogram: SerializedHistogram;
}

export interface Environment {
  node: string;
  os: string;
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  gitCommit?: string;
  hostname: string;
}

/** One trial of one engine on one workload. */
export interface RunResult {
  engine: string;
  workload: string;
  /** 1-based trial number. */
  trial: number;
  status: 'ok';
  /** Every effective option, qualified: `run.parallelism`, `wordcount.window`, `flink.bufferTimeout`... */
  options: Record<string, OptionValue>;
  input: {
    /**
     * Events counted for the input throughput. At a paced rate: the events whose intended send time falls in
     * the measurement window that the engine read, however late (during the drain included). At rate max:
     * the events read after the window opened.
     */
    events: number;
    /** Events sent in total, warm-up included. */
    eventsTotal: number;
    /** At a paced rate: events the schedule offered over the whole run, warm-up included (absent in older files). */
    offered?: number;
    /**
     * At a paced rate: true when the driver could not keep to its schedule (it sent fewer than offered before
     * the duration ended, or sent a count or a file far behind its times). The trial then measured the
     * driver, not the engine; its input throughput is what the engine read while the window was open.
     */
    driverBound?: boolean;
    /** Offered rate (events/s) or 'max'. */
    rate: number | 'max';
    /** 'socket': lines read from `address` (`-i tcp://...`), stamped on arrival; `rate` is then 'max' (the sender's pace). */
    source: 'generator' | 'file' | 'socket';
    file?: string;
    /** A socket input's address, `tcp://host:port`. */
    address?: string;
    /** A socket input: lines that were neither an event of the workload nor text it reads. */
    rejectedLines?: number;
    /** A socket input: the first rejected line's number and why. */
    firstRejection?: string;
    /** A socket input: what ended it. */
    endedBy?: 'duration' | 'events' | 'sender' | 'stopped';
    /** Events sent but not yet read when the measurement window closed (absent in older files). */
    backlogAtEnd?: number;
    /**
     * When the window closed, how far the engine's reading trailed the schedule: the time minus the intended
     * send time of the oldest unread event (ms; 0 when it had read everything). Absent in older files.
     */
    lagAtEndMs?: number;
  };
  /**
   * Length of the measurement window (ms): at a paced rate, by schedule (end of warm-up to the end of the
   * duration or the last event); at rate max, end of warm-up to the last input read.
   */
  durationMs: number;
  throughput: {
    inputEventsPerSec: number;
    outputRecordsPerSec: number;
    /** Events first read while the window was open, per second of it: bursty for a micro-batch engine (absent in older files). */
    readEventsPerSec?: number;
  };
  latency: { eventTime: LatencySummary; processingTime: LatencySummary };
  /** How late the generator appended events against their schedule (ms); part of event-time latency. */
  sendLag: LatencySummary;
  timeseries: TimeseriesSample[];
  resources: { cpuUserMs: number; cpuSystemMs: number; heapPeakBytes: number; rssPeakBytes: number };
  output: {
    records: number;
    measuredRecords: number;
    /** Order-independent digest of every sink record (`<count>:<16 hex>`), or `n/a` for generated input, whose outputs differ between trials. */
    digest: string;
    lateRecordsDropped: number;
  };
  /** False when the engine did not finish the input within the drain timeout and was stopped. */
  drained: boolean;
  engineStats: TrialEngineStats;
  /** Workload-specific figures (YSB: its own window latency), when the workload reports any. */
  workloadStats?: Record<string, unknown>;
  /** The trial's injected faults (`--fault`) and what each did; absent without faults (and in older files). */
  faults?: FaultResult[];
  /** Every fault event in order (injected, detected, restarted, failed), for time series and live charts. */
  faultEvents?: FaultEvent[];
}

/**
 * One injected fault. Times are ms from the start of the load (warm-up included); null when it never
 * happened. The output figures compare the whole trial's output with the reference engine's on the same
 * events, so with several faults every entry carries the same figures.
 */
export interface FaultResult {
  /** As given: `kill-taskmanager:random@5000ms`. */
  spec: string;
  kind: FaultKind;
  /** The daemon index, operator or stall target it hit; null when it was never injected. */
  target: string | null;
  atMs: number;
  /** When the engine noticed (heartbeat timeout, broken connection, failed task, end of a pause). */
  detectedMs: number | null;
  /** When the lost part ran again (tasks redeployed, worker relaunched, tasks resubmitted). */
  restartedMs: number | null;
  /** First sample at >= 90 % of the offered rate, backlog not growing, p99 under the pre-fault p99. */
  recoveredMs: number | null;
  /** Highest sample latency from the fault to the recovery (or the end). */
  maxLatencyMs: number | null;
  preFaultP99Ms: number | null;
  /** Records of the reference's output missing from the engine's. */
  lostRecords: number;
  /** Extra copies of records the reference emitted. */
  duplicateRecords: number;
  /** Records the reference never emitted (an aggregate counted with a replayed or a lost input). */
  changedRecords: number;
  /** Of the changed: window results counted higher than the reference's (inputs counted twice), and lower (missed). */
  overCounted?: number;
  underCounted?: number;
  /** Observed from the counts: lost or under-counted = missed, duplicated or over-counted = repeated. */
  guarantee: Guarantee;
  /** What the engine's configuration promises, and why. */
  promised: Guarantee;
  promisedBecause: string;
}

/** A trial that crashed or timed out: kept in the file so that nothing is lost silently. */
export interface FailedRun {
  engine: string;
  workload: string;
  trial: number;
  status: 'failed';
  /** Why it failed (one line). */
  error: string;
}

export type TrialOutcome = RunResult | FailedRun;

/** Latency percentiles of one sweep point (ms), without the histogram. */
export interface LatencyPercentiles {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** One offered load of a sweep, and whether the engine sustained it. */
export interface SweepPoint {
  /** Offered load, events/s. */
  offeredRate: number;
  /** Input events read per second in the measurement window. */
  achievedInputThroughput: number;
  /** Event-time latency. */
  latency: LatencyPercentiles;
  processingLatency: LatencyPercentiles;
  /** Growth of the log backlog over the measurement window (events/s; least squares over the samples). */
  backlogSlope: number;
  /** Median event-time latency of the last third of the window minus that of the first third (ms). */
  latencyGrowthMs: number;
  /** `sustained`/`unsustained` when judged, `measured` for a plain --rates point, `failed` when the trial failed. */
  verdict: 'sustained' | 'unsustained' | 'measured' | 'failed';
  /** Why, with the figures the verdict was based on. */
  reason: string;
  /** Events read while the window was open, per second (absent in older files). */
  readEventsPerSec?: number;
  /** True when the driver could not send the offered rate: the point measured the driver (absent in older files). */
  driverBound?: boolean;
  /** Events sent and offered over the trial, warm-up included (absent in older files). */
  eventsSent?: number;
  eventsOffered?: number;
  /** The trial behind the point (1-based) and its run time (ms). */
  trial: number;
  durationMs: number;
  /** With `--fault`: what each fault of the point's trial did (absent otherwise and in older files). */
  faults?: FaultResult[];
}

/** A sweep of one engine on one workload over offered loads (and optionally one varied parameter). */
export interface Sweep {
  engine: string;
  workload: string;
  /** The varied option and its value for this sweep, with `--vary`. */
  vary?: { key: string; value: number };
  /** Every effective option of the sweep's trials except the rate. */
  options: Record<string, OptionValue>;
  /** In the order they were probed. */
  points: SweepPoint[];
  /** With --find-sustainable: the highest offered rate judged sustained (null when none was). */
  sustainableEventsPerSec: number | null;
  /** With --find-sustainable: how the search ended (bracket found, budget exhausted...). */
  search?: string;
  /** With --find-sustainable: input throughput of the unthrottled (--rate max) probe that bounds the search. */
  capacityEventsPerSec?: number;
}

/**
 * With `--sink-file` on an `--input` replay: the one file written per engine and workload, which trial's
 * records it holds, and whether the other trials' outputs agreed with it (same output digest).
 */
export interface SinkFileRecord {
  engine: string;
  workload: string;
  /** The file and the trial whose sink records it holds (the first that completed). */
  path: string;
  trial: number;
  digest: string;
  /** Later trials whose output digest equals the file's. */
  agreeingTrials: number[];
  /** Later trials whose output differed; each one's records are kept in its own file, for a diff. */
  differingTrials: { trial: number; digest: string; path: string }[];
}

export interface ResultsFile {
  schemaVersion: number;
  tool: { name: string; version: string };
  /** ISO time the run started. */
  createdAt: string;
  /** The command line, for reproducing the run. */
  command: string;
  environment: Environment;
  runs: TrialOutcome[];
  /** Written by `streamarena sweep` (its `runs` is empty). */
  sweeps?: Sweep[];
  /** True when the run was interrupted; `runs` holds what completed. */
  interrupted?: boolean;
  /** Written by `streamarena fidelity` (its `runs` holds the trials the checks ran). */
  fidelity?: FidelityCheckResult[];
  /** With `--sink-file` and `--input`: the files written and the trials' agreement. */
  sinkFiles?: SinkFileRecord[];
}

/**
 * One check of `streamarena fidelity`: the models run on the conditions of a published experiment, the
 * published figure beside ours, and whether the criterion (stated before the run) holds.
 */
export interface FidelityCheckResult {
  id: string;
  title: string;
  /** Where the published figures come from. */
  source: string;
  /** What we ran: workload, options, rates. */
  conditions: string;
  /** The criterion, as stated before the check ran. */
  criterion: string;
  status: 'holds' | 'fails' | 'skipped' | 'error';
  /** Published figure or shape beside ours, one row per compared point. */
  rows: { label: string; published: string; ours: string; holds?: boolean }[];
  /** What the measured figures say about a failed criterion (or why the check was skipped). */
  finding?: string;
  /** Wall time the check took, ms. */
  elapsedMs: number;
}

/**
 * The statistics of `run` typed as `engine`'s, or undefined when the trial ran another engine. A file
 * written by an older version of the same schema may lack fields added since: readers of such a field
 * check it (the report's panels replace a panel that cannot read its statistics by a note).
 */
export function engineStatsOf<E extends KnownEngine>(run: RunResult, engine: E): EngineStatsOf<E> | undefined {
  return run.engine === engine ? (run.engineStats as EngineStatsOf<E>) : undefined;
}

/** Checks that parsed JSON is a results file this version can read; returns it typed or throws with a reason. */
export function asResultsFile(json: unknown, source: string): ResultsFile {
  const r = json as Partial<ResultsFile> | null;
  if (r === null || typeof r !== 'object' || !('schemaVersion' in r) || !Array.isArray(r.runs)) {
    throw new Error(`${source} is not a streamarena results file`);
  }
  if (r.schemaVersion !== SCHEMA_VERSION) {
    throw new Error(`${source} has results schema version ${String(r.schemaVersion)}; this streamarena reads version ${SCHEMA_VERSION}`);
  }
  return r as ResultsFile;
}
