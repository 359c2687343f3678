/**
 * The driver's side of the executor processes (Spark's CoarseGrainedSchedulerBackend and
 * HeartbeatReceiver in the driver): it listens on 127.0.0.1 (`spark.driverPort`), starts
 * `spark.executors` executor processes with the cluster runtime's daemon launcher, waits until each has
 * registered with all its cores (`spark.registrationTimeout`), serves the event log and the sinks to the
 * core threads, sends tasks and routes their status updates back to the driver's cores, watches the
 * executors' heartbeats (`spark.networkTimeout`), and reports an executor lost (its exit, its closed
 * connection, or its silence) as the run's failure. It also measures each remote task's launch cost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataflowRecipe, RunIO } from '../../api/index.js';
import {
  compiledEntry,
  ControlServer,
  epochOffsetOf,
  HeartbeatMonitor,
  launchDaemon,
  processFigures,
  serveEventLog,
  serveSinks,
  WithBytes,
  type ControlChannel,
  type Daemon,
  type DaemonStatus,
} from '../../runtime/cluster/index.js';
import type { MapStatus, RemoteBlockFetcher } from '../rdd/shuffle-manager.js';
import type { ExecutorConfig, ExecutorHeartbeat, FetchBlocks, LaunchTask, RegisterExecutor, StatusUpdate, TaskFailed } from './protocol.js';
import type { RemoteTaskEnd, TaskLauncher } from './remote-core.js';
import type { RemoteTask } from './remote-task.js';

export interface ExecutorClusterOptions {
  readonly recipe: DataflowRecipe;
  readonly executors: number;
  readonly coresPerExecutor: number;
  readonly sinkNames: readonly string[];
  readonly origins: ReadonlyMap<string, number>;
  readonly driverPort: number;
  readonly registrationTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly networkTimeoutMs: number;
  /** spark.local.dir: the run's temporary shuffle folder is made in it (default: the system temp dir). */
  readonly localDir: string | null;
}

/** Per-task launch cost (ms): driver submit -> executor start -> result back at the driver, minus the run itself. */
export interface TaskLaunchCost {
  readonly tasks: number;
  /** Driver handed it over -> a core started it. */
  readonly meanLaunchMs: number;
  /** The core ended it -> the driver had its result. */
  readonly meanResultMs: number;
  /** Both: what the process boundary adds per task (median and mean). */
  readonly p50OverheadMs: number;
  readonly meanOverheadMs: number;
  /** Mean time the task ran in the executor. */
  readonly meanRunMs: number;
}

interface ExecutorState {
  readonly daemon: Daemon;
  channel: ControlChannel | undefined;
  registered: boolean;
  heartbeats: number;
  lastHeartbeat: number | null;
  last: ExecutorHeartbeat | undefined;
  pid: number;
  /** Exited or silent before the run ended. */
  lost: boolean;
}

const KEEP_OVERHEADS = 10_000;
/** How often the driver asks its executors for their CPU and memory, for live stats (ms). */
const FIGURES_POLL_MS = 1000;
/** How long a closed executor connection waits for the executor's exit, which explains it better (ms). */
const EXIT_GRACE_MS = 300;

export class ExecutorCluster implements TaskLauncher {
  private readonly server: ControlServer;
  private readonly executors: ExecutorState[] = [];
  private readonly inFlight = new Map<number, { end: RemoteTaskEnd; launchedAt: number }>();
  private readonly monitor: HeartbeatMonitor;
  private readonly epochOffsetMs: number;
  private ending = false;
  private failure: Error | undefined;
  private onFailure: ((err: Error) => void) | undefined;
  /** Tasks run on executors, and tasks that could not travel and ran in the driver. */
  tasksOnExecutors = 0;
  tasksOnDriver = 0;
  private sums = { launch: 0, result: 0, run: 0 };
  private readonly overheads: number[] = [];
  readonly startup = { executorsRegisteredMs: null as number | null };
  port = 0;
  /** The run's shuffle folder (each executor writes in its own folder inside), removed at the end. */
  shuffleDir: string | undefined;

  constructor(
    private readonly io: RunIO,
    private readonly options: ExecutorClusterOptions,
  ) {
    this.epochOffsetMs = epochOffsetOf(io.clock);
    this.monitor = new HeartbeatMonitor(io.clock, options.networkTimeoutMs, (peer, silent) => {
      const lost = this.executors.find((e) => e.daemon.name === peer);
      if (lost) lost.lost = true;
      this.fail(new Error(`spark: ${peer} lost: no heartbeat for ${Math.round(silent)} ms (spark.networkTimeout)`));
    });
    this.server = new ControlServer({ name: 'driver' }, (channel) => this.accept(channel));
  }

  get origins(): ReadonlyMap<string, number> {
    return this.options.origins;
  }

  /** Called once with the first failure (an executor lost, a core thread dead, a bad status update). */
  set failureListener(listener: (err: Error) => void) {
    this.onFailure = listener;
    if (this.failure) listener(this.failure);
  }

  /** Listens, starts the executors and resolves once every one registered. @throws Error (one line) */
  async start(): Promise<void> {
    const t0 = this.io.clock.now();
    this.port = await this.server.listen(this.options.driverPort);
    const localDir = this.options.localDir ?? tmpdir();
    try {
      this.shuffleDir = mkdtempSync(join(localDir, 'streamarena-spark-shuffle-'));
    } catch (err) {
      throw new Error(
        `spark.shuffleDir: cannot make a folder in ${localDir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
    // However this process ends (the executors are killed then, and cannot clean up), the folder goes.
    const dir = this.shuffleDir;
    this.removeOnExit = () => rmSync(dir, { recursive: true, force: true });
    process.once('exit', this.removeOnExit);
    const registered = new Promise<void>((resolve, reject) => {
      this.allRegistered = resolve;
      this.startFailed = reject;
    });
    for (let i = 0; i < this.options.executors; i++) {
      const daemon = launchDaemon({
        name: `executor-${i}`,
        modulePath: compiledEntry('engines/spark/standalone/executor-main.js'),
        args: [
          `--index=${i}`,
          `--cores=${this.options.coresPerExecutor}`,
          `--driver-port=${this.port}`,
          `--shuffle-dir=${this.shuffleDir}`,
        ],
      });
      const state: ExecutorState = {
        daemon,
        channel: undefined,
        registered: false,
        heartbeats: 0,
        lastHeartbeat: null,
        last: undefined,
        pid: daemon.pid,
        lost: false,
      };
      this.executors.push(state);
      void daemon.exited.then((exit) => {
        if (!this.ending) state.lost = true;
        if (!this.ending) this.fail(new Error(`spark: executor lost: ${daemon.describeExit(exit)}`));
      });
    }
    const timeout = this.options.registrationTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const missing = this.executors.filter((e) => !e.registered).map((e) => e.daemon.name);
        reject(new Error(`spark: ${missing.join(', ')} did not register with the driver within ${timeout} ms (spark.registrationTimeout)`));
      }, timeout);
    });
    try {
      await Promise.race([registered, timedOut]);
    } finally {
      clearTimeout(timer);
    }
    this.startup.executorsRegisteredMs = Math.round((this.io.clock.now() - t0) * 10) / 10;
    // Heartbeats come every 10 s (Spark's default): the live dashboard polls the executors' figures more often.
    this.poll = setInterval(() => {
      for (const e of this.executors) {
        e.channel?.request<ExecutorHeartbeat>('figures', null, FIGURES_POLL_MS * 5).then(
          (f) => {
            if (!this.ending) e.last = f;
          },
          () => {},
        );
      }
    }, FIGURES_POLL_MS);
    this.poll.unref();
  }

  private poll: NodeJS.Timeout | undefined;
  private removeOnExit: (() => void) | undefined;

  private allRegistered: (() => void) | undefined;
  private startFailed: ((err: Error) => void) | undefined;

  private accept(channel: ControlChannel): void {
    const executor = /^executor-(\d+)$/.exec(channel.peerName);
    if (executor) {
      this.acceptExecutor(Number(executor[1]), channel);
      return;
    }
    // A core thread: it reads the log, writes the sinks and reports its tasks.
    serveEventLog(channel, this.io.log);
    serveSinks(channel, this.io.sinks, this.options.sinkNames);
    channel.on('statusUpdate', (u: WithBytes<StatusUpdate>) => this.statusUpdate(u.meta, u.bytes));
    channel.on('taskFailed', (f: TaskFailed) => {
      const entry = this.inFlight.get(f.taskId);
      if (entry === undefined) return;
      this.inFlight.delete(f.taskId);
      entry.end.failed(f.message);
    });
  }

  private acceptExecutor(index: number, channel: ControlChannel): void {
    const state = this.executors[index];
    if (state === undefined) {
      channel.destroy();
      return;
    }
    state.channel = channel;
    const name = `executor-${index}`;
    channel.handle(
      'executorConfig',
      (): ExecutorConfig => ({
        recipe: this.options.recipe,
        epochOffsetMs: this.epochOffsetMs,
        heartbeatIntervalMs: this.options.heartbeatIntervalMs,
      }),
    );
    channel.handle('registerExecutor', (r: RegisterExecutor) => {
      if (r.cores !== this.options.coresPerExecutor)
        throw new Error(`${name} offers ${r.cores} cores, ${this.options.coresPerExecutor} expected`);
      state.registered = true;
      state.pid = r.pid;
      this.monitor.monitor(name);
      if (this.executors.every((e) => e.registered)) this.allRegistered?.();
      return true;
    });
    channel.on('heartbeat', (h: ExecutorHeartbeat) => {
      state.heartbeats++;
      state.lastHeartbeat = this.io.clock.now();
      state.last = h;
      this.monitor.received(name, h);
    });
    // An executor that died closes its connection before this process has reaped it; its exit (signal,
    // last error line) says more, so it wins when it comes within a moment.
    channel.onClose(() => {
      if (this.ending) return;
      setTimeout(() => this.fail(new Error(`spark: ${name} lost: its connection to the driver closed`)), EXIT_GRACE_MS).unref();
    });
  }

  launch(executor: number, core: number, task: RemoteTask, end: RemoteTaskEnd): void {
    const channel = this.executors[executor]?.channel;
    if (channel === undefined || channel.isClosed) {
      end.failed(`executor-${executor} is not connected`);
      return;
    }
    this.inFlight.set(task.taskId, { end, launchedAt: task.launchedAt });
    channel.send('launchTask', { core, task } satisfies LaunchTask);
  }

  ranOnDriver(): void {
    this.tasksOnDriver++;
  }

  /**
   * Fetches one reducer's blocks of map outputs held by executors: one request per executor, over its
   * connection (the driver's reducers are remote to every executor), split back into chunks by the
   * lengths the map statuses registered.
   */
  readonly fetchBlocks: RemoteBlockFetcher = async (shuffleId, reduceId, statuses) => {
    const byExecutor = new Map<number, MapStatus[]>();
    for (const s of statuses) {
      const e = (s.location as NonNullable<MapStatus['location']>).executor;
      let list = byExecutor.get(e);
      if (list === undefined) byExecutor.set(e, (list = []));
      list.push(s);
    }
    const fetched = new Map<MapStatus, Uint8Array[]>();
    await Promise.all(
      [...byExecutor].map(async ([executor, list]) => {
        const channel = this.executors[executor]?.channel;
        if (channel === undefined || channel.isClosed) throw new Error(`executor-${executor} is gone`);
        const maps = list.map((s) => {
          const lengths = (s.location as NonNullable<MapStatus['location']>).chunkLengths;
          let offset = 0;
          for (let r = 0; r < reduceId; r++) for (const n of lengths[r]) offset += n;
          const length = lengths[reduceId].reduce((a, b) => a + b, 0);
          return { mapId: s.mapId, offset, length };
        });
        const answer = await channel.request<WithBytes>('shuffle.fetch', { shuffleId, reduceId, maps } satisfies FetchBlocks);
        let at = 0;
        for (const s of list) {
          const chunks: Uint8Array[] = [];
          for (const n of (s.location as NonNullable<MapStatus['location']>).chunkLengths[reduceId]) {
            chunks.push(answer.bytes.subarray(at, at + n));
            at += n;
          }
          fetched.set(s, chunks);
        }
      }),
    );
    return statuses.map((s) => fetched.get(s) ?? []);
  };

  /** The driver dropped a shuffle: every executor deletes its files. */
  removeShuffle(shuffleId: number): void {
    for (const e of this.executors) e.channel?.send('removeShuffle', { shuffleId });
  }

  private statusUpdate(u: StatusUpdate, result: Uint8Array): void {
    const entry = this.inFlight.get(u.taskId);
    if (entry === undefined) return;
    this.inFlight.delete(u.taskId);
    const now = this.io.clock.now();
    const launch = u.startedAt - entry.launchedAt;
    const back = now - u.endedAt;
    this.tasksOnExecutors++;
    this.sums.launch += launch;
    this.sums.result += back;
    this.sums.run += u.endedAt - u.startedAt;
    if (this.overheads.length < KEEP_OVERHEADS) this.overheads.push(launch + back);
    entry.end.completed(result, u.mapOutput);
  }

  launchCost(): TaskLaunchCost {
    const n = this.tasksOnExecutors;
    const sorted = [...this.overheads].sort((a, b) => a - b);
    const r = (v: number) => Math.round(v * 1000) / 1000;
    return {
      tasks: n,
      meanLaunchMs: n === 0 ? 0 : r(this.sums.launch / n),
      meanResultMs: n === 0 ? 0 : r(this.sums.result / n),
      p50OverheadMs: sorted.length === 0 ? 0 : r(sorted[Math.floor(sorted.length / 2)]),
      meanOverheadMs: n === 0 ? 0 : r((this.sums.launch + this.sums.result) / n),
      meanRunMs: n === 0 ? 0 : r(this.sums.run / n),
    };
  }

  /** The driver and each executor, as the live dashboard and results show daemons. */
  daemons(): DaemonStatus[] {
    const driver: DaemonStatus = { name: 'driver', ...processFigures(), lastHeartbeat: null, heartbeats: 0, alive: true };
    const status = new Map(this.monitor.status().map((s) => [s.peer, s]));
    return [
      driver,
      ...this.executors.map((e): DaemonStatus => {
        const f = e.last?.figures;
        return {
          name: e.daemon.name,
          pid: e.pid,
          cpuUserMs: f?.cpuUserMs ?? 0,
          cpuSystemMs: f?.cpuSystemMs ?? 0,
          rssBytes: f?.rssBytes ?? 0,
          heapUsedBytes: f?.heapUsedBytes ?? 0,
          lastHeartbeat: e.lastHeartbeat,
          heartbeats: e.heartbeats,
          // An executor stopped at the end of the run was alive to the end.
          alive: !e.lost && (this.ending || (e.daemon.isRunning && (status.has(e.daemon.name) || !e.registered))),
        };
      }),
    ];
  }

  /** Asks each executor for its figures now (the final CPU of the run), waiting at most `ms`. */
  private async finalFigures(ms = 1000): Promise<void> {
    await Promise.all(
      this.executors.map(async (e) => {
        if (e.channel === undefined || e.channel.isClosed) return;
        try {
          e.last = await e.channel.request<ExecutorHeartbeat>('figures', null, ms);
          e.lastHeartbeat = this.io.clock.now();
        } catch {
          // gone or busy: its last heartbeat stays
        }
      }),
    );
  }

  private fail(err: Error): void {
    if (this.failure || this.ending) return;
    this.failure = err;
    this.startFailed?.(err);
    this.onFailure?.(err);
  }

  /** Stops every executor (SIGTERM, then SIGKILL) and the driver's server. */
  async stop(): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    this.monitor.stop();
    if (this.poll) clearInterval(this.poll);
    if (!this.failure) await this.finalFigures();
    for (const e of this.executors) e.channel?.send('shutdown');
    await Promise.all(this.executors.map((e) => e.daemon.stop(2000)));
    await this.server.close();
    if (this.shuffleDir) rmSync(this.shuffleDir, { recursive: true, force: true });
    if (this.removeOnExit) process.off('exit', this.removeOnExit);
  }
}
