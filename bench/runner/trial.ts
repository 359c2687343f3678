/**
 * Runs one trial in this process: one engine, one workload, one load. The driver, the engine and the
 * measurements share the process and its clock; the runner isolates trials by running each in a child.
 */
import type { Socket } from 'node:net';
import type { Deployment, FaultEvent, OptionValue } from '../../engines/api/index.js';
import { engines } from '../../engines/index.js';
import { systemClock, type LatencyHistogram } from '../../engines/runtime/index.js';
import type { LatencySummary, Phase, RunResult, TimeseriesSample } from '../../reports/schema.js';
import { startWorkloadSession, withSinkEffects, workloads } from '../../workloads/index.js';
import {
  connectSocketInput,
  EventLog,
  OpenLoopDriver,
  generatedEvents,
  parseSocketInput,
  readInputFile,
  recordedEvents,
  SocketDriver,
  workloadLineParser,
  type EventSource,
  type LoadPlan,
} from '../driver/index.js';
import { InputWindow, JsonlWriter, LateRecordCounter, MeasuredSinks, Sampler } from '../metrics/index.js';
import { UsageError } from '../errors.js';
import { settleWithin } from '../timeout.js';
import { liveEngineStats } from './live-stats.js';
import { effectiveOptions, qualify } from './options.js';
import { dataflowRecipe, deploymentProblem, standaloneUsageProblem } from './dataflow-recipe.js';
import { FaultSession, RecordingEventLog, type FaultSpec } from '../faults/index.js';

export interface TrialSpec {
  engine: string;
  workload: string;
  /** 1-based. */
  trial: number;
  parallelism: number;
  seed: number;
  load: LoadPlan;
  /** User-given option values by qualified key (`wordcount.window`); defaults fill the rest. */
  options: Record<string, OptionValue>;
  /** An --input JSONL file to replay instead of the generator, or a `tcp://host:port` socket to read lines from. */
  input?: string;
  /** Write every sink record here as JSONL. */
  sinkFile?: string;
  /** How long to wait, after the last event is sent, for the engine to finish (ms). */
  drainTimeoutMs: number;
  /** Time series resolution (ms); default 1000 (250 with faults). */
  sampleIntervalMs?: number;
  /** Where the engine's daemons and tasks run; default `local`. */
  deployment?: Deployment;
  /** Submit to the running session cluster of this state directory (standalone). */
  cluster?: string;
  /** Faults to inject (`--fault`), times from the load's start. */
  faults?: readonly FaultSpec[];
  /** Send the engine's stats and this process's id with every progress sample (the live dashboard, --ui). */
  live?: boolean;
}

/** What a trial reports while it runs (one per sample); with `live`, the engine's stats of that moment too. */
export type TrialProgress = TimeseriesSample & {
  elapsedMs: number;
  plannedMs: number | undefined;
  live?: { pid: number; engineStats: object };
  /** With faults: the fault events since the previous progress report (for a live chart to mark). */
  faultEvents?: FaultEvent[];
};

export async function runTrial(spec: TrialSpec, onProgress?: (p: TrialProgress) => void): Promise<RunResult> {
  const engine = engines[spec.engine];
  const workload = workloads[spec.workload];
  if (!engine) throw new UsageError(`unknown engine '${spec.engine}'`);
  if (!workload) throw new UsageError(`unknown workload '${spec.workload}'`);
  const engineValues = effectiveOptions(engine.name, engine.options, spec.options);
  const workloadValues = effectiveOptions(workload.name, workload.options, spec.options);
  const deployment = spec.deployment ?? 'local';
  const problem =
    deploymentProblem(engine, deployment) ??
    (deployment === 'standalone' ? standaloneUsageProblem(workload.name, workloadValues) : undefined);
  if (problem) throw new UsageError(problem);
  const socketAddress = spec.input === undefined ? undefined : parseSocketInput(spec.input);
  // A socket is connected before the engine starts, so that a server that went away is a clear error, not an empty run.
  const feed: { socket: Socket } | { events: EventSource } = socketAddress
    ? { socket: await connectSocketInput(socketAddress) }
    : {
        events: spec.input
          ? recordedEvents(await readInputFile(spec.input, workload.parseInputLine))
          : generatedEvents(workload.generator(workloadValues, spec.seed).next),
      };

  const clock = systemClock;
  // Setup hooks (YSB with ysb.redis: loads the campaigns into Redis, fills the cache) before the engine starts.
  const session = await startWorkloadSession(workload, workloadValues, { clock });
  const faults =
    spec.faults && spec.faults.length > 0
      ? new FaultSession(spec.faults, engine, engineValues, workload, workloadValues, session.dataflow, clock, spec.seed, deployment)
      : undefined;
  const flow = faults?.dataflow ?? session.dataflow;
  const log = faults ? new RecordingEventLog(spec.parallelism, clock) : new EventLog(spec.parallelism, clock);
  const late = new LateRecordCounter();
  const file = spec.sinkFile ? new JsonlWriter(spec.sinkFile) : undefined;
  // On a failure, nothing of the load may keep running (inline trials share the process with the caller).
  let stopLoad = (): void => {};
  try {
    // Outputs of generated input differ between trials (wall-clock event times): no digest to compare.
    const sinks = new MeasuredSinks(flow, clock, file, spec.input !== undefined);
    const job = await engine.start(
      flow,
      { log, sinks: faults ? faults.sinks(withSinkEffects(sinks, session)) : withSinkEffects(sinks, session), clock, metrics: late },
      {
        parallelism: spec.parallelism,
        values: engineValues,
        ...(deployment === 'local' ? {} : { deployment, dataflowRecipe: dataflowRecipe(workload.name, workloadValues) }),
        ...(spec.cluster ? { cluster: spec.cluster } : {}),
      },
    );
    try {
      faults?.checkTargets(job);
    } catch (err) {
      await job.stop();
      throw err;
    }
    const driver =
      'socket' in feed
        ? new SocketDriver(log, feed.socket, workloadLineParser(workload.parseInputLine, workload.parseTextLine), clock, spec.load)
        : new OpenLoopDriver(log, feed.events, clock, spec.load);

    let phase: Phase = 'warmup';
    const plannedMs = spec.load.durationMs === undefined ? undefined : spec.load.warmupMs + spec.load.durationMs;
    const sampler = new Sampler(
      clock,
      log,
      sinks,
      () => phase,
      (s) => {
        const newFaultEvents = faults?.injector.takeNewEvents() ?? [];
        onProgress?.({
          ...s,
          elapsedMs: clock.now() - driver.t0,
          plannedMs,
          ...(spec.live ? { live: { pid: process.pid, engineStats: liveEngineStats(job.stats()) } } : {}),
          ...(newFaultEvents.length > 0 ? { faultEvents: newFaultEvents } : {}),
        });
      },
      spec.sampleIntervalMs ?? (faults ? 250 : undefined),
    );
    // The measurement window opens when warm-up ends: snapshot what has been read and the CPU used so far.
    const input = new InputWindow(log, driver, clock);
    let window = { time: Number.NaN, cpu: process.cpuUsage() };
    const openWindow = () => {
      phase = 'measure';
      input.open();
      window = { time: clock.now(), cpu: process.cpuUsage() };
    };

    driver.start();
    stopLoad = () => {
      faults?.stop();
      driver.stop();
      sampler.end();
    };
    faults?.start(job, driver.t0);
    sinks.measureFrom = driver.measureFrom;
    sampler.begin();
    const warmupTimer = spec.load.warmupMs > 0 ? clock.schedule(driver.measureFrom, openWindow) : undefined;
    if (!warmupTimer) openWindow();

    await driver.done;
    if (phase === 'warmup') {
      // Every event was sent before the window opened: what would be measured is only the drain.
      warmupTimer?.cancel();
      throw new UsageError(
        `all ${driver.produced} events were sent during the ${spec.load.warmupMs} ms warm-up, so nothing would be measured: send more events (-n), run longer (-d) or shorten --warmup`,
      );
    }
    phase = 'drain';
    const drained = await settleWithin(job.drained(), spec.drainTimeoutMs);
    if (!drained) await job.stop();
    sampler.end();
    faults?.stop();
    await session.teardown(); // waits for the sink effects (Redis writes); throws the first that failed

    const cpu = process.cpuUsage(window.cpu);
    const measured = input.measure();
    if (driver instanceof SocketDriver && measured.events === 0) {
      const rejected =
        driver.rejected > 0 ? `; ${driver.rejected} line(s) were not ${workload.name} events (first: ${driver.firstRejection})` : '';
      throw new UsageError(`no ${workload.name} events arrived from ${spec.input} before the input ended (${driver.endedBy})${rejected}`);
    }
    if (!(measured.events > 0 && measured.durationMs > 0)) {
      throw new UsageError(
        `nothing was measured: every event was read during the ${spec.load.warmupMs} ms warm-up; send more events or a longer duration`,
      );
    }
    const outputSpanMs = sinks.lastWriteTime - window.time;
    const faultResults = faults
      ? await faults.results(
          log as RecordingEventLog,
          sampler.samples,
          driver.t0,
          spec.load.rate === 'max' ? undefined : spec.load.rate,
          spec.drainTimeoutMs,
        )
      : undefined;
    file?.commit();
    return {
      engine: engine.name,
      workload: workload.name,
      trial: spec.trial,
      status: 'ok',
      options: {
        'run.parallelism': spec.parallelism,
        'run.deployment': deployment,
        'run.seed': spec.seed,
        'run.warmup': spec.load.warmupMs,
        'run.duration': spec.load.durationMs ?? null,
        'run.events': spec.load.events ?? null,
        ...qualify(engine.name, engineValues),
        ...qualify(workload.name, workloadValues),
      },
      input: {
        events: measured.events,
        eventsTotal: driver.produced,
        ...(driver instanceof OpenLoopDriver && spec.load.rate !== 'max'
          ? { offered: driver.offered, driverBound: driver.driverBound }
          : {}),
        rate: spec.load.rate,
        ...(driver instanceof SocketDriver
          ? {
              source: 'socket' as const,
              address: spec.input,
              rejectedLines: driver.rejected,
              ...(driver.firstRejection ? { firstRejection: driver.firstRejection } : {}),
              ...(driver.endedBy ? { endedBy: driver.endedBy } : {}),
            }
          : spec.input
            ? { source: 'file' as const, file: spec.input }
            : { source: 'generator' as const }),
        backlogAtEnd: measured.backlogAtEnd,
        lagAtEndMs: round(measured.lagAtEndMs),
      },
      durationMs: round(measured.durationMs),
      throughput: {
        inputEventsPerSec: round(measured.inputEventsPerSec),
        outputRecordsPerSec: outputSpanMs > 0 ? round((sinks.measuredRecords / outputSpanMs) * 1000) : 0,
        readEventsPerSec: round(measured.readEventsPerSec),
      },
      latency: { eventTime: summarize(sinks.eventTime), processingTime: summarize(sinks.processingTime) },
      sendLag: summarize(driver.sendLag),
      timeseries: sampler.samples,
      resources: {
        cpuUserMs: round(cpu.user / 1000),
        cpuSystemMs: round(cpu.system / 1000),
        heapPeakBytes: sampler.heapPeakBytes,
        rssPeakBytes: process.resourceUsage().maxRSS * 1024,
      },
      output: {
        records: sinks.records,
        measuredRecords: sinks.measuredRecords,
        digest: sinks.digest?.toString() ?? NO_DIGEST,
        lateRecordsDropped: late.total,
      },
      drained,
      engineStats: { ...job.stats(), lateRecordsByOperator: late.byOperator },
      ...(session.stats ? { workloadStats: session.stats({ measureFrom: driver.measureFrom }) } : {}),
      ...(faults && faultResults ? { faults: faultResults, faultEvents: faults.injector.events } : {}),
    };
  } catch (err) {
    stopLoad();
    if ('socket' in feed) feed.socket.destroy();
    file?.abort();
    await session.teardown().catch(() => {});
    throw err;
  }
}

/** The digest field of a run that did not digest its output (generated input, no sink file). */
export const NO_DIGEST = 'n/a';

function summarize(h: LatencyHistogram): LatencySummary {
  const s = h.summary();
  const r = (v: number) => (Number.isFinite(v) ? Math.round(v * 1000) / 1000 : 0);
  return {
    count: s.count,
    p50: r(s.p50),
    p90: r(s.p90),
    p99: r(s.p99),
    p999: r(s.p999),
    max: r(s.max),
    mean: r(s.mean),
    histogram: h.toJSON(),
  };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
