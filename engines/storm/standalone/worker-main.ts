/**
 * A worker process, launched by its supervisor for one slot of the assignment. It rebuilds the topology
 * from the recipe, checks that Nimbus's assignment is the one it computes, opens its data port, connects
 * to the other workers (one TCP connection per pair, the lower index connecting), and runs its own
 * executors and acker tasks with the same model as the local deployment ({@link RunningTopology} hosting
 * this worker only): tuples to other workers leave its transfer thread serialized, as data messages on
 * those connections; Storm 2's BackPressureStatus for its tasks travels the same way.
 *
 * Its executors share one cooperative scheduler, one runnable per executor, not a thread each: within a
 * worker Storm hands tuples between executors by reference, which a thread per executor could only do by
 * serializing them (a MessagePort copies or moves buffers, never objects), changing the model; the
 * cores are used by the workers, one per parallel instance up to the cores (config.ts defaultWorkers).
 */
import type { RunIO } from '../../api/index.js';
import {
  ClusterClock,
  connectControl,
  ControlServer,
  DATA_BUFFER,
  DATA_EVENT,
  HeartbeatSender,
  onSocketData,
  daemonArgs,
  processFigures,
  rebuildDataflow,
  RemoteEventLog,
  RemoteSinkSet,
  SocketDataLink,
  watchParent,
  type ControlChannel,
  type DataMessage,
} from '../../runtime/cluster/index.js';
import { resolveConfig } from '../config.js';
import { submitTopology, type TopologyAssignment } from '../daemon/nimbus.js';
import { RunningTopology } from '../local-cluster.js';
import { lowerDataflow } from '../lowering/dataflow-to-topology.js';
import { LatencyStats } from '../metrics/latency-stats.js';
import { assignmentDigest } from './assignment-digest.js';
import type { ConnectPeers, FromWorker, ToWorker, WorkerLaunch, WorkerReport } from './protocol.js';
import { STALL_WORKER_ENV } from './standalone-options.js';

watchParent();
const args = daemonArgs();
const name = args.get('daemon-name') ?? 'worker';

function tell(m: FromWorker): void {
  process.send?.(m);
}

function fail(err: Error): never {
  process.stderr.write(`${name}: ${err.message}\n`);
  tell({ type: 'failed', message: `${name}: ${err.message}` });
  process.exit(1);
}

let launch: WorkerLaunch;
let clock: ClusterClock;
let assignment: TopologyAssignment;
let io: RunIO & { log: RemoteEventLog; sinks: RemoteSinkSet };
let driver: ControlChannel;
let topology: RunningTopology | undefined;
let heartbeats: HeartbeatSender | undefined;
let localEnded = false;
const lateByOperator: Record<string, number> = {};
/** Data that came from a peer before this worker's executors existed. */
const early: DataMessage[] = [];
const peers = new Map<number, SocketDataLink>();
let peersExpected = 0;
let peersReady: (() => void) | undefined;

function onData(m: DataMessage): void {
  if (topology === undefined) {
    early.push(m);
    return;
  }
  // channel = the sending worker; an event carries a BackPressureStatus: a = task, b = 1 on / 0 off.
  if (m.kind === DATA_BUFFER) topology.receiveRemote(m.channel, m.bytes!);
  else if (m.kind === DATA_EVENT) topology.remoteBackPressure(m.a, m.b === 1);
}

function addPeer(index: number, channel: ControlChannel): void {
  peers.set(index, new SocketDataLink(channel));
  onSocketData(channel, onData);
  // A peer gone is its supervisor's to report (with the reason: its exit, or its silence); Storm's
  // worker keeps retrying the connection meanwhile, and so its tuples for that worker are dropped here.
  channel.onClose(() => peers.delete(index));
  if (peers.size === peersExpected) peersReady?.();
}

const dataServer = new ControlServer({ name }, (channel) => {
  const m = /^worker-(\d+)$/.exec(channel.peerName);
  if (m === null) return channel.destroy();
  addPeer(Number(m[1]) - 1, channel);
});

async function prepare(l: WorkerLaunch): Promise<void> {
  launch = l;
  clock = new ClusterClock(l.epochOffsetMs);
  heartbeats = new HeartbeatSender(clock, Number(l.values.workerHeartbeatFrequency), () =>
    tell({ type: 'heartbeat', figures: processFigures() }),
  );
  heartbeats.start();
  const flow = await rebuildDataflow(l.recipe);
  const config = resolveConfig(l.values, { parallelism: l.parallelism, deployment: 'standalone' });
  driver = await connectControl(l.driverPort, { name });
  driver.onClose(() => {
    if (topology === undefined || !topology.isEnded) fail(new Error('the connection to the driver closed'));
  });
  const log = await RemoteEventLog.open(driver, clock);
  const sinks = new RemoteSinkSet(
    driver,
    clock,
    flow.sinks.map((s) => s.name),
  );
  io = {
    log,
    sinks,
    clock,
    metrics: {
      lateRecordsDropped(operator, count) {
        lateByOperator[operator] = (lateByOperator[operator] ?? 0) + count;
      },
    },
  };
  assignment = submitTopology(lowerDataflow(flow, l.parallelism, config, io), config);
  if (assignmentDigest(assignment) !== l.assignmentDigest)
    throw new Error("the rebuilt topology's assignment differs from Nimbus's (the recipe does not rebuild the same topology)");
  tell({ type: 'ready', dataPort: await dataServer.listen(0) });
}

async function connectPeers(body: ConnectPeers): Promise<void> {
  peersExpected = body.dataPorts.length - 1;
  const ready = new Promise<void>((resolve) => {
    peersReady = resolve;
    if (peers.size === peersExpected) resolve();
  });
  for (let w = launch.index + 1; w < body.dataPorts.length; w++) addPeer(w, await connectControl(body.dataPorts[w], { name }));
  await ready;
  tell({ type: 'connected' });
}

function activate(): void {
  const own = launch.index;
  topology = new RunningTopology(
    assignment,
    clock,
    io.metrics,
    {},
    {
      hosted: own,
      sendTuples: (dest, bytes) => peers.get(dest)?.send({ to: dest, channel: own, kind: DATA_BUFFER, a: 0, b: 0, bytes }),
      sendBackPressure: (task, on) => {
        for (const [w, link] of peers) link.send({ to: w, channel: own, kind: DATA_EVENT, a: task, b: on ? 1 : 0 });
      },
      localEnd: () => {
        if (localEnded) return;
        localEnded = true;
        tell({ type: 'localEnd' });
      },
    },
  );
  topology.drained().then(undefined, (err: Error) => fail(err));
  for (const m of early.splice(0)) onData(m);
}

/** Every worker is done: stop the executors, flush the sinks and commits, report on the driver's connection. */
function stop(): void {
  if (topology === undefined) return;
  void topology.stop();
  if (io.log.error) fail(io.log.error);
  io.sinks.flush();
  io.log.flushCommits();
  const complete = new LatencyStats();
  for (const s of topology.spoutExecutors) complete.merge(s.completeLatency);
  let socketMessages = 0;
  let socketBytes = 0;
  for (const l of peers.values()) {
    socketMessages += l.messages;
    socketBytes += l.bytes;
  }
  const report: WorkerReport = {
    index: launch.index,
    stats: topology.stats(),
    completeLatency: complete.toJSON(),
    lateByOperator,
    socketMessages,
    socketBytes,
    connections: peers.size,
  };
  driver.send('workerDone', report);
  heartbeats?.stop();
}

process.on('message', (m: ToWorker) => {
  const step =
    m.type === 'assignment'
      ? prepare(m.launch)
      : m.type === 'connectPeers'
        ? connectPeers(m.peers)
        : m.type === 'activate'
          ? Promise.resolve(activate())
          : Promise.resolve(stop());
  step.catch((err: Error) => fail(err));
});

if (process.env[STALL_WORKER_ENV] !== undefined && args.get('index') === process.env[STALL_WORKER_ENV]) {
  // Fault injection: a hung worker that never reads its assignment nor heartbeats.
  process.removeAllListeners('message');
  setInterval(() => {}, 1000);
}
