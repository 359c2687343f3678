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
  DriverRun,
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
  /** The run's promise, its first failure, and the one shutdown. */
  private readonly run = new DriverRun('storm', () => this.stopEverything());
  private readonly daemons: Daemon[] = [];
  private nimbus: ControlChannel | undefined;
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
      const message = job.run.failure?.message ?? (err as Error).message;
      await job.run.shutDown();
      throw new Error(job.run.oneLine(message));
    }
    return job;
  }

  private async launch(submission: SubmitTopology): Promise<void> {
    const driverPort = await this.driver.listen(0);
    const v = submission.values;
    const epoch = `--epoch-offset=${submission.epochOffsetMs}`;
    const nimbus = this.keep(
      launchDaemon({
        name: 'nimbus',
        modulePath: compiledEntry('engines/storm/standalone/nimbus-main.js'),
        args: [`--port=${v.nimbusPort ?? 0}`, epoch, `--supervisor-timeout=${v.supervisorTimeout}`],
      }),
    );
    const port = await this.run.untilFailed(
      new Promise<number>((resolve, reject) =>
        nimbus.process.on('message', (m: { type: string; port?: number; message?: string }) => {
          if (m.type === 'ready') resolve(m.port as number);
          else reject(new Error(m.message));
        }),
      ),
    );
    for (let i = 0; i < this.config.supervisors; i++) {
      this.keep(
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
    const channel = await this.run.untilFailed(connectControl(port, { name: 'client' }));
    this.nimbus = channel;
    channel.on('topologyDone', (b: { daemons: DaemonStatus[] }) => {
      this.allDone = true;
      this.daemonStatus = b.daemons;
      this.maybeDone();
    });
    // A worker reported dead by its supervisor: its exit, when it comes within a moment, says more.
    channel.on('topologyFailed', (b: { message: string }) => this.run.failSoon(b.message));
    channel.onClose(() => {
      if (!this.run.ending) this.run.fail('the connection to Nimbus closed');
    });
    const answer = await this.run.untilFailed(
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
  private keep(daemon: Daemon): Daemon {
    this.daemons.push(daemon);
    return this.run.watch(daemon);
  }

  private noteFirstRecord(sinks: SinkSet): SinkSet {
    return onFirstRecord(sinks, () => (this.startup.firstRecordMs = round(this.io.clock.now() - this.t0)));
  }

  private maybeDone(): void {
    if (!this.allDone || this.workers === undefined || this.reports.length < this.workers) return;
    void this.run.finish();
  }

  drained(): Promise<void> {
    return this.run.done;
  }

  async stop(): Promise<void> {
    // Stopped before the end (a drain that timed out): the workers' figures first, for the results file.
    if (!this.run.ending && this.workers !== undefined && this.reports.length < this.workers) {
      this.nimbus?.send('stopWorkers');
      const deadline = Date.now() + REPORT_WAIT_MS;
      while (this.reports.length < this.workers && Date.now() < deadline && !this.run.ending) await new Promise((r) => setTimeout(r, 20));
    }
    await this.run.finish();
  }

  /** Stops every daemon (SIGTERM, then SIGKILL; supervisors stop their workers first) and the driver's server; once, through {@link DriverRun}. */
  private async stopEverything(): Promise<void> {
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
