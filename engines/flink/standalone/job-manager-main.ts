/**
 * The JobManager process. Its ResourceManager takes the TaskManagers' registrations (each offering its
 * slots) and heartbeats, and reports a TaskManager lost when it falls silent or disconnects; its
 * Dispatcher takes the client's job submission and hands it to a JobMaster
 * ({@link StandaloneJobMaster}), which builds the ExecutionGraph, allocates slots from those offered and
 * deploys the subtasks. It tells the client when the job finished or failed.
 */
import {
  ClusterClock,
  ControlServer,
  HeartbeatMonitor,
  processFigures,
  watchParent,
  type ControlChannel,
  type DaemonStatus,
  daemonArgs,
  numberArg,
} from '../../runtime/cluster/index.js';
import type { CheckpointReport, FaultInjected, RegisterTaskExecutor, SubmitJob, TaskManagerHeartbeat } from './protocol.js';
import { StandaloneJobMaster, type DetectedBy, type RegisteredTaskManager } from './standalone-job-master.js';

const args = daemonArgs();
/** A session cluster's JobManager (`streamarena cluster start`): it outlives its starter and runs job after job. */
const session = args.get('detached') === '1';
if (!session) watchParent();
const clock = new ClusterClock(numberArg(args, 'epoch-offset'));
const heartbeatTimeout = numberArg(args, 'heartbeat-timeout');

const taskManagers = new Map<number, RegisteredTaskManager>();
/** The pids a TaskManager index had before it was lost and started again (the dashboard shows it recovered). */
const previousPids = new Map<number, number[]>();
let registrationWaiters: (() => void)[] = [];
let jobMaster: StandaloneJobMaster | undefined;
let shuttingDown = false;

const monitor = new HeartbeatMonitor<TaskManagerHeartbeat>(clock, heartbeatTimeout, (peer, silentMs) => {
  const tm = [...taskManagers.values()].find((t) => t.name === peer && t.alive);
  if (tm) lose(tm, `no heartbeat for ${Math.round(silentMs)} ms (flink.heartbeatTimeout=${heartbeatTimeout})`, 'heartbeat timeout');
});

/** TaskManager `tm` is lost (once): the JobMaster's failover decides what happens to the job. */
function lose(tm: RegisteredTaskManager, why: string, detectedBy: DetectedBy): void {
  if (!tm.alive || taskManagers.get(tm.registration.index) !== tm) return;
  tm.alive = false;
  monitor.unmonitor(tm.name);
  // A TaskManager that is only silent (paused, hung) is disconnected, as Flink's ResourceManager does: it exits when it wakes.
  if (detectedBy === 'heartbeat timeout') tm.channel.destroy();
  jobMaster?.taskManagerLost(tm.registration.index, `${tm.name} (pid ${tm.registration.pid}) was lost: ${why}`, detectedBy);
}

function daemons(): DaemonStatus[] {
  const own: DaemonStatus = { name: 'jobmanager', ...processFigures(), lastHeartbeat: null, heartbeats: 0, alive: true };
  const beats = new Map(monitor.status().map((s) => [s.peer, s]));
  return [
    own,
    ...[...taskManagers.values()]
      .sort((a, b) => a.registration.index - b.registration.index)
      .map((t) => {
        const hb = beats.get(t.name);
        const figures = t.figures ?? { pid: t.registration.pid, cpuUserMs: 0, cpuSystemMs: 0, rssBytes: 0, heapUsedBytes: 0 };
        return {
          name: t.name,
          ...figures,
          lastHeartbeat: hb?.lastHeartbeat ?? t.lastHeartbeat,
          heartbeats: hb?.heartbeats ?? t.heartbeats,
          alive: t.alive,
          ...restartsOf(t.registration.index),
        };
      }),
  ];
}

function restartsOf(index: number): Pick<DaemonStatus, 'restarts' | 'previousPids'> {
  const pids = previousPids.get(index);
  return pids ? { restarts: pids.length, previousPids: pids } : {};
}

/** Resolves once `count` TaskManagers registered; rejects after `timeoutMs` naming the missing ones. */
function awaitRegistrations(count: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (aliveTaskManagers().length < count) return false;
      clearTimeout(timer);
      resolve();
      return true;
    };
    const timer = setTimeout(() => {
      registrationWaiters = registrationWaiters.filter((w) => w !== waiter);
      const missing = Array.from({ length: count }, (_, i) => i).filter((i) => taskManagers.get(i)?.alive !== true);
      reject(
        new Error(
          `flink: ${missing.length} of ${count} TaskManagers did not register with the ResourceManager within ${timeoutMs} ms (${missing
            .map((i) => `taskmanager-${i + 1}`)
            .join(', ')}; flink.registrationTimeout)`,
        ),
      );
    }, timeoutMs);
    const waiter = () => {
      if (check()) registrationWaiters = registrationWaiters.filter((w) => w !== waiter);
    };
    if (!check()) registrationWaiters.push(waiter);
  });
}

function aliveTaskManagers(): RegisteredTaskManager[] {
  return [...taskManagers.values()].filter((t) => t.alive).sort((a, b) => a.registration.index - b.registration.index);
}

function acceptTaskManager(channel: ControlChannel): void {
  const name = channel.peerName;
  let registered: RegisteredTaskManager | undefined;
  channel.handle('registerTaskExecutor', (reg: RegisterTaskExecutor) => {
    // A TaskManager started again after a loss registers under its index anew.
    const before = taskManagers.get(reg.index);
    if (before) previousPids.set(reg.index, [...(previousPids.get(reg.index) ?? []), before.registration.pid]);
    registered = { name, channel, registration: reg, alive: true, figures: undefined, lastHeartbeat: clock.now(), heartbeats: 0 };
    taskManagers.set(reg.index, registered);
    monitor.monitor(name);
    for (const w of [...registrationWaiters]) w();
    return { registered: true };
  });
  channel.on('heartbeat', (hb: TaskManagerHeartbeat) => {
    const tm = registered;
    if (tm === undefined || !tm.alive) return;
    monitor.received(name, hb);
    tm.figures = hb.figures;
    tm.lastHeartbeat = clock.now();
    tm.heartbeats++;
  });
  type Attempted<T> = T & { attempt: number };
  channel.on('slotFinished', (b: Attempted<{ slot: number }>) => jobMaster?.slotFinished(b.attempt, b.slot));
  channel.on('slotFailed', (b: Attempted<{ message: string }>) => jobMaster?.slotFailed(b.attempt, b.message));
  channel.on('checkpointAck', (r: Attempted<CheckpointReport>) => jobMaster?.checkpointReport(r));
  channel.on('checkpointDecline', (r: Attempted<CheckpointReport>) => jobMaster?.checkpointReport(r));
  channel.on('taskFinished', (r: Attempted<CheckpointReport>) => jobMaster?.checkpointReport(r));
  channel.onClose(() => {
    if (!shuttingDown && registered) lose(registered, 'its connection closed', 'broken connection');
  });
}

function acceptClient(channel: ControlChannel): void {
  channel.handle('submitJob', async (job: SubmitJob) => {
    if (jobMaster) throw new Error('flink: this cluster already runs a job');
    // A session cluster's job (taskManagers 0) takes the TaskManagers there are, at least one.
    await awaitRegistrations(Math.max(1, job.taskManagers), job.registrationTimeoutMs);
    const clusterReadyAt = clock.now();
    const resources = { alive: aliveTaskManagers, awaitTaskManagers: awaitRegistrations };
    const master = new StandaloneJobMaster(job, resources, clock, {
      failover: (event) => channel.send('failover', event),
      finished: (report) => {
        channel.send('jobFinished', { ...report, daemons: daemons() });
        endJob(master);
      },
      failed: (message) => {
        channel.send('jobFailed', { message });
        endJob(master);
      },
    });
    jobMaster = master;
    const slots = await jobMaster.deploy();
    return { slots, clusterReadyAt };
  });
  channel.handle('clusterStatus', () => daemons());
  // The client's live view of its job: the daemons and the checkpoints so far.
  channel.handle('jobStatus', () => ({ daemons: daemons(), ...(jobMaster?.checkpointView() ?? {}) }));
  channel.handle('faultInjected', (f: FaultInjected) => jobMaster?.faultInjected(f) ?? null);
  channel.on('faultCleared', (b: { taskManager: number }) => jobMaster?.faultCleared(b.taskManager));
  channel.on('shutdown', () => {
    if (!session) void shutdown(0);
  });
  channel.on('shutdownCluster', () => void shutdown(0));
  channel.onClose(() => {
    if (!session) void shutdown(0);
    else if (jobMaster !== undefined) jobMaster.fail('flink: the client disconnected');
  });
}

/** A session cluster frees the job's slots for the next one. */
function endJob(master: StandaloneJobMaster): void {
  if (!session || jobMaster !== master) return;
  jobMaster = undefined;
  for (const tm of aliveTaskManagers()) tm.channel.send('releaseSlots');
}

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  monitor.stop();
  for (const tm of taskManagers.values()) tm.channel.send('shutdown');
  // Give the one-way messages a moment to leave, then go (the TaskManagers also exit when this connection closes).
  setTimeout(() => process.exit(code), 50);
}

const server = new ControlServer({ name: 'jobmanager' }, (channel) => {
  if (channel.peerName.startsWith('taskmanager-')) acceptTaskManager(channel);
  else if (channel.peerName === 'client') acceptClient(channel);
  else channel.destroy();
});

server.listen(numberArg(args, 'port')).then(
  (port) => process.send?.({ type: 'ready', port }),
  (err: Error) => {
    process.stderr.write(`jobmanager: ${err.message}\n`);
    process.send?.({ type: 'failed', message: `jobmanager: ${err.message}` });
    process.exit(1);
  },
);
