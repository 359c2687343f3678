/**
 * The JobMaster of one job: deploys the ExecutionGraph into the slots of its TaskManagers (all tasks on
 * one shared cooperative scheduler), wires the network, runs the checkpoint coordinator, and is the
 * {@link RunningJob} the harness holds: drained when every task has finished (asynchronous checkpoint
 * parts included), stopped on request. With checkpointing on it owns the job's checkpoint storage and
 * releases it on every way the job ends (drained, stopped, failed).
 */
import type { RunIO, RunningJob } from '../../api/index.js';
import type { FlinkEngineStats } from '../flink-stats.js';
import { Scheduler, type Runnable } from '../../runtime/index.js';
import { BufferStats } from '../network/network-buffer.js';
import { createShuffle } from '../network/shuffle-environment.js';
import { FsCheckpointStorage } from '../state/checkpoint-storage.js';
import { SourceStreamTask } from '../taskmanager/source-stream-task.js';
import type { StreamTask } from '../taskmanager/stream-task.js';
import { subtaskStats, windowFigures } from '../taskmanager/task-stats.js';
import { TaskManager } from '../taskmanager/task-manager.js';
import { CheckpointCoordinator, operatorStatesOf, type CompletedCheckpoint, type TaskGateway } from './checkpoint-coordinator.js';
import type { JobPlan } from './job-plan.js';

export interface JobMasterOptions {
  /** Restore every operator's state and the sources' offsets from this checkpoint. */
  readonly restoreFrom?: CompletedCheckpoint;
  /** Checkpoint storage shared by every attempt of a job (failover); the job, not the attempt, disposes it. */
  readonly checkpointStorage?: FsCheckpointStorage;
  /** The first checkpoint id this attempt triggers (ids keep rising across restarts, as in Flink). */
  readonly firstCheckpointId?: number;
}

export class JobMaster implements RunningJob<FlinkEngineStats> {
  readonly scheduler: Scheduler;
  readonly taskManagers: TaskManager[] = [];
  readonly tasks: StreamTask[] = [];
  readonly coordinator: CheckpointCoordinator;
  /** Where checkpoints go; undefined with checkpointing off. */
  readonly checkpointStorage: FsCheckpointStorage | undefined;
  readonly bufferStats = new BufferStats();
  private readonly done: Promise<void>;
  private cleanedUp = false;
  private readonly ownsStorage: boolean;

  constructor(
    readonly plan: JobPlan,
    private readonly io: RunIO,
    options: JobMasterOptions = {},
  ) {
    const { config, slots } = plan;
    // Read before anything is created, so that a checkpoint that cannot be read leaves nothing behind.
    const restoreState = options.restoreFrom ? operatorStatesOf(options.restoreFrom) : undefined;
    this.scheduler = new Scheduler({ clock: io.clock });
    this.ownsStorage = options.checkpointStorage === undefined;
    this.checkpointStorage =
      config.checkpointInterval === null ? undefined : (options.checkpointStorage ?? new FsCheckpointStorage(config.checkpointDir));
    this.coordinator = new CheckpointCoordinator(
      io.clock,
      config.checkpointInterval,
      config.checkpointTimeout,
      config.checkpointMode,
      this.checkpointStorage,
      options.firstCheckpointId,
    );
    for (let t = 0; t < slots.taskManagers; t++) this.taskManagers.push(new TaskManager(t, this.scheduler));
    for (const s of slots.slots) this.taskManagers[s.taskManager].offerSlot(s.slot, s.group);

    try {
      this.deploy(restoreState);
    } catch (err) {
      // An operator that cannot open or restore: nothing of the job may stay behind.
      this.scheduler.stop();
      this.cleanUp();
      throw err;
    }
    this.coordinator.startCheckpointScheduler();
    this.done = this.scheduler.done().finally(() => this.cleanUp());
    this.done.catch(() => {}); // a failure is reported through drained(), never as an unhandled rejection
  }

  /** Wires the network and submits every subtask to its slot's TaskManager. */
  private deploy(restoreState: ReadonlyMap<number, readonly unknown[]> | undefined): void {
    const { config, executionGraph, slots, jobGraph } = this.plan;
    const io = this.io;
    const asyncOperations = (name: string, runnable: Runnable) => {
      this.scheduler.spawn(name, runnable);
    };
    const network = createShuffle(executionGraph, slots, config, this.bufferStats);
    for (const ejv of executionGraph.vertices) {
      for (const ev of ejv.subtasks) {
        const net = network[ejv.jobVertex.id][ev.subtaskIndex];
        const slot = slots.slotOf[ejv.jobVertex.id][ev.subtaskIndex];
        const tm = this.taskManagers[slots.slots[slot].taskManager];
        this.tasks.push(
          tm.submitTask({
            io,
            config,
            jobGraph,
            executionVertex: ev,
            partitions: net.partitions,
            writers: net.writers,
            availability: net.availability,
            gates: net.gates,
            checkpointResponder: this.coordinator,
            checkpointStorage: this.checkpointStorage,
            asyncOperations,
            restoreState,
            taskManager: tm.id,
            slot,
          }),
        );
      }
    }
    const gateways: TaskGateway[] = this.tasks.map((t) => ({
      name: t.name,
      isSource: t instanceof SourceStreamTask,
      get finished() {
        return t.finished;
      },
      triggerCheckpoint: (id, ts) => t.triggerCheckpoint(id, ts),
      notifyCheckpointComplete: (id) => t.notifyCheckpointComplete(id),
      notifyCheckpointAborted: (id) => t.notifyCheckpointAborted(id),
    }));
    this.coordinator.setTasks(gateways);
  }

  drained(): Promise<void> {
    return this.done;
  }

  async stop(): Promise<void> {
    this.scheduler.stop();
    this.cleanUp();
  }

  private cleanUp(): void {
    if (this.cleanedUp) return;
    this.cleanedUp = true;
    this.coordinator.stop();
    for (const t of this.tasks) t.cancel();
    if (this.ownsStorage) this.checkpointStorage?.dispose(this.coordinator.latestCompleted?.checkpointId);
  }

  /**
   * The attempt dies where it stands (a TaskManager process gone, or the JobMaster cancelling what is left
   * after a failure): no operator is closed or flushed, no final checkpoint; its timers go with it.
   */
  kill(): void {
    this.scheduler.stop();
    this.cleanUp();
  }

  stats(): FlinkEngineStats {
    const { jobGraph, slots } = this.plan;
    const nodes = jobGraph.streamGraph.nodes;
    const busy = new Map(this.scheduler.stats().tasks.map((t) => [t.name, t.busyMs]));
    const now = this.io.clock.now();
    const windows = windowFigures(this.tasks);
    const c = this.coordinator;
    return {
      objectReuse: this.plan.config.objectReuse,
      chains: jobGraph.vertices.map((v) => ({
        task: v.name,
        operators: v.operatorIds.map((id) => nodes[id].node.name),
        parallelism: v.parallelism,
      })),
      tasks: this.tasks.map((t) => subtaskStats(t, busy.get(t.name) ?? 0, now, t.env.taskManager, t.env.slot)),
      buffers: this.bufferStats.toJSON(),
      checkpoints: c.history,
      checkpointSummary: {
        interval: c.interval,
        mode: c.mode,
        completed: c.completedCount,
        failed: c.failedCount,
        skippedTicks: c.skippedTicks,
        latestCompletedId: c.latestCompleted?.checkpointId ?? null,
        inFlight: c.inFlight,
        directory: this.checkpointStorage?.jobDir ?? null,
        temporaryDirectory: this.checkpointStorage?.temporary ?? null,
      },
      slots: { taskManagers: slots.taskManagers, slotsPerTaskManager: slots.slotsPerTaskManager, required: slots.requirements.required },
      ...windows,
    };
  }
}
