/**
 * One engine over one bounded input, in this process: a closed event log (event k in partition
 * k % parallelism unless said otherwise), the engine's options as its defaults overridden by the given
 * values, every sink record collected with its write time, the clock driven by a {@link DriveStrategy}.
 * The harness of `streamarena verify` and of every engine's tests.
 */
import {
  withDefaults,
  type Clock,
  type Dataflow,
  type Engine,
  type EngineOptions,
  type EngineStats,
  type OptionValue,
  type RunIO,
  type RunningJob,
  type SinkSet,
} from '../../engines/api/index.js';
import { ManualClock, systemClock } from '../../engines/runtime/index.js';
import { EventLog } from '../driver/index.js';
import { LateRecordCounter } from '../metrics/index.js';
import { CollectingSinks, type SinkRecord } from './collecting-sinks.js';
import { driveUntilDrained, type DriveStrategy } from './drive.js';

/** Virtual start time of a run on a ManualClock (ms since epoch). */
export const VIRTUAL_START_MS = 1_000_000;

export interface BoundedRunOptions<J extends RunningJob = RunningJob> {
  /** Operator parallelism and log partitions (default 1). */
  parallelism?: number;
  /** The engine's own options (keys without namespace) over its defaults. */
  values?: Readonly<Record<string, OptionValue | undefined>>;
  /** Log timestamp (intended send time) of each event; default its index. */
  timestamps?: readonly number[];
  /** Log partition of event k; default k % parallelism. */
  partition?: (k: number) => number;
  /** Default `{kind: 'real', timeoutMs: 60 s}`. */
  drive?: DriveStrategy;
  /** The clock of a virtual run (default a ManualClock at {@link VIRTUAL_START_MS}); ignored by `real`. */
  clock?: ManualClock;
  /** With `stepped`: events appended per step while time advances (default: all before the start). */
  eventsPerStep?: number;
  /** Append to this log instead of a new one (a recovery run over the same log). */
  log?: EventLog;
  /** Close the log once the events are in (default true); an open log never drains. */
  close?: boolean;
  /** Wraps the collecting sinks (e.g. a workload's sink side effects). */
  wrapSinks?: (sinks: SinkSet) => SinkSet;
  /** Starts the job instead of `engine.start` (an engine's own entry point with extra options). */
  start?: (flow: Dataflow, io: RunIO, opts: EngineOptions) => Promise<J> | J;
}

/** A bounded run started but not yet driven. */
export interface StartedBoundedRun<J extends RunningJob> {
  job: J;
  log: EventLog;
  sinks: CollectingSinks;
  late: LateRecordCounter;
  clock: Clock;
}

export interface BoundedRun<S extends EngineStats = EngineStats> {
  /** Sink name -> records in arrival order. */
  sinks: Record<string, SinkRecord[]>;
  late: LateRecordCounter;
  stats: S;
  log: EventLog;
  /** Clock time from the start to the drain (ms; virtual on a ManualClock). */
  elapsedMs: number;
}

type JobOf<E extends Engine> = Awaited<ReturnType<E['start']>>;
type StatsOf<E extends Engine> = ReturnType<JobOf<E>['stats']>;

function clockFor(opts: BoundedRunOptions<RunningJob>): Clock {
  return (opts.drive ?? { kind: 'real' }).kind === 'real' ? systemClock : (opts.clock ?? new ManualClock(VIRTUAL_START_MS));
}

/**
 * Fills and starts: with `eventsPerStep` (stepped runs) the events arrive while the clock advances, and
 * the log is closed once all are in; otherwise they are all appended and the log closed before the start.
 */
export async function startBounded<E extends Engine, J extends RunningJob = JobOf<E>>(
  engine: E,
  flow: Dataflow,
  events: readonly unknown[],
  opts: BoundedRunOptions<J> = {},
): Promise<StartedBoundedRun<J>> {
  const parallelism = opts.parallelism ?? 1;
  const clock = clockFor(opts as BoundedRunOptions<RunningJob>);
  const log = opts.log ?? new EventLog(parallelism, clock);
  const close = opts.close ?? true;
  const partition = opts.partition ?? ((k: number) => k % parallelism);
  const append = (k: number) => log.append(partition(k), events[k], opts.timestamps?.[k] ?? k);
  const stepwise = opts.eventsPerStep !== undefined && opts.drive?.kind === 'stepped';
  if (!stepwise) {
    for (let k = 0; k < events.length; k++) append(k);
    if (close) log.close();
    else log.publish();
  }
  const sinks = new CollectingSinks(flow, clock);
  const late = new LateRecordCounter();
  const io: RunIO = { log, sinks: opts.wrapSinks ? opts.wrapSinks(sinks) : sinks, clock, metrics: late };
  const engineOpts: EngineOptions = { parallelism, values: withDefaults(engine.options, opts.values) };
  const job = (await (opts.start ? opts.start(flow, io, engineOpts) : engine.start(flow, io, engineOpts))) as J;
  if (stepwise && opts.drive?.kind === 'stepped') {
    const manual = clock as ManualClock;
    for (let k = 0; k < events.length; ) {
      for (let i = 0; i < opts.eventsPerStep! && k < events.length; i++, k++) append(k);
      log.publish();
      manual.advance(opts.drive.stepMs);
    }
    if (close) log.close();
    else log.publish();
  }
  return { job, log, sinks, late, clock };
}

/** Runs `engine` on `events` to the end under `opts.drive` and returns what the sinks received. */
export async function runBounded<E extends Engine>(
  engine: E,
  flow: Dataflow,
  events: readonly unknown[],
  opts: BoundedRunOptions<JobOf<E>> = {},
): Promise<BoundedRun<StatsOf<E>>> {
  const drive = opts.drive ?? { kind: 'real', timeoutMs: 60_000 };
  const started = await startBounded(engine, flow, events, { ...opts, drive });
  const t0 = started.clock.now();
  await driveUntilDrained(started.job, drive, drive.kind === 'real' ? undefined : (started.clock as ManualClock), events.length);
  return {
    sinks: started.sinks.records,
    late: started.late,
    stats: started.job.stats() as StatsOf<E>,
    log: started.log,
    elapsedMs: started.clock.now() - t0,
  };
}
