/**
 * The client side of the standalone deployment, in the driver's process: it builds the JobGraph, starts
 * the cluster as `start-cluster.sh` would (a JobManager process, then `flink.taskManagers` TaskManager
 * processes of `flink.slotsPerTaskManager` slots), serves the run's event log and sinks to the slot
 * threads, submits the job to the JobManager's Dispatcher and is the {@link RunningJob} the harness
 * holds. Every process it started ends on every way the job ends; one that dies fails the job at once,
 * with its reason.
 *
 * The job's user code cannot travel, so the submission carries the dataflow's recipe (module, export,
 * arguments): the JobManager and every slot rebuild the same JobGraph from it and check it against the
 * client's, as a Flink cluster loads the job's jar.
 *
 * Faults: `kill-taskmanager` is a SIGKILL of the TaskManager's process, `stall` a SIGSTOP of it and a
 * SIGCONT after the duration. With a restart strategy, a TaskManager that dies is started again at once
 * under its index (as a process supervisor would, and as the local deployment offers its slots again),
 * and the JobManager's failover redeploys the job; without one, its death fails the job.
 */
import type {
  Dataflow,
  EngineOptions,
  FaultKind,
  FaultListener,
  FaultTarget,
  FaultTolerantJob,
  ResolvedFault,
  RunIO,
  RunningJob,
  SinkSet,
} from '../../api/index.js';
import {
  compiledEntry,
  connectControl,
  ControlServer,
  epochOffsetOf,
  launchDaemon,
  serveEventLog,
  serveSinks,
  type ControlChannel,
  type Daemon,
  type DaemonStatus,
  DriverRun,
  onFirstRecord,
} from '../../runtime/cluster/index.js';
import { buildJobGraph, type JobGraph } from '../client/job-graph.js';
import { buildStreamGraph } from '../client/stream-graph.js';
import type { FlinkRecoveryStats } from '../failover/flink-job.js';
import { TransactionalSinks } from '../failover/transactional-sinks.js';
import type { FlinkBufferStats, FlinkEngineStats } from '../flink-stats.js';
import { slotRequirements } from '../jobmanager/slot-pool.js';
import { flinkConfig, type FlinkConfig } from '../options.js';
import type { FailoverEvent, FaultInjected, JobFinished, JobStatus, SlotReport, SubmitAnswer, SubmitJob } from './protocol.js';
import { readClusterState, type ClusterState } from './session-cluster.js';

/** Polls the JobManager for its daemons' status this often (ms), for live stats. */
const STATUS_POLL_MS = 1000;

export type StandaloneFlinkStats = FlinkEngineStats & { recovery?: FlinkRecoveryStats };

export class StandaloneJob implements RunningJob<StandaloneFlinkStats>, FaultTolerantJob {
  private readonly reports: SlotReport[] = [];
  /** The running slots' latest figures, by slot (the live view until the final reports). */
  private readonly progress = new Map<number, SlotReport>();
  /** The checkpoints so far, as the JobManager last said. */
  private liveCheckpoints: Pick<JobStatus, 'checkpoints' | 'checkpointSummary'> = {};
  /** The attempt running now (a failover deploys the next), and its slots. */
  private attempt = 1;
  private listener: FaultListener | undefined;
  /** The TaskManager daemons by index (a relaunched one replaces its predecessor). */
  private readonly taskManagerDaemons: Daemon[] = [];
  private jmPort = 0;
  /** TaskManagers this client started again after they died. */
  private relaunches = 0;
  /** Faults of which the JobManager reported a step. */
  private readonly faultsSeen = new Set<number>();
  private readonly transactional: TransactionalSinks | undefined;
  private daemonStatus: DaemonStatus[] = [];
  private finished: JobFinished | undefined;
  private deployedSlots: number[] | undefined;
  /** The run's promise, its first failure, and the one shutdown. */
  private readonly run = new DriverRun('flink', () => this.stopEverything());
  private readonly daemons: Daemon[] = [];
  private jobManager: ControlChannel | undefined;
  private poll: NodeJS.Timeout | undefined;
  private readonly startup = {
    clusterReadyMs: null as number | null,
    deployedMs: null as number | null,
    firstRecordMs: null as number | null,
  };
  private readonly driver: ControlServer;
  private readonly t0: number;

  private constructor(
    private readonly io: RunIO,
    private readonly config: FlinkConfig,
    private readonly jobGraph: JobGraph,
    private readonly taskManagers: number,
    sinkNames: readonly string[],
    /** A running session cluster to submit to; undefined: this job starts (and stops) its own. */
    private readonly session?: ClusterState,
  ) {
    this.t0 = io.clock.now();
    const measured = this.noteFirstRecord(io.sinks);
    // Two-phase commit: the transactions' external system is on the driver's side, outliving every attempt.
    this.transactional = config.recovery.sinkCommit === 'two-phase-commit' ? new TransactionalSinks(measured) : undefined;
    const sinks = this.transactional ?? measured;
    this.driver = new ControlServer({ name: 'driver' }, (channel) => {
      serveEventLog(channel, io.log);
      serveSinks(channel, sinks, sinkNames);
      channel.on('slotProgress', (report: SlotReport) => {
        if (report.attempt === this.attempt && !this.finished) this.progress.set(report.slot, report);
      });
      channel.on('slotDone', (report: SlotReport) => {
        this.reports.push(report);
        for (const [op, n] of Object.entries(report.lateByOperator)) io.metrics.lateRecordsDropped(op, n);
        this.maybeDone();
      });
    });
  }

  /** Starts the cluster and submits the job; resolves once every subtask is deployed. @throws Error (one line) */
  static async start(flow: Dataflow, io: RunIO, opts: EngineOptions): Promise<StandaloneJob> {
    const recipe = opts.dataflowRecipe;
    if (recipe === undefined) throw new Error('flink: the standalone deployment needs the dataflow recipe (EngineOptions.dataflowRecipe)');
    const config = flinkConfig(opts);
    const jobGraph = buildJobGraph(buildStreamGraph(flow, config));
    const required = slotRequirements(jobGraph).required;
    const session = opts.cluster === undefined ? undefined : readClusterState(opts.cluster);
    const taskManagers = session
      ? session.taskManagers.length
      : (config.taskManagers ?? Math.max(1, Math.ceil(required / config.slotsPerTaskManager)));
    const job = new StandaloneJob(
      io,
      session ? { ...config, slotsPerTaskManager: session.slotsPerTaskManager } : config,
      jobGraph,
      taskManagers,
      flow.sinks.map((s) => s.name),
      session,
    );
    try {
      await job.launch({
        recipe,
        parallelism: opts.parallelism,
        values: opts.values,
        vertices: jobGraph.vertices.map((v) => ({ name: v.name, parallelism: v.parallelism })),
        driverPort: 0,
        epochOffsetMs: epochOffsetOf(io.clock),
        taskManagers: session ? 0 : taskManagers,
        registrationTimeoutMs: opts.values.registrationTimeout as number,
      });
    } catch (err) {
      await job.run.shutDown();
      throw new Error(job.run.failure?.message ?? (err as Error).message);
    }
    return job;
  }

  private submission: SubmitJob | undefined;

  private async launch(submission: SubmitJob): Promise<void> {
    this.submission = submission;
    const driverPort = await this.driver.listen(0);
    const jmPort = this.session ? this.session.jobManager.port : await this.startCluster(submission);
    await this.submit(jmPort, { ...submission, driverPort });
  }

  /** Starts this job's own cluster (a JobManager, then the TaskManagers); resolves with the JobManager's port. */
  private async startCluster(submission: SubmitJob): Promise<number> {
    const v = submission.values;
    const epoch = `--epoch-offset=${submission.epochOffsetMs}`;
    const jm = this.keep(
      launchDaemon({
        name: 'jobmanager',
        modulePath: compiledEntry('engines/flink/standalone/job-manager-main.js'),
        args: [`--port=${v.jobManagerPort ?? 0}`, epoch, `--heartbeat-timeout=${v.heartbeatTimeout}`],
      }),
    );
    const jmPort = await this.run.untilFailed(
      new Promise<number>((resolve, reject) =>
        jm.process.on('message', (m: { type: string; port?: number; message?: string }) => {
          if (m.type === 'ready') resolve(m.port as number);
          else reject(new Error(m.message));
        }),
      ),
    );
    this.jmPort = jmPort;
    for (let i = 0; i < this.taskManagers; i++) this.launchTaskManager(i);
    return jmPort;
  }

  /** Starts TaskManager `index` (again, after a loss: its predecessor's slot in the list is taken over). */
  private launchTaskManager(index: number): void {
    const v = this.submission?.values ?? {};
    const daemon = launchDaemon({
      name: `taskmanager-${index + 1}`,
      modulePath: compiledEntry('engines/flink/standalone/task-manager-main.js'),
      args: [
        `--index=${index}`,
        `--slots=${this.config.slotsPerTaskManager}`,
        `--jobmanager-port=${this.jmPort}`,
        `--heartbeat-interval=${v.heartbeatInterval}`,
        `--epoch-offset=${this.submission?.epochOffsetMs}`,
      ],
    });
    this.taskManagerDaemons[index] = daemon;
    this.daemons.push(daemon);
    void daemon.exited.then((exit) => {
      if (this.run.ending) return;
      // With a restart strategy the JobManager fails over; the process comes back under its index.
      if (this.config.recovery.restartStrategy !== 'none' && !this.finished) {
        this.relaunches++;
        this.launchTaskManager(index);
        return;
      }
      this.run.fail(daemon.describeExit(exit));
    });
  }

  private async submit(jmPort: number, submission: SubmitJob): Promise<void> {
    const channel = await this.run.untilFailed(connectControl(jmPort, { name: 'client' }));
    this.jobManager = channel;
    channel.on('jobFinished', (f: JobFinished) => {
      this.finished = f;
      this.daemonStatus = f.daemons;
      this.maybeDone();
    });
    // A TaskManager that died is reported lost as soon as its connection closes; its exit says more.
    channel.on('jobFailed', (b: { message: string }) => this.run.failSoon(b.message));
    channel.on('failover', (e: FailoverEvent) => this.failoverStep(e));
    channel.onClose(() => {
      if (!this.run.ending) this.run.fail('the connection to the JobManager closed');
    });
    const answer = await this.run.untilFailed(
      channel.request<SubmitAnswer>('submitJob', submission, submission.registrationTimeoutMs + 60_000),
    );
    this.startup.clusterReadyMs = round(answer.clusterReadyAt - this.t0);
    this.startup.deployedMs = round(this.io.clock.now() - this.t0);
    this.deployedSlots = answer.slots;
    this.poll = setInterval(() => {
      channel.request<JobStatus>('jobStatus', null, STATUS_POLL_MS * 5).then(
        (s) => {
          if (this.finished) return;
          this.daemonStatus = s.daemons;
          this.liveCheckpoints = { checkpoints: s.checkpoints, checkpointSummary: s.checkpointSummary };
        },
        () => {},
      );
    }, STATUS_POLL_MS);
    this.poll.unref();
    this.maybeDone();
  }

  /** Keeps the daemon, and fails the job when it ends before the job did. */
  private keep(daemon: Daemon): Daemon {
    this.daemons.push(daemon);
    return this.run.watch(daemon);
  }

  private noteFirstRecord(sinks: SinkSet): SinkSet {
    return onFirstRecord(sinks, () => (this.startup.firstRecordMs = round(this.io.clock.now() - this.t0)));
  }

  private maybeDone(): void {
    const f = this.finished;
    if (f === undefined || this.deployedSlots === undefined) return;
    if (this.reports.filter((r) => r.attempt === f.attempt).length < f.slots.length) return;
    void this.run.finish();
  }

  drained(): Promise<void> {
    return this.run.done;
  }

  async stop(): Promise<void> {
    await this.run.finish();
  }

  /** Stops every daemon (SIGTERM, then SIGKILL) and the driver's server; once, through {@link DriverRun}. */
  private async stopEverything(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    // A session cluster stays up for the next job; this job's own cluster goes.
    if (!this.session) this.jobManager?.send('shutdown');
    await Promise.all(this.daemons.map((d) => d.stop(2000)));
    if (this.session) this.jobManager?.close();
    else this.jobManager?.destroy();
    await this.driver.close();
  }

  /** A step of a recovery, as the JobManager reports it: on to the fault listener. */
  private failoverStep(e: FailoverEvent): void {
    if (e.type === 'restarted' && e.attempt !== undefined) {
      this.attempt = e.attempt;
      this.progress.clear(); // the cancelled attempt's figures are gone with it
    }
    if (e.fault >= 0) this.faultsSeen.add(e.fault);
    this.listener?.event({ fault: e.fault, type: e.type, timeMs: e.timeMs, detail: e.detail });
  }

  readonly faults: FaultTarget = {
    // A session cluster's TaskManagers were started by `cluster start`, not by this job: it cannot signal them.
    daemons: (kind: FaultKind) => (this.session || (kind !== 'kill-taskmanager' && kind !== 'stall') ? 0 : this.taskManagers),
    inject: (fault: ResolvedFault, listener: FaultListener) => {
      this.listener = listener;
      void this.injectFault(fault, listener).catch((err: Error) =>
        listener.event({ fault: fault.index, type: 'failed', timeMs: this.io.clock.now(), detail: `not injected: ${err.message}` }),
      );
    },
  };

  /** Makes this job's failovers reach `listener` (a failure no fault caused is reported too, as fault -1). */
  listenForFaults(listener: FaultListener): void {
    this.listener = listener;
  }

  private async injectFault(fault: ResolvedFault, listener: FaultListener): Promise<void> {
    const index = Number(fault.target);
    const daemon = this.taskManagerDaemons[index];
    if (daemon === undefined || this.jobManager === undefined) throw new Error(`no taskmanager-${index + 1}`);
    const pid = daemon.process.pid;
    // The JobManager hears of it first, so that the failover it starts names the fault.
    await this.jobManager.request('faultInjected', {
      fault: fault.index,
      taskManager: index,
      timeMs: this.io.clock.now(),
    } satisfies FaultInjected);
    const now = this.io.clock.now();
    if (fault.kind === 'kill-taskmanager') {
      daemon.process.kill('SIGKILL');
      listener.event({
        fault: fault.index,
        type: 'injected',
        timeMs: now,
        detail: `taskmanager-${index + 1} (pid ${pid}) killed: SIGKILL`,
      });
      return;
    }
    const ms = fault.durationMs ?? 0;
    daemon.process.kill('SIGSTOP');
    listener.event({
      fault: fault.index,
      type: 'injected',
      timeMs: now,
      detail: `taskmanager-${index + 1} (pid ${pid}) paused for ${ms} ms: SIGSTOP`,
    });
    setTimeout(() => {
      if (daemon.process.exitCode === null && daemon.process.signalCode === null) daemon.process.kill('SIGCONT');
      if (this.faultsSeen.has(fault.index)) return; // lost and failed over: the JobManager reported the steps
      this.jobManager?.send('faultCleared', { taskManager: index });
      listener.event({
        fault: fault.index,
        type: 'detected',
        timeMs: this.io.clock.now(),
        detail: 'the pause ended (SIGCONT) before the heartbeat timeout: the job went on',
      });
    }, ms);
  }

  stats(): StandaloneFlinkStats {
    const nodes = this.jobGraph.streamGraph.nodes;
    // The final reports once the job finished; until then, each running slot's latest figures.
    const f = this.finished;
    const reports = (f ? this.reports.filter((r) => r.attempt === f.attempt) : [...this.progress.values()]).sort((a, b) => a.slot - b.slot);
    const windows = { lateRecordsDropped: 0, windowsFired: 0, earlyResults: 0, windowStateEntries: 0 };
    for (const r of reports) {
      windows.lateRecordsDropped += r.windows.lateRecordsDropped;
      windows.windowsFired += r.windows.windowsFired;
      windows.earlyResults += r.windows.earlyResults;
      windows.windowStateEntries += r.windows.windowStateEntries;
    }
    const recovery = this.finished?.recovery;
    return {
      deployment: 'standalone',
      objectReuse: this.config.objectReuse,
      chains: this.jobGraph.vertices.map((v) => ({
        task: v.name,
        operators: v.operatorIds.map((id) => nodes[id].node.name),
        parallelism: v.parallelism,
      })),
      tasks: reports.flatMap((r) => r.tasks),
      buffers: sumBuffers(reports.map((r) => r.buffers)),
      checkpoints: this.finished?.checkpoints ?? this.liveCheckpoints.checkpoints ?? [],
      checkpointSummary: this.finished?.checkpointSummary ??
        this.liveCheckpoints.checkpointSummary ?? {
          interval: this.config.checkpointInterval,
          mode: this.config.checkpointMode,
          completed: 0,
          failed: 0,
          skippedTicks: 0,
          latestCompletedId: null,
          directory: null,
          temporaryDirectory: null,
        },
      slots: {
        taskManagers: this.taskManagers,
        slotsPerTaskManager: this.config.slotsPerTaskManager,
        required: slotRequirements(this.jobGraph).required,
      },
      ...windows,
      ...(recovery
        ? {
            recovery: {
              ...recovery,
              relaunchedTaskManagers: this.relaunches,
              ...(this.transactional
                ? { transactionsCommitted: this.transactional.commits, repeatedCommits: this.transactional.repeatedCommits }
                : {}),
            },
          }
        : {}),
      cluster: {
        daemons: this.daemonStatus,
        startup: { ...this.startup },
        network: {
          connections: this.finished?.connections ?? 0,
          socketMessages: this.finished?.socketMessages ?? 0,
          socketBytes: this.finished?.socketBytes ?? 0,
          portMessages: reports.reduce((n, r) => n + r.portMessages, 0),
        },
      },
    };
  }
}

function sumBuffers(all: readonly FlinkBufferStats[]): FlinkBufferStats {
  const sum: FlinkBufferStats = {
    sent: 0,
    avgFillRatio: 0,
    flushedByTimeout: 0,
    flushedFull: 0,
    flushedByEvent: 0,
    events: 0,
    bytesSent: 0,
    remoteBuffers: 0,
    maxOverdraftBuffers: 0,
  };
  let fill = 0;
  for (const b of all) {
    sum.sent += b.sent;
    fill += b.avgFillRatio * b.sent;
    sum.flushedByTimeout += b.flushedByTimeout;
    sum.flushedFull += b.flushedFull;
    sum.flushedByEvent += b.flushedByEvent;
    sum.events += b.events;
    sum.bytesSent += b.bytesSent;
    sum.remoteBuffers += b.remoteBuffers;
    sum.maxOverdraftBuffers = Math.max(sum.maxOverdraftBuffers, b.maxOverdraftBuffers);
  }
  sum.avgFillRatio = sum.sent === 0 ? 0 : Math.round((fill / sum.sent) * 10000) / 10000;
  return sum;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
