/**
 * The state of a command's run as the dashboard shows it, fed by the runner's progress (the trial
 * process's sampler samples, each with the engine's stats of that moment: one collection path) and turned
 * into the {@link LiveMessage}s the server streams. It keeps what a page that connects late needs: the
 * running trial, its samples, the finished trials, the events.
 */
import type { EnginePlan, PlanNode } from '../../engines/api/index.js';
import {
  LIVE_SAMPLES_KEPT,
  livePlan,
  type LiveEvent,
  type LiveFaultMark,
  type LiveMessage,
  type LiveRunInfo,
  type LiveSnapshot,
  type LiveTick,
  type LiveTrialEnd,
  type LiveTrialInfo,
} from '../../reports/live/index.js';
import type { TimeseriesSample, TrialOutcome } from '../../reports/schema.js';
import { explainRecordedOptions, type TrialProgress, type TrialSpec } from '../runner/index.js';
import { daemonsOf } from './daemons.js';
import { VertexTracker } from './vertex-states.js';

/** Events kept for a late page. */
const EVENTS_KEPT = 500;

interface RunningTrial {
  info: LiveTrialInfo;
  nodes: readonly PlanNode[];
  vertices: VertexTracker;
  samples: TimeseriesSample[];
  last: LiveTick | null;
  faults: LiveFaultMark[];
}

export class LiveRun {
  private trial: RunningTrial | undefined;
  private readonly finished: LiveTrialEnd[] = [];
  private readonly events: LiveEvent[] = [];
  private ended = false;
  private started = 0;

  constructor(
    readonly info: LiveRunInfo,
    private readonly send: (message: LiveMessage) => void,
    private readonly now: () => number = Date.now,
  ) {}

  snapshot(): LiveSnapshot {
    const t = this.trial;
    return {
      run: this.info,
      trial: t?.info ?? null,
      samples: t ? [...t.samples] : [],
      last: t?.last ?? null,
      faults: t ? [...t.faults] : [],
      finished: [...this.finished],
      events: [...this.events],
      ended: this.ended,
    };
  }

  trialStarted(spec: TrialSpec, purpose: string): void {
    let plan: EnginePlan | undefined;
    try {
      plan = explainRecordedOptions(spec.engine, spec.workload, { ...spec.options, 'run.parallelism': spec.parallelism });
    } catch {
      plan = undefined; // the trial itself will say what is wrong with its options
    }
    const { load } = spec;
    const info: LiveTrialInfo = {
      index: this.started++,
      engine: spec.engine,
      workload: spec.workload,
      trial: spec.trial,
      offeredRate: load.rate,
      parallelism: spec.parallelism,
      warmupMs: load.warmupMs,
      ...(load.durationMs === undefined ? {} : { plannedMs: load.warmupMs + load.durationMs }),
      purpose,
      startedAt: this.now(),
      deployment: spec.deployment ?? 'local',
      plan: livePlan(plan, `${spec.engine} plan of ${spec.workload}`),
    };
    this.trial = {
      info,
      nodes: plan?.nodes ?? [],
      vertices: new VertexTracker(spec.engine, plan?.nodes ?? [], info.plan.nodeIds),
      samples: [],
      last: null,
      faults: [],
    };
    this.send({ type: 'trial', trial: info });
    this.event('trial-start', `${spec.engine} x ${spec.workload} trial ${spec.trial} started (${purpose})`);
  }

  progress(p: TrialProgress): void {
    const t = this.trial;
    if (!t || this.ended) return;
    const { elapsedMs, plannedMs, live, faultEvents, ...sample } = p;
    const faults: LiveFaultMark[] = (faultEvents ?? []).map((e) => ({ t: sample.t, fault: e.fault, type: e.type, detail: e.detail ?? '' }));
    for (const f of faults) this.event(`fault ${f.type}`, f.fault < 0 ? f.detail : `fault ${f.fault + 1}: ${f.detail}`);
    t.faults.push(...faults);
    const stats = (live?.engineStats as Record<string, unknown> | undefined) ?? null;
    const time = this.now();
    const tick: LiveTick = {
      time,
      elapsedMs,
      ...(plannedMs === undefined ? {} : { plannedMs }),
      phase: sample.phase,
      sample,
      vertices: t.vertices.update(sample, stats),
      daemons: daemonsOf({ engine: t.info.engine, stats, nodes: t.nodes, pid: live?.pid ?? null, time, sample }),
      engineStats: stats,
      ...(faults.length > 0 ? { faults } : {}),
    };
    t.samples.push(sample);
    if (t.samples.length > LIVE_SAMPLES_KEPT) t.samples.splice(0, t.samples.length - LIVE_SAMPLES_KEPT);
    t.last = tick;
    this.send({ type: 'tick', tick });
  }

  trialFinished(outcome: TrialOutcome): void {
    this.trialEnded(
      outcome.status === 'ok'
        ? {
            status: 'ok',
            inputEventsPerSec: outcome.throughput.inputEventsPerSec,
            latencyP50Ms: outcome.latency.eventTime.p50,
            latencyP99Ms: outcome.latency.eventTime.p99,
          }
        : { status: 'failed', error: outcome.error },
    );
  }

  /** The running trial ended with these figures (a sweep's point gives them from its verdict). */
  trialEnded(figures: Pick<LiveTrialEnd, 'status' | 'inputEventsPerSec' | 'latencyP50Ms' | 'latencyP99Ms' | 'error'>): void {
    const t = this.trial?.info;
    if (!t) return;
    const end: LiveTrialEnd = { index: t.index, engine: t.engine, workload: t.workload, trial: t.trial, purpose: t.purpose, ...figures };
    this.finished.push(end);
    this.send({ type: 'trial-end', end });
    this.event(
      'trial-end',
      `${t.engine} x ${t.workload} trial ${t.trial} ${figures.status === 'ok' ? 'finished' : 'failed'} (${t.purpose})`,
    );
  }

  /** Something that happened now: trial boundaries here; faults and recoveries are meant to be reported the same way. */
  event(kind: string, text: string): void {
    const event: LiveEvent = { time: this.now(), kind, text };
    this.events.push(event);
    if (this.events.length > EVENTS_KEPT) this.events.shift();
    this.send({ type: 'event', event });
  }

  /** The command is done: pages say so and stop waiting. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.send({ type: 'end' });
  }
}
