/**
 * Faults, as engines see them. The harness owns the fault plan and the injector (one mechanism for every
 * engine); an engine says only which daemons it has that can die ({@link FaultKindInfo}), what its options
 * promise ({@link Guarantee}), and implements {@link FaultTarget}: what dies, and how it recovers. It reports
 * what it noticed and did as plain {@link FaultEvent}s, which the results and a live chart can carry.
 */

/** Every kind of fault a run can be given. Each engine has a subset. */
export const FAULT_KINDS = [
  'kill-taskmanager',
  'kill-executor',
  'kill-worker',
  'kill-jobmanager',
  'kill-driver',
  'kill-nimbus',
  'kill-task',
  'stall',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** A processing guarantee, strongest first. `none`: records may be both lost and duplicated. */
export type Guarantee = 'exactly-once' | 'at-least-once' | 'at-most-once' | 'none';

/** One kind an engine has, and what its target names. */
export interface FaultKindInfo {
  readonly kind: FaultKind;
  /** What `<target>` is, for the usage text, e.g. `a TaskManager index (0-based) or random`. */
  readonly target: string;
}

/** One fault, resolved by the harness: the daemon index chosen, the operator named. */
export interface ResolvedFault {
  /** Position in the run's fault plan (0-based): events name it. */
  readonly index: number;
  readonly kind: FaultKind;
  /** Daemon kinds: the index (0-based); `kill-task`: the operator name; `stall`: the daemon index or task name. */
  readonly target: string;
  /** `stall` only: how long the pause lasts (ms). */
  readonly durationMs?: number;
}

/** What happened to a fault, as the engine saw it. Times are clock ms. */
export interface FaultEvent {
  /** Index of the fault in the plan. */
  readonly fault: number;
  /**
   * `injected`: the daemon died (or stalled, or the function threw); `detected`: the engine noticed
   * (heartbeat timeout, broken connection, failed task); `restarted`: the lost part runs again (tasks
   * redeployed, worker relaunched, tasks resubmitted); `failed`: the engine gave up (no restart left).
   */
  readonly type: 'injected' | 'detected' | 'restarted' | 'failed';
  readonly timeMs: number;
  /** One line for a human: which mechanism, e.g. `heartbeat timeout of TaskManager 1 (50000 ms)`. */
  readonly detail?: string;
}

/** Where an engine reports fault events (the harness's list). */
export interface FaultListener {
  event(e: FaultEvent): void;
}

/** What a running job offers the injector. */
export interface FaultTarget {
  /** How many daemons of `kind` the job runs (so that `random` and an index can be resolved). */
  daemons(kind: FaultKind): number;
  /** Makes the fault happen now; the engine recovers by its own mechanism and reports to `listener`. */
  inject(fault: ResolvedFault, listener: FaultListener): void;
}

/** A job that can be given faults: {@link RunningJob} plus this. */
export interface FaultTolerantJob {
  readonly faults: FaultTarget;
}

/** True when a running job accepts faults. */
export function acceptsFaults(job: object): job is FaultTolerantJob {
  return typeof (job as Partial<FaultTolerantJob>).faults === 'object' && (job as Partial<FaultTolerantJob>).faults !== null;
}

/**
 * What a `kill-task` fault makes a user function throw: engines recover from it as from any failed task
 * and attribute their events to the fault through `fault`.
 */
export class InjectedTaskFailure extends Error {
  constructor(
    readonly fault: number,
    operator: string,
  ) {
    super(`injected failure: the user function of '${operator}' threw (fault ${fault + 1})`);
    this.name = 'InjectedTaskFailure';
  }
}

/** The fault index an error was injected by, or -1 for a genuine failure. */
export function injectedFaultOf(err: unknown): number {
  // A scheduler wraps a task's error (`task X failed: ...`) with the original as its cause.
  for (let e = err, depth = 0; e !== undefined && depth < 8; e = (e as { cause?: unknown }).cause, depth++)
    if (e instanceof InjectedTaskFailure) return e.fault;
  return -1;
}

/** The guarantee an engine's configuration promises, and why, in words a user can act on. */
export interface PromisedGuarantee {
  readonly guarantee: Guarantee;
  /** E.g. `aligned checkpoints every 1000 ms, two-phase-commit sink`. */
  readonly because: string;
}

/** Whether what was observed keeps what was promised. */
export function keepsGuarantee(promised: Guarantee, observed: Guarantee): boolean {
  switch (promised) {
    case 'exactly-once':
      return observed === 'exactly-once';
    case 'at-least-once':
      return observed === 'exactly-once' || observed === 'at-least-once';
    case 'at-most-once':
      return observed === 'exactly-once' || observed === 'at-most-once';
    case 'none':
      return true;
  }
}
