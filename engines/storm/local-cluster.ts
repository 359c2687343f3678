/**
 * Storm's `LocalCluster`: Nimbus, the supervisors and their workers in one process. `submitTopology` runs
 * Nimbus (validation, system topology, assignment), has each supervisor launch its workers, builds the
 * executors in them with their groupings and collectors, and starts everything on one shared scheduler:
 * one task per executor, plus each worker's transfer and receive paths.
 *
 * A bounded input finishes when every spout has emitted everything and seen its trees complete, and every
 * bolt task has seen end of stream from all its inputs.
 */
import type { Clock, MetricsRecorder, RunningJob } from '../api/index.js';
import { Scheduler } from '../runtime/index.js';
import type { StormConfig, StormTestHooks } from './config.js';
import { submitTopology, type TopologyAssignment } from './daemon/nimbus.js';
import { Supervisor } from './daemon/supervisor.js';
import type { Worker } from './daemon/worker/worker.js';
import { WorkerReceiver } from './daemon/worker/worker-receiver.js';
import { WorkerTransfer } from './daemon/worker/worker-transfer.js';
import { BoltExecutor, BoltTask } from './executor/bolt-executor.js';
import type { Executor, ExecutorHost } from './executor/executor.js';
import { BoltOutputCollector, SpoutOutputCollectorImpl } from './executor/output-collector.js';
import { SpoutExecutor, SpoutTask } from './executor/spout-executor.js';
import { TaskRouter, type OutEdge } from './executor/task-router.js';
import { mkGrouper } from './grouping/grouper-factory.js';
import { BackpressureTrigger } from './jstorm/backpressure-trigger.js';
import { buildEngineStats, type StormEngineStats } from './metrics/engine-stats.js';
import type { TopologyContext } from './topology/components.js';
import type { StormTopology } from './topology/topology.js';

export interface SubmitOptions {
  readonly hooks?: StormTestHooks;
}

/**
 * The standalone deployment: each worker is its own process, and this one hosts worker `hosted` only.
 * The other workers exist here as addresses: transfer messages and backpressure statuses for them leave
 * through these calls (standalone/worker-main.ts sends them over TCP).
 */
export interface RemoteWorkers {
  /** Index of the worker this process hosts. */
  readonly hosted: number;
  /** Sends one serialized transfer message to worker `dest`. */
  sendTuples(dest: number, bytes: Uint8Array): void;
  /** Tells every other worker that `task` (of this worker) is backpressured, or no longer. */
  sendBackPressure(task: number, on: boolean): void;
  /** This worker's spouts and bolts are done; it runs on (its ackers serve the others) until stopped. */
  localEnd(): void;
}

/** A submitted, running topology. */
export class RunningTopology implements RunningJob<StormEngineStats>, ExecutorHost {
  readonly scheduler: Scheduler;
  readonly workers: Worker[] = [];
  readonly transfers: WorkerTransfer[] = [];
  readonly receivers: WorkerReceiver[] = [];
  readonly executors: Executor[] = [];
  readonly spoutExecutors: SpoutExecutor[] = [];
  readonly boltExecutors: BoltExecutor[] = [];
  readonly triggers: BackpressureTrigger[] = [];
  readonly supervisors: Supervisor[];
  readonly ackerTasks: readonly number[];
  readonly startedAt: number;
  private spoutsLeft = 0;
  private boltTasksLeft = 0;
  private ended = false;
  private endedAt = Number.NaN;
  private readonly finished: Promise<void>;
  private resolveFinished!: () => void;

  constructor(
    readonly assignment: TopologyAssignment,
    readonly clock: Clock,
    readonly metrics: MetricsRecorder,
    readonly hooks: StormTestHooks,
    /** Set in a standalone worker process: only that worker's executors run here. */
    readonly remote?: RemoteWorkers,
  ) {
    this.finished = new Promise<void>((resolve) => (this.resolveFinished = resolve));
    this.scheduler = new Scheduler({ clock });
    this.ackerTasks = assignment.ackerTasks;
    this.startedAt = clock.now();
    const a = assignment;
    const config = a.config;

    // Supervisors launch the workers of their slots.
    this.supervisors = a.supervisors.map((s) => new Supervisor(s));
    const slotIndex = new Map(a.slots.map((s, i) => [s.id, i]));
    const taskWorker = new Int32Array(a.taskComponent.length).fill(-1);
    for (const e of a.executors) {
      const w = slotIndex.get(a.executorSlot.get(e.id)!.id)!;
      for (let t = e.startTask; t <= e.endTask; t++) taskWorker[t] = w;
    }
    for (const [i, slot] of a.slots.entries()) {
      const sup = this.supervisors.find((s) => s.info.id === slot.supervisor)!;
      this.workers.push(sup.launchWorker(i, slot, taskWorker, config.transferBufferSize));
    }
    for (const w of this.workers) {
      w.peers = this.workers;
      this.receivers.push(new WorkerReceiver(w, clock));
      this.transfers.push(new WorkerTransfer(w, config.transferBatchBytes));
    }
    for (const w of this.workers) w.receivers = this.receivers;
    if (remote) {
      // Other workers are other processes: their receive paths and backpressure flags are messages.
      const own = this.workers[remote.hosted];
      own.receivers = this.workers.map((_, i) =>
        i === remote.hosted ? this.receivers[i] : { receive: (_from, bytes) => remote.sendTuples(i, bytes) },
      );
      own.announceBackPressure = (task, on) => remote.sendBackPressure(task, on);
    }

    // Executors, placed in their workers.
    const totalTasks = a.taskComponent.length - 1;
    for (const e of a.executors) {
      const def = a.components.find((c) => c.id === e.component)!;
      if (remote && taskWorker[e.startTask] !== remote.hosted) continue;
      const worker = this.workers[taskWorker[e.startTask]];
      const ex = def.kind === 'spout' ? new SpoutExecutor(e, worker, this, totalTasks) : new BoltExecutor(e, worker, this, totalTasks);
      for (let t = e.startTask; t <= e.endTask; t++) worker.registerTask(t, ex.queue);
      this.executors.push(ex);
      if (ex instanceof SpoutExecutor) this.spoutExecutors.push(ex);
      else this.boltExecutors.push(ex as BoltExecutor);
    }

    // Tasks: routers, collectors, instances.
    for (const ex of this.executors) this.buildTasks(ex, taskWorker);
    this.spoutsLeft = this.spoutExecutors.length;

    // Start everything on the scheduler.
    for (const ex of this.executors) {
      const h = this.scheduler.spawn(ex.details.id, ex);
      ex.wake = h.wake;
      ex.mailbox.bind(h.wake);
    }
    this.workers.forEach((w, i) => {
      if (remote && i !== remote.hosted) return;
      const r = this.receivers[i];
      const rh = this.scheduler.spawn(`worker[${w.slot.id}]-receive`, r);
      r.wake = rh.wake;
      r.mailbox.bind(rh.wake);
      w.backPressure.bind(r.timers, config.backpressureCheckMs);
      const t = this.transfers[i];
      const th = this.scheduler.spawn(`worker[${w.slot.id}]-transfer`, t);
      t.wake = th.wake;
    });
    for (const s of this.spoutExecutors) s.startTimeouts();
    // A task that throws fails the scheduler (drained() rejects): stop the timers too.
    this.scheduler.done().then(undefined, () => this.shutdownTimers());
    for (const tr of this.triggers) tr.start();
    this.checkEnd();
  }

  get config(): StormConfig {
    return this.assignment.config;
  }

  private buildTasks(ex: Executor, taskWorker: Int32Array): void {
    const a = this.assignment;
    const def = a.components.find((c) => c.id === ex.details.component)!;
    const tasks = a.componentTasks.get(def.id)!;
    const instances: { context: TopologyContext; task: number }[] = [];
    for (let task = ex.details.startTask; task <= ex.details.endTask; task++) {
      const context: TopologyContext = {
        topologyName: a.name,
        componentId: def.id,
        taskId: task,
        taskIndex: tasks.indexOf(task),
        componentTasks: tasks,
        worker: ex.worker.slot.id,
        ackersEnabled: a.ackerTasks.length > 0,
        clock: this.clock,
        timers: ex.timers,
      };
      instances.push({ context, task });
    }
    if (ex instanceof SpoutExecutor) {
      ex.tasks = instances.map(({ context, task }) => {
        const st = new SpoutTask(task, ex);
        st.collector = new SpoutOutputCollectorImpl(ex, task, this.router(def.id, task, taskWorker), st);
        st.spout = (def as Extract<typeof def, { kind: 'spout' }>).create(context);
        st.spout.open(context, st.collector);
        return st;
      });
      return;
    }
    const bolt = def as Extract<typeof def, { kind: 'bolt' }>;
    const channelBase: number[] = [];
    const producerFirst: number[] = [];
    let channels = 0;
    for (const s of bolt.inputs) {
      const producers = a.componentTasks.get(s.component)!;
      channelBase.push(channels);
      producerFirst.push(producers[0]);
      channels += producers.length;
    }
    const bex = ex as BoltExecutor;
    bex.setTasks(
      instances.map(({ context, task }) => {
        const collector = new BoltOutputCollector(ex, task, this.router(def.id, task, taskWorker));
        const instance = bolt.create(context);
        if (!bolt.system) this.boltTasksLeft++;
        const bt = new BoltTask(task, instance, collector, channelBase, producerFirst, channels, a.config.windowing === 'incremental', () =>
          this.boltTaskFinished(),
        );
        instance.prepare(context, collector);
        return bt;
      }),
    );
    if (!bolt.system && a.masterTask !== null) this.triggers.push(new BackpressureTrigger(bex, a.masterTask, a.config));
  }

  /** Instantiates, for one producer task, the groupings of every subscription to its streams. */
  private router(component: string, task: number, taskWorker: Int32Array): TaskRouter {
    const a = this.assignment;
    const byStream = new Map<string, OutEdge[]>();
    for (const c of a.components) {
      if (c.kind !== 'bolt') continue;
      c.inputs.forEach((s, inputIndex) => {
        if (s.component !== component) return;
        const targets = a.componentTasks.get(c.id)!;
        const grouper = mkGrouper(s.grouping, {
          targets,
          isLocal: (t) => taskWorker[t] === taskWorker[task],
          producerTask: task,
          stream: s.stream,
        });
        let list = byStream.get(s.stream);
        if (list === undefined) byStream.set(s.stream, (list = []));
        list.push({ consumer: c.id, inputIndex, grouper, targets, direct: s.grouping.type === 'direct' });
      });
    }
    return new TaskRouter(byStream);
  }

  spoutExecutorFinished(): void {
    this.spoutsLeft--;
    this.checkEnd();
  }

  boltTaskFinished(): void {
    this.boltTasksLeft--;
    this.checkEnd();
  }

  private checkEnd(): void {
    if (this.spoutsLeft !== 0 || this.boltTasksLeft !== 0) return;
    if (this.remote) this.remote.localEnd();
    else this.end();
  }

  /** A transfer message from worker `from` (standalone: it came over TCP). */
  receiveRemote(from: number, bytes: Uint8Array): void {
    this.receivers[this.remote?.hosted ?? 0].receive(from, bytes);
  }

  /** Worker process `from`'s BackPressureStatus for its `task` (standalone). */
  remoteBackPressure(task: number, on: boolean): void {
    this.workers[this.remote?.hosted ?? 0].setRemoteBackPressure(task, on);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.endedAt = this.clock.now();
    this.shutdownTimers();
    this.scheduler.stop();
    this.resolveFinished();
  }

  /** No timer of the topology stays armed (a pending native timer would keep the process alive). */
  private shutdownTimers(): void {
    for (const ex of this.executors) ex.shutdown();
    for (const r of this.receivers) r.timers.shutdown();
  }

  drained(): Promise<void> {
    // The scheduler's done() rejects if a task threw, and resolves on stop (end or an explicit stop).
    return Promise.race([this.finished, this.scheduler.done()]);
  }

  async stop(): Promise<void> {
    this.end();
  }

  /**
   * The worker process is gone (killed, or an executor's uncaught exception took it down): every executor
   * stops where it stands, queues and pending trees vanish, nothing is flushed or acked; its timers go with it.
   */
  kill(): void {
    if (this.ended) return;
    this.ended = true;
    this.endedAt = this.clock.now();
    this.shutdownTimers();
    this.scheduler.stop();
  }

  /** True once the bounded input has been fully processed (or the topology was stopped). */
  get isEnded(): boolean {
    return this.ended;
  }

  stats(): StormEngineStats {
    const until = this.ended ? this.endedAt : this.clock.now();
    return buildEngineStats(this, Math.max(1e-3, until - this.startedAt));
  }
}

export class LocalCluster {
  constructor(
    private readonly clock: Clock,
    private readonly metrics: MetricsRecorder,
  ) {}

  /** Nimbus assigns the topology; the supervisors launch its workers; its executors start. */
  submitTopology(topology: StormTopology, config: StormConfig, options: SubmitOptions = {}): RunningTopology {
    const assignment = submitTopology(topology, config, { hooks: options.hooks });
    return new RunningTopology(assignment, this.clock, this.metrics, options.hooks ?? {});
  }
}
