/**
 * The JobMaster of a standalone cluster, in the JobManager process: it rebuilds the job from the
 * submitted recipe, checks that it is the client's JobGraph, builds the ExecutionGraph, allocates the
 * job's slots from those the registered TaskManagers offer (Flink's NoResourceAvailableException when
 * they are too few), has the TaskManagers connect to each other and deploys each slot's subtasks into
 * it. The job has finished when every deployed slot has; the first failure fails it.
 */
import { basename, dirname } from 'node:path';
import type { Clock } from '../../api/index.js';
import type { ControlChannel, ProcessFigures } from '../../runtime/cluster/index.js';
import { CheckpointCoordinator, type TaskGateway } from '../jobmanager/checkpoint-coordinator.js';
import { FsCheckpointStorage } from '../state/checkpoint-storage.js';
import { buildJobGraph } from '../client/job-graph.js';
import { buildStreamGraph } from '../client/stream-graph.js';
import { buildExecutionGraph } from '../jobmanager/execution-graph.js';
import { allocateSlots } from '../jobmanager/slot-pool.js';
import { flinkConfig } from '../options.js';
import type {
  CheckpointCall,
  CheckpointReport,
  ConnectPeers,
  JobFinished,
  RegisterTaskExecutor,
  SlotDeployment,
  SubmitJob,
} from './protocol.js';
import { rebuildDataflow } from './rebuild-dataflow.js';

export interface RegisteredTaskManager {
  readonly name: string;
  readonly channel: ControlChannel;
  readonly registration: RegisterTaskExecutor;
  alive: boolean;
  figures: ProcessFigures | undefined;
  lastHeartbeat: number;
  heartbeats: number;
}

export interface JobListener {
  finished(report: Omit<JobFinished, 'daemons'>): void;
  failed(message: string): void;
}

export class StandaloneJobMaster {
  private readonly deployed = new Set<number>();
  private readonly finishedSlots = new Set<number>();
  private ended = false;
  /** The checkpoint coordinator (it only tracks finishes with checkpointing off). */
  private coordinator: CheckpointCoordinator | undefined;
  private storage: FsCheckpointStorage | undefined;
  private readonly finishedTasks = new Set<string>();

  constructor(
    private readonly job: SubmitJob,
    private readonly taskManagers: readonly RegisteredTaskManager[],
    private readonly clock: Clock,
    private readonly listener: JobListener,
  ) {}

  /** Plans, allocates and deploys; resolves with the deployed slots. @throws Error (one line) */
  async deploy(): Promise<number[]> {
    const job = this.job;
    const flow = await rebuildDataflow(job.recipe);
    const config = flinkConfig({ parallelism: job.parallelism, values: job.values });
    const jobGraph = buildJobGraph(buildStreamGraph(flow, config));
    const rebuilt = jobGraph.vertices.map((v) => `${v.name}/${v.parallelism}`).join(', ');
    const submitted = job.vertices.map((v) => `${v.name}/${v.parallelism}`).join(', ');
    if (rebuilt !== submitted)
      throw new Error(`flink: the JobManager rebuilt another JobGraph (${rebuilt}) than the client submitted (${submitted})`);
    const tms = [...this.taskManagers].sort((a, b) => a.registration.index - b.registration.index);
    const offered = Math.min(...tms.map((t) => t.registration.slots));
    const slots = allocateSlots(jobGraph, { taskManagers: tms.length, slotsPerTaskManager: offered });
    const executionGraph = buildExecutionGraph(jobGraph); // validates the edges before anything is deployed
    this.storage = config.checkpointInterval === null ? undefined : new FsCheckpointStorage(config.checkpointDir);
    const coordinator = new CheckpointCoordinator(
      this.clock,
      config.checkpointInterval,
      config.checkpointTimeout,
      config.checkpointMode,
      this.storage,
    );
    this.coordinator = coordinator;
    const checkpoints = this.storage ? { root: dirname(this.storage.jobDir), jobId: basename(this.storage.jobDir) } : null;
    const peers: ConnectPeers = {
      dataPorts: tms.map((t) => t.registration.dataPort),
      slotTaskManagers: slots.slots.map((s) => s.taskManager),
    };
    await Promise.all(tms.map((t) => t.channel.request('connectPeers', peers)));
    const deployments = slots.slots.map((s) => {
      const d: SlotDeployment = {
        recipe: job.recipe,
        parallelism: job.parallelism,
        values: job.values,
        slot: s.slot,
        taskManager: s.taskManager,
        slotOf: slots.slotOf,
        driverPort: job.driverPort,
        epochOffsetMs: job.epochOffsetMs,
        checkpoints,
      };
      this.deployed.add(s.slot);
      return tms[s.taskManager].channel.request('deploySlot', d);
    });
    await Promise.all(deployments);
    const finished = this.finishedTasks;
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
    return [...this.deployed];
  }

  /** A task's acknowledgement, decline or finish, for the coordinator. */
  checkpointReport(r: CheckpointReport): void {
    const c = this.coordinator;
    if (c === undefined) return;
    if (r.type === 'checkpointAck') c.acknowledgeCheckpoint(r.checkpointId, r.state, r.metrics);
    else if (r.type === 'checkpointDecline') c.declineCheckpoint(r.task, r.checkpointId, r.reason);
    else {
      this.finishedTasks.add(r.task);
      c.reportTaskFinished(r.task, r.vertexId, r.subtaskIndex);
    }
  }

  slotFinished(slot: number): void {
    this.finishedSlots.add(slot);
    if (this.ended || this.finishedSlots.size < this.deployed.size) return;
    this.ended = true;
    const checkpoints = this.endCheckpointing();
    void this.collectNetwork().then((n) => this.listener.finished({ ...n, ...checkpoints }));
  }

  fail(message: string): void {
    if (this.ended) return;
    this.ended = true;
    this.endCheckpointing();
    this.listener.failed(message);
  }

  /** Stops the coordinator and releases the storage (the latest completed checkpoint stays in a given directory). */
  private endCheckpointing(): Pick<JobFinished, 'checkpoints' | 'checkpointSummary'> {
    const c = this.coordinator;
    c?.stop();
    this.storage?.dispose(c?.latestCompleted?.checkpointId);
    return {
      checkpoints: c?.history ?? [],
      checkpointSummary: {
        interval: c?.interval ?? null,
        mode: c?.mode ?? 'exactly_once',
        completed: c?.completedCount ?? 0,
        failed: c?.failedCount ?? 0,
        skippedTicks: c?.skippedTicks ?? 0,
        latestCompletedId: c?.latestCompleted?.checkpointId ?? null,
        directory: this.storage?.jobDir ?? null,
        temporaryDirectory: this.storage?.temporary ?? null,
      },
    };
  }

  /** The TaskManagers' final network figures. */
  private async collectNetwork(): Promise<Pick<JobFinished, 'socketMessages' | 'socketBytes' | 'connections'>> {
    let socketMessages = 0;
    let socketBytes = 0;
    let connections = 0;
    for (const tm of this.taskManagers) {
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
