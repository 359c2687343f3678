/**
 * A trial's faults from start to finish: the plan checked, kill-task functions wrapped, every appended
 * event and every sink record kept (to compare with the reference engine afterwards), the injector armed
 * when the load starts, and at the end one {@link FaultResult} per fault.
 */
import type { Clock, Dataflow, Deployment, Engine, OptionValues, RunningJob, SinkSet, SinkWriter } from '../../engines/api/index.js';
import { acceptsFaults, defaultOptionValues } from '../../engines/api/index.js';
import { engines } from '../../engines/index.js';
import { systemClock } from '../../engines/runtime/index.js';
import type { FaultResult, TimeseriesSample } from '../../reports/schema.js';
import { comparableOutput, startWorkloadSession, withSinkEffects, type Workload } from '../../workloads/index.js';
import { EventLog } from '../driver/index.js';
import { UsageError } from '../errors.js';
import { LateRecordCounter } from '../metrics/index.js';
import { settleWithin } from '../timeout.js';
import { checkFaultPlan } from './fault-plan.js';
import { FaultInjector, withFailingFunctions, type FailingFunctions } from './fault-injector.js';
import { formatFaultSpec, type FaultSpec } from './fault-spec.js';
import { faultTimeline } from './fault-timeline.js';
import { compareOutputs } from './output-comparison.js';

/** The event log of a faulty trial: keeps every appended event, in append order, for the reference run. */
export class RecordingEventLog extends EventLog {
  readonly values: unknown[] = [];
  readonly timestamps: number[] = [];

  override append(partition: number, value: unknown, timestamp: number): void {
    this.values.push(value);
    this.timestamps.push(timestamp);
    super.append(partition, value, timestamp);
  }
}

/** Passes every record on and keeps its value, by sink. */
export class CapturingSinks implements SinkSet {
  readonly records: Record<string, unknown[]> = {};

  constructor(private readonly inner: SinkSet) {}

  get(name: string): SinkWriter {
    const writer = this.inner.get(name);
    const list = (this.records[name] ??= []);
    return {
      write(value, emitTime, ingestTime) {
        list.push(value);
        writer.write(value, emitTime, ingestTime);
      },
    };
  }
}

/** The engine whose output is right by construction (verify's oracle). */
export const REFERENCE_ENGINE = 'reference';

/** The reference engine's sink records over `events`, read in their order from one partition. */
async function referenceOutput(
  workload: Workload,
  workloadValues: OptionValues,
  events: { values: readonly unknown[]; timestamps: readonly number[] },
  timeoutMs: number,
): Promise<Record<string, unknown[]>> {
  const oracle = engines[REFERENCE_ENGINE];
  const session = await startWorkloadSession(workload, workloadValues, { clock: systemClock });
  try {
    const log = new EventLog(1, systemClock);
    events.values.forEach((v, k) => log.append(0, v, events.timestamps[k]));
    log.close();
    const capturing = new CapturingSinks({ get: () => ({ write() {} }) });
    const job = await oracle.start(
      session.dataflow,
      { log, sinks: withSinkEffects(capturing, session), clock: systemClock, metrics: new LateRecordCounter() },
      { parallelism: 1, values: defaultOptionValues(oracle.options) },
    );
    if (!(await settleWithin(job.drained(), timeoutMs))) {
      await job.stop();
      throw new Error(`the ${REFERENCE_ENGINE} run over ${events.values.length} events did not finish within ${timeoutMs} ms`);
    }
    return capturing.records;
  } finally {
    await session.teardown();
  }
}

export class FaultSession {
  private readonly failing: FailingFunctions;
  readonly injector: FaultInjector;
  private capturing: CapturingSinks | undefined;

  constructor(
    readonly faults: readonly FaultSpec[],
    private readonly engine: Engine,
    private readonly engineValues: OptionValues,
    private readonly workload: Workload,
    private readonly workloadValues: OptionValues,
    flow: Dataflow,
    clock: Clock,
    seed: number,
    deployment: Deployment = 'local',
  ) {
    checkFaultPlan(faults, engine, engineValues, flow, deployment);
    this.failing = withFailingFunctions(flow, faults);
    this.injector = new FaultInjector(faults, clock, seed, this.failing);
  }

  /** The dataflow to start: kill-task targets can throw. */
  get dataflow(): Dataflow {
    return this.failing.dataflow;
  }

  sinks(inner: SinkSet): SinkSet {
    this.capturing = new CapturingSinks(inner);
    return this.capturing;
  }

  /** Checks daemon targets against the started job (a UsageError names how many it runs). */
  checkTargets(job: RunningJob): void {
    for (const f of this.faults) {
      if (f.kind === 'kill-task' || f.target === undefined || f.target === 'random') continue;
      const count = acceptsFaults(job) ? job.faults.daemons(f.kind) : 0;
      if (f.kind === 'stall' && count === 0) continue; // an in-process pause: any target name will do
      if (f.kind === 'stall' && !/^\d+$/.test(f.target))
        throw new UsageError(`--fault ${formatFaultSpec(f)}: the ${this.engine.name} job stalls a daemon by its index (0-${count - 1})`);
      if (Number(f.target) >= count)
        throw new UsageError(
          `--fault ${formatFaultSpec(f)}: the ${this.engine.name} job runs ${count} (0-${count - 1}), there is no ${f.target}`,
        );
    }
  }

  /** Arms the plan: each fault at `t0 + atMs`. */
  start(job: RunningJob, t0: number): void {
    this.injector.start(job, t0);
  }

  stop(): void {
    this.injector.stop();
  }

  /** One result per fault: timing from the time series, lost and duplicated from the reference's output. */
  async results(
    log: RecordingEventLog,
    samples: readonly TimeseriesSample[],
    t0: number,
    offeredPerSec: number | undefined,
    timeoutMs: number,
  ): Promise<FaultResult[]> {
    const reference = { sinks: await referenceOutput(this.workload, this.workloadValues, log, timeoutMs) };
    const comparable = (sinks: Record<string, unknown[]>) =>
      Object.fromEntries(
        Object.entries(sinks).map(([sink, records]) => [sink, comparableOutput(this.workload, this.workloadValues, sink, records)]),
      );
    const outcome = compareOutputs(comparable(reference.sinks), comparable(this.capturing?.records ?? {}));
    const promised = this.engine.faults?.promised(this.engineValues) ?? {
      guarantee: 'none' as const,
      because: 'the engine promises nothing',
    };
    return this.faults.map((f, i) => {
      const events = this.injector.events.filter((e) => e.fault === i);
      const timeline = faultTimeline(f.atMs, events, samples, t0, offeredPerSec);
      return {
        spec: formatFaultSpec(f),
        kind: f.kind,
        target: this.injector.targets[i] ?? null,
        atMs: f.atMs,
        ...timeline,
        lostRecords: outcome.lostRecords,
        duplicateRecords: outcome.duplicateRecords,
        changedRecords: outcome.changedRecords,
        overCounted: outcome.overCounted,
        underCounted: outcome.underCounted,
        guarantee: outcome.guarantee,
        promised: promised.guarantee,
        promisedBecause: promised.because,
      };
    });
  }
}
