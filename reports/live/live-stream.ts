/**
 * What the live dashboard's server streams to the page (Server-Sent Events, one JSON message each): the
 * contract between the server (bench/ui) and the page (reports/live), which reads nothing else. Times
 * are ms since the epoch unless a field says otherwise; rates are per second.
 */
import type { Phase, TimeseriesSample } from '../schema.js';

/** The command the server belongs to. */
export interface LiveRunInfo {
  command: 'run' | 'sweep';
  /** `local` (every daemon in the trial's process) or `standalone` (daemons as processes). */
  deployment: string;
  startedAt: number;
  toolVersion: string;
}

/** The plan of the running trial, drawn once (as the HTML report draws plans). */
export interface LivePlan {
  /** The SVG of the plan (every text in it escaped), or a short HTML explanation when it is not drawn. */
  html: string;
  drawn: boolean;
  /** The leaves of the drawing (`data-node` of each box), which the vertex states refer to. */
  nodeIds: string[];
}

export interface LiveTrialInfo {
  /** 0-based position among the trials started by this command. */
  index: number;
  engine: string;
  workload: string;
  trial: number;
  offeredRate: number | 'max';
  parallelism: number;
  warmupMs: number;
  /** Warm-up plus measured duration (ms); absent when the run ends with its input. */
  plannedMs?: number;
  /** What the command is doing with it, e.g. `trial 2 of 6` or `sweep point at 10k ev/s`. */
  purpose: string;
  startedAt: number;
  /** Where the trial's engine runs: `local` or `standalone`. */
  deployment: string;
  plan: LivePlan;
}

/** A fault or a step of its recovery, marked on the charts at the sample it arrived with. */
export interface LiveFaultMark {
  /** Seconds since the trial started (the sample's `t`). */
  t: number;
  /** Index of the fault in the run's plan; -1 for a failure no fault caused. */
  fault: number;
  type: 'injected' | 'detected' | 'restarted' | 'failed';
  detail: string;
}

export type VertexState = 'busy' | 'back-pressured' | 'idle' | 'unknown';

/** One drawn vertex over the last interval. Ratios are shares of the interval (0..1), null when the engine does not measure them. */
export interface LiveVertex {
  id: string;
  state: VertexState;
  busy: number | null;
  backPressured: number | null;
  idle: number | null;
  inPerSec: number | null;
  outPerSec: number | null;
  /** Flink: the subtask's watermark (ms event time), null before its first. */
  watermark?: number | null;
  /** How the figures were obtained where it is not obvious (e.g. Spark: the batch pipeline as a whole). */
  note?: string;
}

/** A daemon of the engine: the JobManager, a TaskManager, the driver, an executor, Nimbus, a supervisor, a worker. */
export interface LiveDaemon {
  name: string;
  kind: string;
  pid: number | null;
  /** When it last reported (ms since the epoch), null if never. */
  lastHeartbeat: number | null;
  /** CPU over the last interval, % of one core; null when unknown. */
  cpuPercent: number | null;
  memoryBytes: number | null;
  /** `recovered`: alive again after it was lost (its process started again). */
  status: 'alive' | 'lost' | 'recovered';
  /** E.g. `2/2 slots used`, `2 cores`; and in local, that the figures are the shared process's. */
  detail?: string;
}

/** Something that happened at a moment: a trial started or ended; faults and recoveries (the faults work) go here too. */
export interface LiveEvent {
  time: number;
  /** E.g. `trial-start`, `trial-end`, `fault`, `recovery`. */
  kind: string;
  text: string;
}

/** One progress sample of the running trial with the engine's stats of that moment. */
export interface LiveTick {
  time: number;
  elapsedMs: number;
  plannedMs?: number;
  phase: Phase;
  sample: TimeseriesSample;
  vertices: LiveVertex[];
  daemons: LiveDaemon[];
  /** The engine's own stats (its `engineStats`, history lists cut to their last entries), for the engine views. */
  engineStats: Record<string, unknown> | null;
  /** Faults and recovery steps that happened since the previous tick. */
  faults?: LiveFaultMark[];
}

export interface LiveTrialEnd {
  index: number;
  engine: string;
  workload: string;
  trial: number;
  purpose: string;
  status: 'ok' | 'failed';
  inputEventsPerSec?: number;
  latencyP50Ms?: number;
  latencyP99Ms?: number;
  error?: string;
}

/** What a page receives first on connecting: everything it needs to draw the current state. */
export interface LiveSnapshot {
  run: LiveRunInfo;
  trial: LiveTrialInfo | null;
  /** The running trial's samples so far (the last ones: see LIVE_SAMPLES_KEPT). */
  samples: TimeseriesSample[];
  last: LiveTick | null;
  /** The running trial's fault marks so far. */
  faults: LiveFaultMark[];
  finished: LiveTrialEnd[];
  events: LiveEvent[];
  ended: boolean;
}

/** Samples of the running trial the server keeps for a page that connects late (10 minutes at one per second). */
export const LIVE_SAMPLES_KEPT = 600;

export type LiveMessage =
  | { type: 'snapshot'; snapshot: LiveSnapshot }
  | { type: 'trial'; trial: LiveTrialInfo }
  | { type: 'tick'; tick: LiveTick }
  | { type: 'trial-end'; end: LiveTrialEnd }
  | { type: 'event'; event: LiveEvent }
  | { type: 'end' };
