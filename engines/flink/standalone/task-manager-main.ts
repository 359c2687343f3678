/**
 * A TaskManager process (Flink's TaskExecutor, started by the cluster's launcher as `start-cluster.sh`
 * starts one per worker): it opens its data port, registers with the JobManager's ResourceManager offering
 * its slots, sends heartbeats with its CPU and memory, connects to its peer TaskManagers (one TCP
 * connection per pair, every logical channel between them multiplexed on it), and runs each deployed
 * slot on its own thread. Its main thread is the network thread: it routes data messages between its slot
 * threads and to and from its peers.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import {
  ClusterClock,
  compiledEntry,
  connectControl,
  ControlServer,
  HeartbeatSender,
  onPortData,
  onSocketData,
  PortDataLink,
  processFigures,
  SocketDataLink,
  TaskThread,
  watchParent,
  type ControlChannel,
  type DataMessage,
  daemonArgs,
  numberArg,
} from '../../runtime/cluster/index.js';
import { STALL_TASKMANAGER_ENV } from './standalone-options.js';
import type {
  CheckpointCall,
  ConnectPeers,
  RegisterTaskExecutor,
  SlotDeployment,
  SlotThreadMessage,
  TaskManagerHeartbeat,
} from './protocol.js';

const args = daemonArgs();
if (args.get('detached') !== '1') watchParent();
const index = numberArg(args, 'index');
const slots = numberArg(args, 'slots');
const jmPort = numberArg(args, 'jobmanager-port');
const heartbeatInterval = numberArg(args, 'heartbeat-interval');
const clock = new ClusterClock(numberArg(args, 'epoch-offset'));
const name = `taskmanager-${index + 1}`;

const threads = new Map<number, TaskThread>();
const slotLinks = new Map<number, PortDataLink>();
/** Messages for slots of this TaskManager not deployed yet (a peer may send credit first). */
const pendingForSlot = new Map<number, DataMessage[]>();
const peerLinks = new Map<number, SocketDataLink>();
let slotTaskManagers: readonly number[] = [];
let peersReady: (() => void) | undefined;
let expectedPeers = 0;
/** Data messages for a peer that was gone. */
let droppedMessages = 0;

function route(m: DataMessage): void {
  const tm = slotTaskManagers[m.to];
  if (tm === index) {
    const link = slotLinks.get(m.to);
    if (link) link.send(m);
    else {
      let q = pendingForSlot.get(m.to);
      if (q === undefined) pendingForSlot.set(m.to, (q = []));
      q.push(m);
    }
    return;
  }
  const peer = peerLinks.get(tm);
  // The peer is gone (killed, or its connection dropped by a cancellation): its attempt is failing, and
  // the JobMaster redeploys over new connections. What was on its way there is lost with the attempt.
  if (peer === undefined) droppedMessages++;
  else peer.send(m);
}

function addPeer(tm: number, channel: ControlChannel): void {
  const link = new SocketDataLink(channel);
  peerLinks.set(tm, link);
  onSocketData(channel, (m) => {
    if (peerLinks.get(tm) === link) route(m); // a replaced connection's late data belongs to a cancelled attempt
  });
  channel.onClose(() => {
    if (peerLinks.get(tm) === link) peerLinks.delete(tm);
  });
  if (peerLinks.size === expectedPeers) peersReady?.();
}

/**
 * A failover cancels the attempt: every slot thread ends, and every data connection to the peers is
 * closed, so that nothing of the old attempt can reach the next one (which connects anew).
 */
async function cancelSlots(): Promise<void> {
  const ending = [...threads.values()];
  threads.clear();
  slotLinks.clear();
  pendingForSlot.clear();
  const links = [...peerLinks.values()];
  peerLinks.clear();
  for (const l of links) l.channel.destroy();
  await Promise.all(ending.map((t) => t.terminate()));
}

const dataServer = new ControlServer({ name }, (channel) => {
  const m = /^taskmanager-(\d+)$/.exec(channel.peerName);
  if (m === null) return channel.destroy();
  addPeer(Number(m[1]) - 1, channel);
});

async function connectPeers(body: ConnectPeers): Promise<void> {
  slotTaskManagers = body.slotTaskManagers;
  expectedPeers = body.dataPorts.length - 1;
  const ready = new Promise<void>((resolve) => {
    peersReady = resolve;
    if (peerLinks.size === expectedPeers) resolve();
  });
  // One connection per pair: the lower index connects to the higher.
  for (let tm = index + 1; tm < body.dataPorts.length; tm++) {
    if (!peerLinks.has(tm)) addPeer(tm, await connectControl(body.dataPorts[tm], { name })); // a session cluster keeps them
  }
  await ready;
}

/** Starts the slot's thread; resolves once its subtasks run, rejects if it fails first. */
function deploySlot(jm: ControlChannel, d: SlotDeployment): Promise<void> {
  const { port1, port2 } = new MessageChannel();
  const thread = new TaskThread({
    name: `${name} slot ${d.slot + 1}`,
    modulePath: compiledEntry('engines/flink/standalone/slot-worker.js'),
    workerData: { ...d, port: port2 },
    transferList: [port2],
  });
  threads.set(d.slot, thread);
  const link = new PortDataLink(port1 as MessagePort);
  slotLinks.set(d.slot, link);
  onPortData(port1, (m) => {
    if (threads.get(d.slot) === thread) route(m); // a cancelled thread's last words go nowhere
  });
  for (const m of pendingForSlot.get(d.slot) ?? []) link.send(m);
  pendingForSlot.delete(d.slot);
  let running: { resolve: () => void; reject: (e: Error) => void } | undefined;
  const started = new Promise<void>((resolve, reject) => (running = { resolve, reject }));
  const attempt = d.attempt;
  thread.worker.on('message', (m: SlotThreadMessage) => {
    if (threads.get(d.slot) !== thread) return;
    if (m.type === 'running') running?.resolve();
    else if (m.type === 'checkpointAck' || m.type === 'checkpointDecline' || m.type === 'taskFinished') jm.send(m.type, { ...m, attempt });
    else if (m.type === 'finished') jm.send('slotFinished', { slot: m.slot, attempt });
    else {
      const message = `${name} slot ${m.slot + 1}: ${m.message}`;
      running?.reject(new Error(message));
      jm.send('slotFailed', { slot: m.slot, message, attempt });
    }
  });
  thread.exited.then(
    (code) => {
      if (code !== 0 && threads.get(d.slot) === thread)
        jm.send('slotFailed', { slot: d.slot, message: `${name} slot ${d.slot + 1}: its thread exited with code ${code}`, attempt });
    },
    (err: Error) => {
      running?.reject(err);
      if (threads.get(d.slot) === thread) jm.send('slotFailed', { slot: d.slot, message: err.message, attempt });
    },
  );
  return started;
}

async function shutdown(code: number): Promise<never> {
  await Promise.all([...threads.values()].map((t) => t.terminate()));
  process.exit(code);
}

async function main(): Promise<void> {
  const dataPort = await dataServer.listen(0);
  const jm = await connectControl(jmPort, { name });
  // The JobManager gone: nothing to work for (the launcher stops the rest).
  jm.onClose(() => void shutdown(1));
  jm.handle('connectPeers', (b: ConnectPeers) => connectPeers(b));
  jm.handle('deploySlot', (b: SlotDeployment) => deploySlot(jm, b));
  jm.on('shutdown', () => void shutdown(0));
  // A session cluster's job ended: its slot threads go, the connections to the peers stay.
  jm.on('releaseSlots', () => {
    const ending = [...threads.values()];
    threads.clear();
    slotLinks.clear();
    pendingForSlot.clear();
    for (const l of peerLinks.values()) {
      l.messages = 0; // the next job's figures are its own
      l.bytes = 0;
    }
    for (const t of ending) void t.terminate();
  });
  jm.handle('cancelSlots', () => cancelSlots());
  jm.on('checkpoint', (call: CheckpointCall) => threads.get(call.slot)?.worker.postMessage(call));
  jm.handle('networkStatus', () => {
    let socketMessages = 0;
    let socketBytes = 0;
    for (const l of peerLinks.values()) {
      socketMessages += l.messages;
      socketBytes += l.bytes;
    }
    return { socketMessages, socketBytes, connections: peerLinks.size, droppedMessages, figures: processFigures() };
  });
  if (process.env[STALL_TASKMANAGER_ENV] === String(index + 1)) return; // fault injection: never registers
  await jm.request('registerTaskExecutor', { index, slots, dataPort, pid: process.pid } satisfies RegisterTaskExecutor);
  new HeartbeatSender(clock, heartbeatInterval, () =>
    jm.send('heartbeat', { figures: processFigures() } satisfies TaskManagerHeartbeat),
  ).start();
}

main().catch((err: Error) => {
  process.stderr.write(`${name}: ${err.message}\n`);
  process.exit(1);
});
