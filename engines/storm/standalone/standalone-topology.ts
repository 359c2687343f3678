/**
 * The driver side of Storm's standalone deployment, in the harness's process: it starts the cluster as
 * `storm nimbus` and `storm supervisor` would (a Nimbus process, then `storm.supervisors` supervisor
 * processes of `storm.slotsPerSupervisor` slots), serves the run's event log and sinks to the workers,
 * submits the topology to Nimbus, and is the {@link RunningJob} the harness holds. Every process it
 * started ends on every way the run ends; one that dies fails the run at once, with its reason.
 *
 * User code cannot travel, so the submission carries the dataflow's recipe: Nimbus and every worker
 * rebuild the same topology from it and check that they get the driver's assignment.
 */
import type { Dataflow, EngineOptions, RunIO, RunningJob, SinkSet } from '../../api/index.js';
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
  onFirstRecord,
} from '../../runtime/cluster/index.js';
import { resolveConfig, type StormConfig } from '../config.js';
import { submitTopology } from '../daemon/nimbus.js';
import { lowerDataflow } from '../lowering/dataflow-to-topology.js';
import type { StormEngineStats } from '../metrics/engine-stats.js';
import { assignmentDigest } from './assignment-digest.js';
import { mergeWorkerStats } from './merge-stats.js';
import type { SubmitAnswer, SubmitTopology, WorkerReport } from './protocol.js';

/** Polls Nimbus for its daemons' status this often (ms), for live stats. */
const STATUS_POLL_MS = 1000;
/** How long a failure reported by Nimbus waits for a daemon's exit that explains it better (ms). */
const EXIT_GRACE_MS = 300;
/** How long stop() waits for the workers' final figures before it stops them anyway (ms). */
const REPORT_WAIT_MS = 3000;

/** Storm's figures plus the standalone deployment's processes, as Flink's standalone reports them. */
export type StormStandaloneStats = StormEngineStats & {
  deployment: 'standalone';
  cluster: {
    daemons: DaemonStatus[];
    startup: { clusterReadyMs: number | null; firstRecordMs: number | null };
    network: { connections: number; socketMessages: number; socketBytes: number };
  };
};

export class StandaloneTopology implements RunningJob<StormEngineStats> {
  private readonly reports: WorkerReport[] = [];
  private daemonStatus: DaemonStatus[] = [];
  private allDone = false;
  private workers: number | undefined;
  private failure: Error | undefined;
  private settle: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private readonly done: Promise<void>;
  private readonly daemons: Daemon[] = [];
  private nimbus: ControlChannel | undefined;
  private ending = false;
  private stopping: Promise<void> | undefined;
  private poll: NodeJS.Timeout | undefined;
  private readonly startup = { clusterReadyMs: null as number | null, firstRecordMs: null as number | null };
  private readonly driver: ControlServer;
  private readonly t0: number;

  private constructor(
    private readonly io: RunIO,
    private readonly config: StormConfig,
    sinkNames: readonly string[],
  ) {
    this.t0 = io.clock.now();
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => {});
    const sinks = this.noteFirstRecord(io.sinks);
    this.driver = new ControlServer({ name: 'driver' }, (channel) => {
      serveEventLog(channel, io.log);
      serveSinks(channel, sinks, sinkNames);
      channel.on('workerDone', (report: WorkerReport) => {
        this.reports.push(report);
        for (const [op, n] of Object.entries(report.lateByOperator)) io.metrics.lateRecordsDropped(op, n);
        this.maybeDone();
      });
    });
  }

  /** Starts the cluster and submits the topology; resolves once every worker runs. @throws Error (one line) */
  static async start(flow: Dataflow, io: RunIO, opts: EngineOptions): Promise<StandaloneTopology> {
    const recipe = opts.dataflowRecipe;
    if (recipe === undefined) throw new Error('storm: the standalone deployment needs the dataflow recipe (EngineOptions.dataflowRecipe)');
    const config = resolveConfig(opts.values, { parallelism: opts.parallelism, deployment: 'standalone' });
    // The driver's own assignment: bad topologies fail here, before any process starts.
    const assignment = submitTopology(lowerDataflow(flow, opts.parallelism, config), config);
    const job = new StandaloneTopology(
      io,
      config,
      flow.sinks.map((s) => s.name),
    );
    try {
      await job.launch({
        recipe,
        parallelism: opts.parallelism,
        values: opts.values,
        driverPort: 0,
        epochOffsetMs: epochOffsetOf(io.clock),
        supervisors: config.supervisors,
        assignmentDigest: assignmentDigest(assignment),
      });
    } catch (err) {
      const message = job.failure?.message ?? (err as Error).message;
      await job.shutDown();
      throw new Error(message.startsWith('storm: ') ? message : `storm: ${message}`);
    }
    return job;
  }

  private async launch(submission: SubmitTopology): Promise<void> {
    const driverPort = await this.driver.listen(0);
    const v = submission.values;
    const epoch = `--epoch-offset=${submission.epochOffsetMs}`;
    const nimbus = this.watch(
      launchDaemon({
        name: 'nimbus',
        modulePath: compiledEntry('engines/storm/standalone/nimbus-main.js'),
        args: [`--port=${v.nimbusPort ?? 0}`, epoch, `--supervisor-timeout=${v.supervisorTimeout}`],
      }),
    );
    const port = await this.untilFailed(
      new Promise<number>((resolve, reject) =>
        nimbus.process.on('message', (m: { type: string; port?: number; message?: string }) => {
          if (m.type === 'ready') resolve(m.port as number);
          else reject(new Error(m.message));
        }),
      ),
    );
    for (let i = 0; i < this.config.supervisors; i++) {
      this.watch(
        launchDaemon({
          name: `supervisor-${i + 1}`,
          modulePath: compiledEntry('engines/storm/standalone/supervisor-main.js'),
          args: [
            `--index=${i}`,
            `--slots=${this.config.slotsPerSupervisor}`,
            `--nimbus-port=${port}`,
            `--heartbeat-interval=${v.supervisorHeartbeatFrequency}`,
            epoch,
          ],
        }),
      );
    }
    const channel = await this.untilFailed(connectControl(port, { name: 'client' }));
    this.nimbus = channel;
    channel.on('topologyDone', (b: { daemons: DaemonStatus[] }) => {
      this.allDone = true;
      this.daemonStatus = b.daemons;
      this.maybeDone();
    });
    channel.on('topologyFailed', (b: { message: string }) => this.failSoon(b.message));
    channel.onClose(() => {
      if (!this.ending) this.fail(new Error('storm: the connection to Nimbus closed'));
    });
    const answer = await this.untilFailed(
      channel.request<SubmitAnswer>('submitTopology', { ...submission, driverPort }, Number(v.workerStartTimeout) * 3 + 60_000),
    );
    this.startup.clusterReadyMs = round(answer.activatedAt - this.t0);
    this.workers = answer.workers;
    this.poll = setInterval(() => {
      channel.request<DaemonStatus[]>('clusterStatus', null, STATUS_POLL_MS * 5).then(
        (d) => {
          if (!this.allDone) this.daemonStatus = d;
        },
        () => {},
      );
    }, STATUS_POLL_MS);
    this.poll.unref();
    this.maybeDone();
  }

  /** Keeps the daemon, and fails the run when it ends before the run did. */
  private watch(daemon: Daemon): Daemon {
    this.daemons.push(daemon);
    void daemon.exited.then((exit) => {
      if (!this.ending) this.fail(new Error(`storm: ${daemon.describeExit(exit)}`));
    });
    return daemon;
  }

  private untilFailed<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.done.then(() => promise)]);
  }

  private noteFirstRecord(sinks: SinkSet): SinkSet {
    return onFirstRecord(sinks, () => (this.startup.firstRecordMs = round(this.io.clock.now() - this.t0)));
  }

  private maybeDone(): void {
    if (!this.allDone || this.workers === undefined || this.reports.length < this.workers) return;
    void this.shutDown().then(() => this.settle?.resolve());
  }

  /** A worker reported dead by its supervisor: its exit, when it comes within a moment, says more. */
  private failSoon(message: string): void {
    setTimeout(() => this.fail(new Error(message.startsWith('storm: ') ? message : `storm: ${message}`)), EXIT_GRACE_MS);
  }

  private fail(err: Error): void {
    if (this.failure || this.ending) return;
    this.failure = err;
    void this.shutDown().then(() => this.settle?.reject(err));
  }

  drained(): Promise<void> {
    return this.done;
  }

  async stop(): Promise<void> {
    // Stopped before the end (a drain that timed out): the workers' figures first, for the results file.
    if (!this.ending && this.workers !== undefined && this.reports.length < this.workers) {
      this.nimbus?.send('stopWorkers');
      const deadline = Date.now() + REPORT_WAIT_MS;
      while (this.reports.length < this.workers && Date.now() < deadline && !this.ending) await new Promise((r) => setTimeout(r, 20));
    }
    await this.shutDown();
    this.settle?.resolve();
  }

  /** Stops every daemon (SIGTERM, then SIGKILL; supervisors stop their workers first) and the driver's server. */
  private shutDown(): Promise<void> {
    this.stopping ??= this.stopEverything();
    return this.stopping;
  }

  private async stopEverything(): Promise<void> {
    this.ending = true;
    if (this.poll) clearInterval(this.poll);
    this.nimbus?.send('shutdown');
    // Supervisors first: they take their workers down with them.
    await Promise.all(this.daemons.filter((d) => d.name !== 'nimbus').map((d) => d.stop(2000)));
    await Promise.all(this.daemons.map((d) => d.stop(2000)));
    this.nimbus?.destroy();
    await this.driver.close();
  }

  stats(): StormStandaloneStats {
    const merged = mergeWorkerStats(this.reports) ?? emptyStats(this.config);
    return {
      ...merged,
      deployment: 'standalone',
      cluster: {
        daemons: this.daemonStatus,
        startup: { ...this.startup },
        network: {
          connections: this.reports.reduce((n, r) => n + r.connections, 0) / 2,
          socketMessages: this.reports.reduce((n, r) => n + r.socketMessages, 0),
          socketBytes: this.reports.reduce((n, r) => n + r.socketBytes, 0),
        },
      },
    };
  }
}

/** Before the workers reported: the shape with nothing counted yet. */
function emptyStats(config: StormConfig): StormEngineStats {
  return {
    flavour: config.flavour,
    windowing: config.windowing,
    completeLatencyMs: null,
    acked: 0,
    failed: 0,
    replayed: 0,
    timedOut: 0,
    bolts: [],
    queues: [],
    assignment: {
      workers: config.workers,
      supervisors: config.supervisors,
      executors: 0,
      ackers: config.ackers,
      supervisorsUsed: 0,
      scheduler: '',
    },
    lateRecordsDropped: 0,
    acker: null,
    transfer: { remoteTuples: 0, messages: 0, bytes: 0, backpressureFlags: 0 },
    batches: 0,
    throttle: null,
    spoutPending: 0,
    windows: [],
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
