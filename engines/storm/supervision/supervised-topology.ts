/**
 * A topology under its supervisor's watch. Storm's daemons are fail-fast: a worker killed, or brought down
 * by an executor's uncaught exception (Storm exits the worker process on one), loses its executors, their
 * queues, pending tuple trees and bolt state at once. The supervisor notices at its next check
 * (`storm.supervisorMonitorFrequency`) and relaunches the worker in the same slot with the same executors;
 * their spouts resume at the offsets their consumer committed, which with acking covers only fully acked
 * tuples (every tuple not acked is read again: at-least-once) and without ackers everything emitted (what
 * was in flight is lost: at-most-once).
 *
 * Built for one worker (`storm.workers=1`, Storm's default), where the worker is the whole topology. With
 * several, the survivors would keep running and the dead worker's tuple trees would time out after
 * `storm.messageTimeout` and be replayed by their spouts; that partial restart is not modelled, so the
 * kill-worker fault is offered only with one worker.
 */
import type {
  Cancellable,
  FaultKind,
  FaultKindInfo,
  FaultListener,
  FaultTarget,
  FaultTolerantJob,
  OptionValues,
  PromisedGuarantee,
  ResolvedFault,
  RunningJob,
} from '../../api/index.js';
import { injectedFaultOf } from '../../api/index.js';
import type { StormConfig } from '../config.js';
import type { RunningTopology } from '../local-cluster.js';
import type { StormEngineStats } from '../metrics/engine-stats.js';

export interface StormRelaunchStats {
  /** The fault that caused it, or -1 for a genuine failure. */
  fault: number;
  cause: string;
  diedAt: number;
  /** When the supervisor noticed and relaunched the worker (clock ms). */
  relaunchedAt: number;
}

export interface StormSupervisionStats {
  supervisorMonitorFrequencyMs: number;
  /** Worker launches: 1 + relaunches. */
  launches: number;
  relaunches: StormRelaunchStats[];
}

export class SupervisedTopology implements RunningJob<StormEngineStats & { supervision: StormSupervisionStats }>, FaultTolerantJob {
  private current: RunningTopology;
  private launches = 0;
  private dead = false;
  private ended = false;
  private relaunchTimer: Cancellable | undefined;
  private listener: FaultListener | undefined;
  private readonly relaunches: StormRelaunchStats[] = [];
  private readonly done: Promise<void>;
  private resolveDone!: () => void;
  private rejectDone!: (err: Error) => void;

  constructor(
    private readonly launch: () => RunningTopology,
    private readonly config: StormConfig,
    private readonly monitorFrequencyMs: number,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => {});
    this.current = this.start();
  }

  private start(): RunningTopology {
    const t = this.launch();
    this.launches++;
    this.current = t;
    this.dead = false;
    t.drained().then(
      () => {
        if (t === this.current && !this.dead) this.end(undefined);
      },
      (err: unknown) => {
        if (t !== this.current || this.dead) return;
        // An injected failure takes the worker down and the supervisor relaunches it. A genuine exception
        // would do the same in Storm, and crash-loop for as long as the bug is there: reported instead.
        const fault = injectedFaultOf(err);
        if (fault >= 0) this.workerDied(fault, (err as Error).message);
        else this.end(err as Error);
      },
    );
    return t;
  }

  /** The worker is gone; the supervisor relaunches it at its next check. */
  private workerDied(fault: number, cause: string): void {
    if (this.ended || this.dead) return;
    this.dead = true;
    const t = this.current;
    const clock = t.clock;
    const diedAt = clock.now();
    t.kill();
    // The supervisor's checks run every monitor period from the topology's start.
    const since = diedAt - t.startedAt;
    const checkAt = t.startedAt + (Math.floor(since / this.monitorFrequencyMs) + 1) * this.monitorFrequencyMs;
    this.relaunchTimer = clock.schedule(checkAt, () => {
      this.relaunchTimer = undefined;
      if (this.ended) return;
      const now = clock.now();
      this.listener?.event({ fault, type: 'detected', timeMs: now, detail: `supervisor check: worker dead (${cause})` });
      try {
        this.start();
      } catch (err) {
        this.end(err as Error);
        return;
      }
      this.relaunches.push({ fault, cause, diedAt, relaunchedAt: now });
      this.listener?.event({ fault, type: 'restarted', timeMs: now, detail: 'worker relaunched; spouts resume at the committed offsets' });
    });
  }

  readonly faults: FaultTarget = {
    daemons: (kind: FaultKind) => (kind === 'kill-worker' ? this.config.workers : 0),
    inject: (fault: ResolvedFault, listener: FaultListener) => {
      this.listener = listener;
      if (fault.kind !== 'kill-worker') throw new Error(`storm: no fault '${fault.kind}' to inject here`);
      listener.event({ fault: fault.index, type: 'injected', timeMs: this.current.clock.now(), detail: `worker ${fault.target} killed` });
      this.workerDied(fault.index, `worker ${fault.target} killed`);
    },
  };

  /** Makes later failures (kill-task's thrown function) reach `listener`. */
  listenForFaults(listener: FaultListener): void {
    this.listener = listener;
  }

  private end(err: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.relaunchTimer?.cancel();
    if (err) {
      this.current.kill();
      this.rejectDone(err);
    } else this.resolveDone();
  }

  /** The running worker's topology (the latest launch). */
  get topology(): RunningTopology {
    return this.current;
  }

  drained(): Promise<void> {
    return this.done;
  }

  async stop(): Promise<void> {
    this.relaunchTimer?.cancel();
    await this.current.stop();
    this.end(undefined);
  }

  stats(): StormEngineStats & { supervision: StormSupervisionStats } {
    return {
      ...this.current.stats(),
      supervision: {
        supervisorMonitorFrequencyMs: this.monitorFrequencyMs,
        launches: this.launches,
        relaunches: this.relaunches.map((r) => ({ ...r })),
      },
    };
  }
}

/** The faults a `storm` run can be given with these values, and the guarantee they promise. */
export const stormFaults = {
  kinds(values: OptionValues): readonly FaultKindInfo[] {
    const workers = Number(values.workers ?? 1);
    const stall: FaultKindInfo = { kind: 'stall', target: 'a worker index or a task name, and a duration' };
    // A worker's death is modelled for the single worker only (see the file comment).
    if (workers !== 1) return [stall];
    return [
      { kind: 'kill-worker', target: 'the worker index (0; storm.workers=1) or random' },
      { kind: 'kill-task', target: "an operator's name (its user function throws once; the exception takes its worker down)" },
      stall,
    ];
  },

  promised(values: OptionValues): PromisedGuarantee {
    const ackers = String(values.ackers ?? 'auto');
    if (ackers === '0')
      return { guarantee: 'at-most-once', because: 'storm.ackers=0: every tuple is acked as it is emitted, so what is in flight is lost' };
    return { guarantee: 'at-least-once', because: 'acked tuple trees: a spout replays every tuple not fully acked' };
  },
};
