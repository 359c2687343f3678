/**
 * The JobMaster of a standalone cluster, in the JobManager process: it rebuilds the job from the
 * submitted recipe, checks that it is the client's JobGraph, builds the ExecutionGraph, allocates the
 * job's slots from those the registered TaskManagers offer (Flink's NoResourceAvailableException when
 * they are too few), has the TaskManagers connect to each other and deploys each slot's subtasks into
 * it. An execution attempt has finished when every deployed slot has.
 *
 * A failure (a TaskManager lost by its broken connection or its missed heartbeats, a slot whose task
 * threw) goes to the restart strategy, as in Flink's scheduler: no restart fails the job; otherwise the
 * surviving TaskManagers cancel the attempt's slots and drop their data connections, and after the
 * strategy's delay, once every TaskManager of the allocation is registered again, the next attempt is
 * deployed with every operator's state and the sources' offsets from the latest completed checkpoint
 * (none: fresh state). That is a full restart: the pipelined region of a job with a keyBy is the whole job.
 * The checkpoint storage outlives the attempts; the job disposes it when it ends.
 */
import { basename, dirname } from 'node:path';
import type { Clock } from '../../api/index.js';
import { rebuildDataflow, type ControlChannel, type ProcessFigures } from '../../runtime/cluster/index.js';
import { buildJobGraph, type JobGraph } from '../client/job-graph.js';
import { buildStreamGraph } from '../client/stream-graph.js';
import { failoverScope, type FlinkFailoverStats, type FlinkRecoveryStats } from '../failover/flink-job.js';
import { RestartStrategy } from '../failover/restart-strategy.js';
import {
  CheckpointCoordinator,
  type CheckpointStats,
  type CompletedCheckpoint,
  type TaskGateway,
} from '../jobmanager/checkpoint-coordinator.js';
import { buildExecutionGraph, type ExecutionGraph } from '../jobmanager/execution-graph.js';
import { allocateSlots, type SlotAssignment } from '../jobmanager/slot-pool.js';
import { flinkConfig, type FlinkConfig } from '../options.js';
import { FsCheckpointStorage } from '../state/checkpoint-storage.js';
import type {
  CheckpointCall,
  CheckpointReport,
  ConnectPeers,
  FailoverEvent,
  FaultInjected,
  JobFinished,
  RegisterTaskExecutor,
  RestoreCheckpoint,
  SlotDeployment,
  SubmitJob,
} from './protocol.js';

export interface RegisteredTaskManager {
  readonly name: string;
  readonly channel: ControlChannel;
  readonly registration: RegisterTaskExecutor;
  alive: boolean;
  figures: ProcessFigures | undefined;
  lastHeartbeat: number;
  heartbeats: number;
}

/** The ResourceManager's view the JobMaster needs: the TaskManagers there are, and waiting for more. */
export interface ClusterResources {
  /** Registered and alive, in index order. */
  alive(): RegisteredTaskManager[];
  /** Resolves once `count` TaskManagers are alive; rejects after `timeoutMs` with one line. */
  awaitTaskManagers(count: number, timeoutMs: number): Promise<void>;
}

export interface JobListener {
  finished(report: Omit<JobFinished, 'daemons'>): void;
  failed(message: string): void;
  failover(event: FailoverEvent): void;
}

/** How the JobMaster noticed a failure (the local deployment's words). */
export type DetectedBy = FlinkFailoverStats['detectedBy'];

type Phase = 'deploying' | 'running' | 'restarting' | 'ended';

interface Plan {
  readonly config: FlinkConfig;
  readonly jobGraph: JobGraph;
  readonly executionGraph: ExecutionGraph;
  readonly slots: SlotAssignment;
  readonly taskManagers: number;
}

/** One deployment of the job. */
interface Attempt {
  readonly number: number;
  readonly taskManagers: readonly RegisteredTaskManager[];
  readonly deployed: Set<number>;
  readonly finishedSlots: Set<number>;
  readonly finishedTasks: Set<string>;
  readonly coordinator: CheckpointCoordinator;
}

function restoreOf(c: CompletedCheckpoint): RestoreCheckpoint {
  return {
    checkpointId: c.checkpointId,
    timestamp: c.timestamp,
    completedAt: c.completedAt,
    mode: c.mode,
    sizeBytes: c.sizeBytes,
    tasks: [...c.taskStates.values()],
  };
}

export class StandaloneJobMaster {
  private plan: Plan | undefined;
  private attempt: Attempt | undefined;
  private attempts = 0;
  private state: Phase = 'deploying';
  private storage: FsCheckpointStorage | undefined;
  private strategy: RestartStrategy | undefined;
  private latest: CompletedCheckpoint | undefined;
  private nextCheckpointId = 1;
  /** Checkpoints of the attempts before the current one. */
  private readonly pastCheckpoints: CheckpointStats[] = [];
  private pastCounts = { completed: 0, failed: 0, skippedTicks: 0 };
  private readonly failovers: FlinkFailoverStats[] = [];
  /** Faults the client announced, by TaskManager index: the failover they cause names them. */
  private readonly faults = new Map<number, FaultInjected>();
  private restartTimer: NodeJS.Timeout | undefined;
  /** Coordinators whose figures were kept already. */
  private readonly retired = new Set<CheckpointCoordinator>();

  constructor(
    private readonly job: SubmitJob,
    private readonly cluster: ClusterResources,
    private readonly clock: Clock,
    private readonly listener: JobListener,
  ) {}

  /** Plans, allocates and deploys the first attempt; resolves with the deployed slots. @throws Error (one line) */
  async deploy(): Promise<number[]> {
    const job = this.job;
    const flow = await rebuildDataflow(job.recipe);
    const config = flinkConfig({ parallelism: job.parallelism, values: job.values });
    const jobGraph = buildJobGraph(buildStreamGraph(flow, config));
    const rebuilt = jobGraph.vertices.map((v) => `${v.name}/${v.parallelism}`).join(', ');
    const submitted = job.vertices.map((v) => `${v.name}/${v.parallelism}`).join(', ');
    if (rebuilt !== submitted)
      throw new Error(`flink: the JobManager rebuilt another JobGraph (${rebuilt}) than the client submitted (${submitted})`);
    const tms = this.cluster.alive();
    const offered = Math.min(...tms.map((t) => t.registration.slots));
    const slots = allocateSlots(jobGraph, { taskManagers: tms.length, slotsPerTaskManager: offered });
    const executionGraph = buildExecutionGraph(jobGraph); // validates the edges before anything is deployed
    this.plan = { config, jobGraph, executionGraph, slots, taskManagers: tms.length };
    this.strategy = new RestartStrategy(config.recovery);
    this.storage = config.checkpointInterval === null ? undefined : new FsCheckpointStorage(config.checkpointDir);
    return this.deployAttempt(undefined);
  }

  /** Deploys the next attempt; `deployed` runs once it runs, before it can be seen to finish. */
  private async deployAttempt(restore: CompletedCheckpoint | undefined, deployed?: (slots: number[]) => void): Promise<number[]> {
    const plan = this.plan as Plan;
    const { config, slots, executionGraph } = plan;
    const alive = this.cluster.alive();
    const tms = Array.from({ length: plan.taskManagers }, (_, i) => {
      const tm = alive.find((t) => t.registration.index === i);
      if (tm === undefined) throw new Error(`flink: taskmanager-${i + 1} is not registered: the job's slots cannot be allocated`);
      return tm;
    });
    const coordinator = new CheckpointCoordinator(
      this.clock,
      config.checkpointInterval,
      config.checkpointTimeout,
      config.checkpointMode,
      this.storage,
      this.nextCheckpointId,
    );
    const attempt: Attempt = {
      number: ++this.attempts,
      taskManagers: tms,
      deployed: new Set(),
      finishedSlots: new Set(),
      finishedTasks: new Set(),
      coordinator,
    };
    this.attempt = attempt;
    this.state = 'deploying';
    const checkpoints = this.storage ? { root: dirname(this.storage.jobDir), jobId: basename(this.storage.jobDir) } : null;
    const peers: ConnectPeers = {
      dataPorts: tms.map((t) => t.registration.dataPort),
      slotTaskManagers: slots.slots.map((s) => s.taskManager),
    };
    await Promise.all(tms.map((t) => t.channel.request('connectPeers', peers)));
    const restoreCheckpoint = restore ? restoreOf(restore) : null;
    await Promise.all(
      slots.slots.map((s) => {
        const d: SlotDeployment = {
          recipe: this.job.recipe,
          parallelism: this.job.parallelism,
          values: this.job.values,
          slot: s.slot,
          taskManager: s.taskManager,
          attempt: attempt.number,
          restore: restoreCheckpoint,
          slotOf: slots.slotOf,
          driverPort: this.job.driverPort,
          epochOffsetMs: this.job.epochOffsetMs,
          checkpoints,
        };
        attempt.deployed.add(s.slot);
        return tms[s.taskManager].channel.request('deploySlot', d);
      }),
    );
    if (this.attempt !== attempt || this.is('ended')) return [...attempt.deployed]; // failed while deploying
    const finished = attempt.finishedTasks;
    const gateways: TaskGateway[] = executionGraph.vertices.flatMap((ejv) =>
      ejv.subtasks.map((ev) => {
        const slot = slots.slotOf[ejv.jobVertex.id][ev.subtaskIndex];
        const channel = tms[slots.slots[slot].taskManager].channel;
        const call = (c: CheckpointCall['call'], checkpointId: number, timestamp = 0) =>
          channel.send('checkpoint', { slot, task: ev.taskName, call: c, checkpointId, timestamp } satisfies CheckpointCall);
        return {
          name: ev.taskName,
          isSource: ejv.jobVertex.inputs.length === 0,
          get finished() {
            return finished.has(ev.taskName);
          },
          triggerCheckpoint: (id: number, ts: number) => call('trigger', id, ts),
          notifyCheckpointComplete: (id: number) => call('complete', id),
          notifyCheckpointAborted: (id: number) => call('abort', id),
        };
      }),
    );
    coordinator.setTasks(gateways);
    coordinator.startCheckpointScheduler();
    this.state = 'running';
    deployed?.([...attempt.deployed]);
    this.maybeFinished();
    return [...attempt.deployed];
  }

  /** Read through a method: a phase changes across awaits, which narrowing cannot see. */
  private is(phase: Phase): boolean {
    return this.state === phase;
  }

  /** The client is about to kill or stall TaskManager `taskManager` for fault `fault`. */
  faultInjected(f: FaultInjected): void {
    this.faults.set(f.taskManager, f);
  }

  /** A stall ended without the TaskManager being lost. */
  faultCleared(taskManager: number): void {
    this.faults.delete(taskManager);
  }

  /** A task's acknowledgement, decline or finish, for the current attempt's coordinator. */
  checkpointReport(r: CheckpointReport & { attempt: number }): void {
    const a = this.attempt;
    if (a === undefined || r.attempt !== a.number) return; // a cancelled attempt's late word
    const c = a.coordinator;
    if (r.type === 'checkpointAck') c.acknowledgeCheckpoint(r.checkpointId, r.state, r.metrics);
    else if (r.type === 'checkpointDecline') c.declineCheckpoint(r.task, r.checkpointId, r.reason);
    else {
      a.finishedTasks.add(r.task);
      c.reportTaskFinished(r.task, r.vertexId, r.subtaskIndex);
    }
  }

  slotFinished(attemptNumber: number, slot: number): void {
    const a = this.attempt;
    if (a === undefined || a.number !== attemptNumber) return;
    a.finishedSlots.add(slot); // a short job's slot may finish before the last one is deployed
    this.maybeFinished();
  }

  /** The attempt is the job's end once it is deployed and every slot has finished. */
  private maybeFinished(): void {
    const a = this.attempt;
    if (a === undefined || !this.is('running') || a.finishedSlots.size < a.deployed.size) return;
    this.state = 'ended';
    const checkpoints = this.endCheckpointing();
    void this.collectNetwork(a).then((n) =>
      this.listener.finished({ ...n, ...checkpoints, attempt: a.number, slots: [...a.deployed], recovery: this.recoveryStats() }),
    );
  }

  /** A slot failed (a task threw, its thread died): a failure of its attempt. */
  slotFailed(attemptNumber: number, message: string): void {
    if (this.attempt?.number !== attemptNumber) return;
    if (this.is('deploying') && this.attempts === 1)
      this.fail(message); // the first deployment fails the submission
    else this.failure(-1, message, 'task failure', this.clock.now());
  }

  /** TaskManager `index` was lost: its connection broke, or its heartbeats stopped. */
  taskManagerLost(index: number, cause: string, detectedBy: DetectedBy): void {
    if (this.is('ended')) return;
    const fault = this.faults.get(index);
    this.faults.delete(index);
    const inAttempt = this.attempt?.taskManagers.some((t) => t.registration.index === index) ?? false;
    if (this.is('restarting') || !inAttempt) {
      // Already restarting: the restart waits for it to register again.
      if (fault) this.event({ fault: fault.fault, type: 'detected', timeMs: this.clock.now(), detail: `${detectedBy}: ${cause}` });
      return;
    }
    if (this.is('deploying') && this.attempts === 1) this.fail(cause);
    else this.failure(fault?.fault ?? -1, cause, detectedBy, fault?.timeMs ?? this.clock.now());
  }

  /** The job fails for good (the client went, the first deployment failed). */
  fail(message: string): void {
    if (this.is('ended')) return;
    this.state = 'ended';
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.endCheckpointing();
    this.listener.failed(message);
  }

  private event(e: FailoverEvent): void {
    this.listener.failover(e);
  }

  private failure(fault: number, cause: string, detectedBy: DetectedBy, failedAt: number): void {
    const old = this.attempt as Attempt;
    const detectedAt = this.clock.now();
    this.state = 'restarting';
    // The latest completed checkpoint as of the failure; a pending one can never complete now.
    this.latest = old.coordinator.latestCompleted ?? this.latest;
    this.nextCheckpointId = old.coordinator.nextCheckpointId;
    this.retire(old.coordinator);
    this.event({ fault, type: 'detected', timeMs: detectedAt, detail: `${detectedBy}: ${cause}` });
    const stats: FlinkFailoverStats = { fault, cause, failedAt, detectedAt, detectedBy, restartedAt: null, restoredCheckpoint: null };
    this.failovers.push(stats);
    const strategy = this.strategy as RestartStrategy;
    const delay = strategy.onFailure();
    if (delay === undefined) {
      this.event({ fault, type: 'failed', timeMs: detectedAt, detail: `restart strategy: ${strategy.describe()}` });
      this.fail(`flink: the job failed (${cause}) and its restart strategy allows no restart (${strategy.describe()})`);
      return;
    }
    // Every task is cancelled (those of a lost TaskManager are gone already), the data connections too.
    const cancelled = Promise.all(
      old.taskManagers.filter((t) => t.alive).map((t) => t.channel.request('cancelSlots', { attempt: old.number }).catch(() => {})),
    );
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void cancelled.then(() => this.restart(stats));
    }, delay);
  }

  private async restart(stats: FlinkFailoverStats): Promise<void> {
    if (!this.is('restarting')) return;
    const plan = this.plan as Plan;
    const failures = this.failovers.length;
    try {
      await this.cluster.awaitTaskManagers(plan.taskManagers, this.job.registrationTimeoutMs);
      if (!this.is('restarting')) return;
      await this.deployAttempt(this.latest, (slots) => {
        stats.restartedAt = this.clock.now();
        stats.restoredCheckpoint = this.latest?.checkpointId ?? null;
        this.event({
          fault: stats.fault,
          type: 'restarted',
          timeMs: stats.restartedAt,
          detail: this.latest
            ? `all tasks redeployed from checkpoint ${this.latest.checkpointId} (attempt ${this.attempts})`
            : `all tasks redeployed, no checkpoint: empty state (attempt ${this.attempts})`,
          attempt: this.attempts,
          slots,
        });
      });
    } catch (err) {
      // Ended, or a newer failure (a TaskManager lost while deploying) handles the job now.
      if (this.is('ended') || this.failovers.length !== failures) return;
      const message = (err as Error).message;
      if (this.is('deploying') || this.is('running')) this.failure(stats.fault, message, 'task failure', this.clock.now());
      else {
        this.event({ fault: stats.fault, type: 'failed', timeMs: this.clock.now(), detail: message });
        this.fail(message);
      }
    }
  }

  /** Keeps a finished attempt's checkpoint figures and stops its coordinator (the storage stays). */
  private retire(c: CheckpointCoordinator): void {
    if (this.retired.has(c)) return;
    this.retired.add(c);
    c.stop();
    this.pastCheckpoints.push(...c.history);
    this.pastCounts = {
      completed: this.pastCounts.completed + c.completedCount,
      failed: this.pastCounts.failed + c.failedCount,
      skippedTicks: this.pastCounts.skippedTicks + c.skippedTicks,
    };
  }

  /** The checkpoints so far, of every attempt, while the job runs (the live view). */
  checkpointView(): Pick<JobFinished, 'checkpoints' | 'checkpointSummary'> {
    const c = this.attempt && !this.retired.has(this.attempt.coordinator) ? this.attempt.coordinator : undefined;
    return this.checkpointFigures(c);
  }

  private checkpointFigures(c: CheckpointCoordinator | undefined): Pick<JobFinished, 'checkpoints' | 'checkpointSummary'> {
    const config = this.plan?.config;
    return {
      checkpoints: [...this.pastCheckpoints, ...(c?.history ?? [])],
      checkpointSummary: {
        interval: config?.checkpointInterval ?? null,
        mode: config?.checkpointMode ?? 'exactly_once',
        completed: this.pastCounts.completed + (c?.completedCount ?? 0),
        failed: this.pastCounts.failed + (c?.failedCount ?? 0),
        skippedTicks: this.pastCounts.skippedTicks + (c?.skippedTicks ?? 0),
        latestCompletedId: (c?.latestCompleted ?? this.latest)?.checkpointId ?? null,
        directory: this.storage?.jobDir ?? null,
        temporaryDirectory: this.storage?.temporary ?? null,
      },
    };
  }

  /** Stops the coordinator and releases the storage (the latest completed checkpoint stays in a given directory). */
  private endCheckpointing(): Pick<JobFinished, 'checkpoints' | 'checkpointSummary'> {
    const c = this.attempt?.coordinator;
    if (c && !this.retired.has(c)) {
      this.latest = c.latestCompleted ?? this.latest;
      this.retire(c);
    }
    this.storage?.dispose(this.latest?.checkpointId);
    return this.checkpointFigures(undefined);
  }

  recoveryStats(): FlinkRecoveryStats {
    const recovery = this.plan?.config.recovery ?? flinkConfig({ parallelism: this.job.parallelism, values: this.job.values }).recovery;
    return {
      restartStrategy: (this.strategy ?? new RestartStrategy(recovery)).describe(),
      failover: this.plan ? failoverScope(this.plan.jobGraph) : 'full',
      sinkCommit: recovery.sinkCommit,
      attempts: this.attempts,
      failovers: this.failovers.map((f) => ({ ...f })),
    };
  }

  /** The attempt's TaskManagers' final network figures. */
  private async collectNetwork(a: Attempt): Promise<Pick<JobFinished, 'socketMessages' | 'socketBytes' | 'connections'>> {
    let socketMessages = 0;
    let socketBytes = 0;
    let connections = 0;
    for (const tm of a.taskManagers) {
      try {
        const n = await tm.channel.request<{ socketMessages: number; socketBytes: number; connections: number; figures: ProcessFigures }>(
          'networkStatus',
          null,
          5000,
        );
        socketMessages += n.socketMessages;
        socketBytes += n.socketBytes;
        connections += n.connections;
        tm.figures = n.figures;
      } catch {
        // a TaskManager that cannot answer any more: its figures stay those of its last heartbeat
      }
    }
    return { socketMessages, socketBytes, connections: connections / 2 };
  }
}
