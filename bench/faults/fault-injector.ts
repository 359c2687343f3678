/**
 * The one fault injector every engine shares. It schedules the plan's faults on the run's clock from the
 * load's start and makes each happen:
 *
 * - a daemon kill (`kill-taskmanager`, `kill-worker`, `kill-executor`): the target resolved (an index, or
 *   `random` drawn with the run's seed) and handed to the engine, which decides what dies and recovers;
 * - `kill-task`: the operator's user function throws once, at its first call after the fault's time
 *   (the dataflow was wrapped before the engine started: {@link withFailingFunctions});
 * - `stall`: a stop-the-world pause for the duration. In the local deployment every daemon shares this
 *   process, so a pause of any of them (a GC pause, a slow disk) pauses them all; a job whose daemons are
 *   processes (standalone) is handed the stall and pauses the one named.
 *
 * Every fault and every engine reaction lands in one plain list of {@link FaultEvent}s.
 */
import type { Cancellable, Clock, Dataflow, DataflowNode, FaultEvent, FaultListener, RunningJob } from '../../engines/api/index.js';
import { acceptsFaults, InjectedTaskFailure, SeededRandom } from '../../engines/api/index.js';
import { hasUserFunction } from './fault-plan.js';
import type { FaultSpec } from './fault-spec.js';

/** Per kill-task fault: armed once its time has come, disarmed by the throw. */
class FailingFunction {
  armed = false;
  fired = false;

  constructor(readonly fault: number) {}

  check(operator: string): void {
    if (this.armed && !this.fired) {
      this.fired = true;
      throw new InjectedTaskFailure(this.fault, operator);
    }
  }
}

export interface FailingFunctions {
  readonly dataflow: Dataflow;
  /** By fault index. */
  readonly triggers: ReadonlyMap<number, FailingFunction>;
}

function wrap(node: DataflowNode, trigger: FailingFunction): DataflowNode {
  const name = node.name;
  switch (node.kind) {
    case 'map': {
      const fn = node.fn;
      return { ...node, fn: (v: unknown) => (trigger.check(name), fn(v)) };
    }
    case 'flatMap': {
      const fn = node.fn;
      return { ...node, fn: (v: unknown) => (trigger.check(name), fn(v)) };
    }
    case 'filter': {
      const fn = node.fn;
      return { ...node, fn: (v: unknown) => (trigger.check(name), fn(v)) };
    }
    case 'timestamps': {
      const fn = node.fn;
      return { ...node, fn: (v: unknown) => (trigger.check(name), fn(v)) };
    }
    case 'join': {
      const fn = node.fn;
      return { ...node, fn: (l: unknown, r: unknown) => (trigger.check(name), fn(l, r)) };
    }
    case 'windowJoin': {
      const fn = node.fn;
      return { ...node, fn: (l: unknown, r: unknown, w) => (trigger.check(name), fn(l, r, w)) };
    }
    default:
      return node;
  }
}

/** The dataflow with each kill-task target's user function able to throw once. */
export function withFailingFunctions(flow: Dataflow, faults: readonly FaultSpec[]): FailingFunctions {
  const triggers = new Map<number, FailingFunction>();
  let nodes = flow.nodes;
  faults.forEach((f, i) => {
    if (f.kind !== 'kill-task') return;
    const trigger = new FailingFunction(i);
    triggers.set(i, trigger);
    nodes = nodes.map((n) => (n.name === f.target && hasUserFunction(n) ? wrap(n, trigger) : n));
  });
  if (triggers.size === 0) return { dataflow: flow, triggers };
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const dataflow: Dataflow = {
    ...flow,
    nodes,
    source: byId.get(flow.source.id) as Dataflow['source'],
    sinks: flow.sinks.map((s) => byId.get(s.id) as Dataflow['sinks'][number]),
  };
  return { dataflow, triggers };
}

/** Busy-waits: the process is paused as a whole (the in-process stand-in for a stop-the-world pause). */
function pause(clock: Clock, ms: number): void {
  const until = clock.now() + ms;
  while (clock.now() < until) {
    /* stalled */
  }
}

export class FaultInjector implements FaultListener {
  readonly events: FaultEvent[] = [];
  private timers: Cancellable[] = [];
  private reported = 0;
  /** Resolved target of each fault (index or name), once injected. */
  readonly targets: (string | undefined)[];
  /** Called on every event as it happens (a live view). */
  onEvent: ((e: FaultEvent) => void) | undefined;

  constructor(
    private readonly faults: readonly FaultSpec[],
    private readonly clock: Clock,
    private readonly seed: number,
    private readonly failing: FailingFunctions | undefined,
  ) {
    this.targets = faults.map(() => undefined);
  }

  event(e: FaultEvent): void {
    this.events.push(e);
    this.onEvent?.(e);
  }

  /** Schedules every fault at `t0 + atMs` against `job`. */
  start(job: RunningJob, t0: number): void {
    if (acceptsFaults(job) && 'listenForFaults' in job && typeof job.listenForFaults === 'function') job.listenForFaults(this);
    this.faults.forEach((f, i) => {
      this.timers.push(this.clock.schedule(t0 + f.atMs, () => this.inject(job, f, i)));
    });
  }

  private inject(job: RunningJob, f: FaultSpec, index: number): void {
    const now = this.clock.now();
    if (f.kind === 'kill-task') {
      const trigger = this.failing?.triggers.get(index);
      if (trigger) trigger.armed = true;
      this.targets[index] = f.target;
      this.event({ fault: index, type: 'injected', timeMs: now, detail: `the user function of '${f.target}' throws at its next call` });
      return;
    }
    // A job with stallable daemons (standalone: processes) pauses the one named; in-process, everything pauses.
    if (f.kind === 'stall' && !(acceptsFaults(job) && job.faults.daemons('stall') > 0)) {
      this.targets[index] = f.target;
      this.event({ fault: index, type: 'injected', timeMs: now, detail: `stop-the-world pause of ${f.durationMs} ms (${f.target})` });
      pause(this.clock, f.durationMs ?? 0);
      this.event({ fault: index, type: 'detected', timeMs: this.clock.now(), detail: 'the pause ended' });
      return;
    }
    if (!acceptsFaults(job)) throw new Error(`this job takes no ${f.kind} fault`);
    const count = job.faults.daemons(f.kind);
    let target: number;
    if (f.target === undefined) target = 0;
    else if (f.target === 'random') target = new SeededRandom(this.seed * 31 + index).int(count);
    else target = Number(f.target);
    if (!(target >= 0 && target < count)) {
      // Checked against the running job's daemons: recorded, not injected.
      this.event({
        fault: index,
        type: 'failed',
        timeMs: now,
        detail: `no daemon ${f.target} to kill: the job runs ${count} (0-${count - 1})`,
      });
      return;
    }
    this.targets[index] = String(target);
    job.faults.inject(
      { index, kind: f.kind, target: String(target), ...(f.durationMs === undefined ? {} : { durationMs: f.durationMs }) },
      this,
    );
  }

  /** The events since the previous call (a live view polls this with each sample). */
  takeNewEvents(): FaultEvent[] {
    const fresh = this.events.slice(this.reported);
    this.reported = this.events.length;
    return fresh;
  }

  /** Cancels faults not yet injected (the trial ended first). */
  stop(): void {
    for (const t of this.timers) t.cancel();
    this.timers = [];
  }
}
