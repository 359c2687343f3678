/**
 * The JobMaster of a standalone cluster, in the JobManager process: it rebuilds the job from the
 * submitted recipe, checks that it is the client's JobGraph, builds the ExecutionGraph, allocates the
 * job's slots from those the registered TaskManagers offer (Flink's NoResourceAvailableException when
 * they are too few), has the TaskManagers connect to each other and deploys each slot's subtasks into
 * it. The job has finished when every deployed slot has; the first failure fails it.
 */
import type { ControlChannel, ProcessFigures } from '../../runtime/cluster/index.js';
import { buildJobGraph } from '../client/job-graph.js';
import { buildStreamGraph } from '../client/stream-graph.js';
import { buildExecutionGraph } from '../jobmanager/execution-graph.js';
import { allocateSlots } from '../jobmanager/slot-pool.js';
import { flinkConfig } from '../options.js';
import type { ConnectPeers, JobFinished, RegisterTaskExecutor, SlotDeployment, SubmitJob } from './protocol.js';
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

  constructor(
    private readonly job: SubmitJob,
    private readonly taskManagers: readonly RegisteredTaskManager[],
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
    buildExecutionGraph(jobGraph); // validates the edges before anything is deployed
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
      };
      this.deployed.add(s.slot);
      return tms[s.taskManager].channel.request('deploySlot', d);
    });
    await Promise.all(deployments);
    return [...this.deployed];
  }

  slotFinished(slot: number): void {
    this.finishedSlots.add(slot);
    if (this.ended || this.finishedSlots.size < this.deployed.size) return;
    this.ended = true;
    void this.collectNetwork().then((n) => this.listener.finished(n));
  }

  fail(message: string): void {
    if (this.ended) return;
    this.ended = true;
    this.listener.failed(message);
  }

  /** The TaskManagers' final network figures. */
  private async collectNetwork(): Promise<Omit<JobFinished, 'daemons'>> {
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
