/**
 * A Flink job across its execution attempts, as the JobMaster's scheduler sees failures:
 *
 * - a task that throws fails its attempt at once (the TaskManager reports the failed task);
 * - a TaskManager that dies takes its tasks with it; the JobMaster notices through the broken connection of
 *   a task on another TaskManager that exchanges data with one of them (at once), or else through the
 *   heartbeat timeout (`flink.heartbeatTimeout` after the last heartbeat, which arrives every
 *   `flink.heartbeatInterval`). Until then the other TaskManagers' tasks keep running.
 *
 * On a failure the restart strategy decides: no restart fails the job; otherwise every task is cancelled
 * and, after the strategy's delay, redeployed, with state restored from the latest completed checkpoint and
 * the sources rewound to its offsets (no checkpoint: fresh state, sources at the log's retained start).
 * This is a full restart; Flink's default failover strategy restarts the failed pipelined region, and in a
 * job with a keyBy (every all-to-all edge is pipelined) that region is the whole job. The killed
 * TaskManager's slots are offered again at once (a supervised process that comes back, as a local
 * MiniCluster's would).
 *
 * Checkpoint storage and, with `flink.sinkCommit=two-phase-commit`, the transactional sink's external
 * system outlive the attempts; the job disposes the storage when it ends.
 */
import type { FaultKind, FaultListener, FaultTarget, FaultTolerantJob, ResolvedFault, RunIO, RunningJob } from '../../api/index.js';
import { injectedFaultOf } from '../../api/index.js';
import type { FlinkEngineStats } from '../flink-stats.js';
import { JobMaster } from '../jobmanager/job-master.js';
import type { JobPlan } from '../jobmanager/job-plan.js';
import type { JobGraph } from '../client/job-graph.js';
import type { CompletedCheckpoint } from '../jobmanager/checkpoint-coordinator.js';
import { FsCheckpointStorage } from '../state/checkpoint-storage.js';
import { RestartStrategy } from './restart-strategy.js';
import { TransactionalSinks } from './transactional-sinks.js';
import type { Cancellable } from '../../api/index.js';

/** One failure and what the job did about it (clock ms). */
export interface FlinkFailoverStats {
  /** The fault that caused it (index in the run's plan), or -1 for a genuine failure. */
  fault: number;
  cause: string;
  failedAt: number;
  detectedAt: number;
  /** How the JobMaster noticed. */
  detectedBy: 'task failure' | 'broken connection' | 'heartbeat timeout';
  /** When the new attempt was deployed; null when the job failed for good. */
  restartedAt: number | null;
  /** The checkpoint the new attempt restored, or null (no completed checkpoint: started from scratch). */
  restoredCheckpoint: number | null;
}

export interface FlinkRecoveryStats {
  restartStrategy: string;
  /** Which tasks a failure restarts. */
  failover: 'full (the pipelined region is the whole job)' | 'full';
  sinkCommit: 'plain' | 'two-phase-commit';
  attempts: number;
  failovers: FlinkFailoverStats[];
  /** Standalone only: TaskManager processes started again after they died. */
  relaunchedTaskManagers?: number;
  /** Two-phase-commit only: transactions committed, and commits of one already committed (after a restore). */
  transactionsCommitted?: number;
  repeatedCommits?: number;
}

/** Which tasks a failure restarts: all of them; with an all-to-all edge (a keyBy) that is the one pipelined region. */
export function failoverScope(graph: JobGraph): FlinkRecoveryStats['failover'] {
  return graph.vertices.some((v) => v.outputs.some((e) => e.distribution === 'ALL_TO_ALL'))
    ? 'full (the pipelined region is the whole job)'
    : 'full';
}

export class FlinkJob implements RunningJob<FlinkEngineStats & { recovery: FlinkRecoveryStats }>, FaultTolerantJob {
  private attempt: JobMaster;
  private attempts = 0;
  private readonly io: RunIO;
  private readonly storage: FsCheckpointStorage | undefined;
  private readonly transactional: TransactionalSinks | undefined;
  private readonly strategy: RestartStrategy;
  private latest: CompletedCheckpoint | undefined;
  private nextCheckpointId = 1;
  private attemptStartedAt = 0;
  /** A failure being handled: the attempt's end is not the job's. */
  private failing = false;
  private pendingTimers: Cancellable[] = [];
  private ended = false;
  private readonly failovers: FlinkFailoverStats[] = [];
  private readonly done: Promise<void>;
  private resolveDone!: () => void;
  private rejectDone!: (err: Error) => void;
  private listener: FaultListener | undefined;

  constructor(
    readonly plan: JobPlan,
    io: RunIO,
  ) {
    const { config } = plan;
    this.strategy = new RestartStrategy(config.recovery);
    this.storage = config.checkpointInterval === null ? undefined : new FsCheckpointStorage(config.checkpointDir);
    this.transactional = config.recovery.sinkCommit === 'two-phase-commit' ? new TransactionalSinks(io.sinks) : undefined;
    this.io = this.transactional ? { ...io, sinks: this.transactional } : io;
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => {});
    try {
      this.attempt = this.deploy(undefined);
    } catch (err) {
      this.storage?.dispose(undefined);
      throw err;
    }
  }

  private deploy(restoreFrom: CompletedCheckpoint | undefined): JobMaster {
    const jm = new JobMaster(this.plan, this.io, {
      ...(restoreFrom ? { restoreFrom } : {}),
      ...(this.storage ? { checkpointStorage: this.storage } : {}),
      firstCheckpointId: this.nextCheckpointId,
    });
    this.attempts++;
    this.attemptStartedAt = this.io.clock.now();
    this.attempt = jm;
    jm.drained().then(
      () => {
        if (jm === this.attempt && !this.failing) this.finish();
      },
      (err: unknown) => {
        if (jm === this.attempt && !this.failing) this.taskFailed(err as Error);
      },
    );
    return jm;
  }

  /** A task threw: its TaskManager reports the failure to the JobMaster at once. */
  private taskFailed(err: Error): void {
    const now = this.io.clock.now();
    const fault = injectedFaultOf(err);
    this.failover({ fault, cause: err.message, failedAt: now, detectedAt: now, detectedBy: 'task failure' });
  }

  private failover(f: Omit<FlinkFailoverStats, 'restartedAt' | 'restoredCheckpoint'>): void {
    if (this.ended) return;
    this.failing = true;
    const old = this.attempt;
    // The latest completed checkpoint as of the failure; a pending one can never complete now.
    this.latest = old.coordinator.latestCompleted ?? this.latest;
    this.nextCheckpointId = old.coordinator.nextCheckpointId;
    old.kill(); // every task cancelled (those on a dead TaskManager are gone already)
    this.listener?.event({ fault: f.fault, type: 'detected', timeMs: f.detectedAt, detail: `${f.detectedBy}: ${f.cause}` });
    const stats: FlinkFailoverStats = { ...f, restartedAt: null, restoredCheckpoint: null };
    this.failovers.push(stats);
    const delay = this.strategy.onFailure();
    if (delay === undefined) {
      this.listener?.event({
        fault: f.fault,
        type: 'failed',
        timeMs: f.detectedAt,
        detail: `restart strategy: ${this.strategy.describe()}`,
      });
      this.end(new Error(`flink: the job failed (${f.cause}) and its restart strategy allows no restart (${this.strategy.describe()})`));
      return;
    }
    const timer = this.io.clock.schedule(f.detectedAt + delay, () => {
      this.pendingTimers = this.pendingTimers.filter((t) => t !== timer);
      if (this.ended) return;
      this.failing = false;
      try {
        this.deploy(this.latest);
      } catch (err) {
        this.end(err as Error);
        return;
      }
      stats.restartedAt = this.io.clock.now();
      stats.restoredCheckpoint = this.latest?.checkpointId ?? null;
      this.listener?.event({
        fault: f.fault,
        type: 'restarted',
        timeMs: stats.restartedAt,
        detail: this.latest
          ? `all tasks redeployed from checkpoint ${this.latest.checkpointId}`
          : 'all tasks redeployed, no checkpoint: empty state',
      });
    });
    this.pendingTimers.push(timer);
  }

  /** Kills TaskManager `index` of the current attempt: its tasks vanish. */
  private killTaskManager(fault: ResolvedFault, listener: FaultListener): void {
    const tm = Number(fault.target);
    const now = this.io.clock.now();
    const jm = this.attempt;
    const dead = jm.tasks.filter((t) => t.env.taskManager === tm);
    for (const t of dead) t.kill();
    listener.event({ fault: fault.index, type: 'injected', timeMs: now, detail: `TaskManager ${tm} killed with ${dead.length} tasks` });
    if (this.failing) return; // already restarting: the new attempt gets its slots back
    const cause = `TaskManager ${tm} lost`;
    if (this.connectedAcross(jm, tm)) {
      this.failover({ fault: fault.index, cause, failedAt: now, detectedAt: now, detectedBy: 'broken connection' });
      return;
    }
    const { heartbeatInterval, heartbeatTimeout } = this.plan.config.recovery;
    const lastHeartbeat = this.attemptStartedAt + Math.floor((now - this.attemptStartedAt) / heartbeatInterval) * heartbeatInterval;
    const detectAt = Math.max(now, lastHeartbeat + heartbeatTimeout);
    this.failing = true; // the attempt may end by itself now (every task gone): that is not the job's end
    const timer = this.io.clock.schedule(detectAt, () => {
      this.pendingTimers = this.pendingTimers.filter((t) => t !== timer);
      if (this.attempt !== jm) return;
      this.failing = false;
      this.failover({
        fault: fault.index,
        cause: `${cause} (no heartbeat for ${heartbeatTimeout} ms)`,
        failedAt: now,
        detectedAt: this.io.clock.now(),
        detectedBy: 'heartbeat timeout',
      });
    });
    this.pendingTimers.push(timer);
  }

  /** Whether a task on another TaskManager exchanges records with a task on TaskManager `tm`. */
  private connectedAcross(jm: JobMaster, tm: number): boolean {
    const tmOf = new Map<string, number>();
    for (const t of jm.tasks) tmOf.set(`${t.vertexId}/${t.subtaskIndex}`, t.env.taskManager);
    for (const v of this.plan.jobGraph.vertices) {
      for (const e of v.outputs) {
        const up = this.plan.jobGraph.vertices[e.sourceVertex];
        const down = this.plan.jobGraph.vertices[e.targetVertex];
        for (let i = 0; i < up.parallelism; i++) {
          for (let j = 0; j < down.parallelism; j++) {
            if (e.distribution === 'POINTWISE' && i !== j) continue;
            const a = tmOf.get(`${up.id}/${i}`);
            const b = tmOf.get(`${down.id}/${j}`);
            if (a !== b && (a === tm || b === tm)) return true;
          }
        }
      }
    }
    return false;
  }

  readonly faults: FaultTarget = {
    daemons: (kind: FaultKind) => (kind === 'kill-taskmanager' ? this.plan.slots.taskManagers : 0),
    inject: (fault: ResolvedFault, listener: FaultListener) => {
      this.listener = listener;
      if (fault.kind === 'kill-taskmanager') this.killTaskManager(fault, listener);
      else throw new Error(`flink: no fault '${fault.kind}' to inject here`);
    },
  };

  /** Makes this job's later failures (kill-task's thrown function) reach `listener`. */
  listenForFaults(listener: FaultListener): void {
    this.listener = listener;
  }

  private finish(): void {
    this.end(undefined);
  }

  private end(err: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    for (const t of this.pendingTimers) t.cancel();
    this.pendingTimers = [];
    this.attempt.kill();
    this.storage?.dispose((this.attempt.coordinator.latestCompleted ?? this.latest)?.checkpointId);
    if (err) this.rejectDone(err);
    else this.resolveDone();
  }

  drained(): Promise<void> {
    return this.done;
  }

  async stop(): Promise<void> {
    this.end(undefined);
  }

  stats(): FlinkEngineStats & { recovery: FlinkRecoveryStats } {
    const c = this.plan.config.recovery;
    return {
      ...this.attempt.stats(),
      recovery: {
        restartStrategy: this.strategy.describe(),
        failover: failoverScope(this.plan.jobGraph),
        sinkCommit: c.sinkCommit,
        attempts: this.attempts,
        failovers: this.failovers.map((f) => ({ ...f })),
        ...(this.transactional
          ? { transactionsCommitted: this.transactional.commits, repeatedCommits: this.transactional.repeatedCommits }
          : {}),
      },
    };
  }
}
