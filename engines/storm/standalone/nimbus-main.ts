/**
 * The Nimbus process. Supervisors register with it and heartbeat (a silent or disconnected one is lost);
 * the driver submits the topology: Nimbus rebuilds it from the recipe, validates and assigns it with the
 * model's own Nimbus ({@link submitTopology}: EvenScheduler, or JStorm's scheduler), publishes each
 * supervisor its workers, and once every worker has started and connected to its peers activates them.
 * When every worker reports its spouts and bolts done it stops them all; a worker reported dead fails
 * the topology, with the supervisor's reason.
 */
import {
  ClusterClock,
  ControlServer,
  numberArg,
  HeartbeatMonitor,
  daemonArgs,
  processFigures,
  rebuildDataflow,
  watchParent,
  type ControlChannel,
  type DaemonStatus,
} from '../../runtime/cluster/index.js';
import { resolveConfig } from '../config.js';
import { submitTopology } from '../daemon/nimbus.js';
import { lowerDataflow } from '../lowering/dataflow-to-topology.js';
import { assignmentDigest } from './assignment-digest.js';
import type { RegisterSupervisor, SubmitAnswer, SubmitTopology, SupervisorHeartbeat, WorkerLaunch } from './protocol.js';

watchParent();
const args = daemonArgs();
const clock = new ClusterClock(numberArg(args, 'epoch-offset'));
const supervisorTimeout = numberArg(args, 'supervisor-timeout');

interface RegisteredSupervisor {
  readonly name: string;
  readonly channel: ControlChannel;
  readonly registration: RegisterSupervisor;
  alive: boolean;
  beat: SupervisorHeartbeat | undefined;
  lastHeartbeat: number;
  heartbeats: number;
}

const supervisors = new Map<number, RegisteredSupervisor>();
let onRegistered: (() => void) | undefined;
let client: ControlChannel | undefined;
let shuttingDown = false;
let failed = false;
/** Per worker index: its data port once started, whether connected, whether its spouts and bolts are done. */
const dataPorts: (number | undefined)[] = [];
const connected = new Set<number>();
const localEnded = new Set<number>();
let workerCount = 0;
let progress: (() => void) | undefined;

const monitor = new HeartbeatMonitor(clock, supervisorTimeout, (peer, silentMs) =>
  lose(peer, `no heartbeat for ${Math.round(silentMs)} ms (storm.supervisorTimeout=${supervisorTimeout})`),
);

function failTopology(message: string): void {
  if (failed || shuttingDown) return;
  failed = true;
  client?.send('topologyFailed', { message: message.startsWith('storm: ') ? message : `storm: ${message}` });
}

function lose(peer: string, why: string): void {
  const s = [...supervisors.values()].find((x) => x.name === peer);
  if (s === undefined || !s.alive) return;
  s.alive = false;
  monitor.unmonitor(peer);
  failTopology(`${peer} (pid ${s.registration.pid}) was lost: ${why}`);
}

function daemons(): DaemonStatus[] {
  const own: DaemonStatus = { name: 'nimbus', ...processFigures(), lastHeartbeat: null, heartbeats: 0, alive: true };
  const sups = [...supervisors.values()].sort((a, b) => a.registration.index - b.registration.index);
  return [
    own,
    ...sups.map((s) => ({
      name: s.name,
      ...(s.beat?.figures ?? { pid: s.registration.pid, cpuUserMs: 0, cpuSystemMs: 0, rssBytes: 0, heapUsedBytes: 0 }),
      lastHeartbeat: s.heartbeats === 0 ? null : s.lastHeartbeat,
      heartbeats: s.heartbeats,
      alive: s.alive,
    })),
    ...sups.flatMap((s) => s.beat?.workers ?? []).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true })),
  ];
}

/** Resolves once `done()` holds; rejects after `timeoutMs` with `why()`. */
function until(done: () => boolean, timeoutMs: number, why: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done()) return;
      clearTimeout(timer);
      progress = undefined;
      resolve();
    };
    const timer = setTimeout(() => {
      progress = undefined;
      reject(new Error(why()));
    }, timeoutMs);
    progress = check;
    check();
  });
}

function acceptSupervisor(channel: ControlChannel): void {
  const name = channel.peerName;
  channel.handle('registerSupervisor', (reg: RegisterSupervisor) => {
    supervisors.set(reg.index, {
      name,
      channel,
      registration: reg,
      alive: true,
      beat: undefined,
      lastHeartbeat: clock.now(),
      heartbeats: 0,
    });
    monitor.monitor(name);
    onRegistered?.();
    return { registered: true };
  });
  channel.on('heartbeat', (hb: SupervisorHeartbeat) => {
    monitor.received(name);
    const s = [...supervisors.values()].find((x) => x.name === name);
    if (s) {
      s.beat = hb;
      s.lastHeartbeat = clock.now();
      s.heartbeats++;
    }
  });
  channel.on('workerReady', (b: { index: number; dataPort: number }) => {
    dataPorts[b.index] = b.dataPort;
    progress?.();
  });
  channel.on('workerConnected', (b: { index: number }) => {
    connected.add(b.index);
    progress?.();
  });
  channel.on('workerLocalEnd', (b: { index: number }) => {
    localEnded.add(b.index);
    if (localEnded.size === workerCount && !failed) void finish();
  });
  channel.on('workerLost', (b: { index: number; message: string }) => failTopology(b.message));
  channel.onClose(() => {
    if (!shuttingDown) lose(name, 'its connection closed');
  });
}

async function submit(job: SubmitTopology): Promise<SubmitAnswer> {
  if (client !== undefined && workerCount > 0) throw new Error('storm: this cluster already runs a topology');
  const v = job.values;
  const startTimeout = Number(v.workerStartTimeout);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `storm: ${job.supervisors - supervisors.size} of ${job.supervisors} supervisors did not register with Nimbus within ${startTimeout} ms (storm.workerStartTimeout)`,
          ),
        ),
      startTimeout,
    );
    onRegistered = () => {
      if (supervisors.size < job.supervisors) return;
      clearTimeout(timer);
      onRegistered = undefined;
      resolve();
    };
    onRegistered();
  });
  const flow = await rebuildDataflow(job.recipe);
  const config = resolveConfig(v, { parallelism: job.parallelism, deployment: 'standalone' });
  const assignment = submitTopology(lowerDataflow(flow, job.parallelism, config), config);
  const digest = assignmentDigest(assignment);
  if (digest !== job.assignmentDigest) throw new Error("storm: Nimbus's assignment of the rebuilt topology differs from the driver's");
  workerCount = assignment.slots.length;
  const bySupervisor = new Map<string, WorkerLaunch[]>();
  assignment.slots.forEach((slot, index) => {
    const list = bySupervisor.get(slot.supervisor) ?? [];
    list.push({
      recipe: job.recipe,
      parallelism: job.parallelism,
      values: v,
      index,
      slotId: slot.id,
      driverPort: job.driverPort,
      epochOffsetMs: job.epochOffsetMs,
      assignmentDigest: digest,
    });
    bySupervisor.set(slot.supervisor, list);
  });
  const sups = [...supervisors.values()];
  for (const [supervisor, launches] of bySupervisor) {
    const s = sups.find((x) => x.name === supervisor);
    if (s === undefined) throw new Error(`storm: the assignment uses ${supervisor}, which is not registered`);
    await s.channel.request('launchWorkers', { launches }, startTimeout);
  }
  const missing = (have: (i: number) => boolean) =>
    Array.from({ length: workerCount }, (_, i) => i)
      .filter((i) => !have(i))
      .map((i) => `worker-${i + 1}`)
      .join(', ');
  await until(
    () => dataPorts.filter((p) => p !== undefined).length === workerCount,
    startTimeout,
    () => `storm: ${missing((i) => dataPorts[i] !== undefined)} did not start within ${startTimeout} ms (storm.workerStartTimeout)`,
  );
  for (const s of sups) s.channel.send('connectPeers', { dataPorts });
  await until(
    () => connected.size === workerCount,
    startTimeout,
    () => `storm: ${missing((i) => connected.has(i))} did not connect to the other workers within ${startTimeout} ms`,
  );
  for (const s of sups) s.channel.send('activate');
  return { workers: workerCount, activatedAt: clock.now() };
}

/** Every worker is done: stop them, and tell the driver with every daemon's latest figures. */
async function finish(): Promise<void> {
  for (const s of supervisors.values()) if (s.alive) s.channel.send('stopWorkers');
  // The latest figures, not the last heartbeat's: a short run may end before the first one.
  client?.send('topologyDone', { daemons: await latestDaemons() });
}

/** Every daemon's figures as of now: each supervisor asked for its own and its workers'. */
async function latestDaemons(): Promise<DaemonStatus[]> {
  await Promise.all(
    [...supervisors.values()]
      .filter((s) => s.alive)
      .map((s) =>
        s.channel.request<SupervisorHeartbeat>('status', null, 5000).then(
          (beat) => {
            s.beat = beat;
          },
          () => {},
        ),
      ),
  );
  return daemons();
}

function acceptClient(channel: ControlChannel): void {
  client = channel;
  channel.handle('submitTopology', (job: SubmitTopology) => submit(job));
  channel.handle('clusterStatus', () => latestDaemons());
  channel.on('shutdown', () => void shutdown(0));
  // The driver stops the run early: the workers stop and report what they did.
  channel.on('stopWorkers', () => {
    for (const s of supervisors.values()) if (s.alive) s.channel.send('stopWorkers');
  });
  channel.onClose(() => void shutdown(0));
}

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  monitor.stop();
  for (const s of supervisors.values()) s.channel.send('shutdown');
  // Give the one-way messages a moment to leave (the supervisors also exit when this connection closes).
  setTimeout(() => process.exit(code), 50);
}

const server = new ControlServer({ name: 'nimbus' }, (channel) => {
  if (channel.peerName.startsWith('supervisor-')) acceptSupervisor(channel);
  else if (channel.peerName === 'client') acceptClient(channel);
  else channel.destroy();
});

server.listen(numberArg(args, 'port')).then(
  (port) => process.send?.({ type: 'ready', port }),
  (err: Error) => {
    process.stderr.write(`nimbus: ${err.message}\n`);
    process.send?.({ type: 'failed', message: `nimbus: ${err.message}` });
    process.exit(1);
  },
);
