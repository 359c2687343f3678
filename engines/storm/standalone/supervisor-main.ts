/**
 * A supervisor process (one per node, `storm.slotsPerSupervisor` slots): it registers with Nimbus, and
 * for each slot Nimbus assigns it launches a worker process (the cluster runtime's daemon launcher: a
 * worker exits as soon as its supervisor is gone, even after kill -9). It watches its workers: one that
 * exits, or sends no heartbeat for `storm.workerTimeout`, is reported dead to Nimbus (Storm's supervisor
 * would relaunch it; a benchmark trial fails instead, with the reason). Its own heartbeats to Nimbus carry
 * its figures and its workers'.
 */
import {
  ClusterClock,
  compiledEntry,
  connectControl,
  numberArg,
  HeartbeatMonitor,
  HeartbeatSender,
  launchDaemon,
  daemonArgs,
  processFigures,
  watchParent,
  type Daemon,
  type DaemonStatus,
  type ProcessFigures,
} from '../../runtime/cluster/index.js';
import type { ConnectPeers, FromWorker, RegisterSupervisor, SupervisorHeartbeat, WorkerLaunch } from './protocol.js';

watchParent(() => {
  for (const w of workers.values()) w.daemon.kill('SIGKILL');
});
const args = daemonArgs();
const index = numberArg(args, 'index');
const slots = numberArg(args, 'slots');
const clock = new ClusterClock(numberArg(args, 'epoch-offset'));
const name = `supervisor-${index + 1}`;

interface LaunchedWorker {
  readonly index: number;
  readonly name: string;
  readonly daemon: Daemon;
  figures: ProcessFigures | undefined;
  heartbeats: number;
  lastHeartbeat: number;
  alive: boolean;
}

const workers = new Map<number, LaunchedWorker>();
let monitor: HeartbeatMonitor | undefined;
let stopping = false;

function workerStatus(): DaemonStatus[] {
  return [...workers.values()]
    .sort((a, b) => a.index - b.index)
    .map((w) => ({
      name: w.name,
      ...(w.figures ?? { pid: w.daemon.pid, cpuUserMs: 0, cpuSystemMs: 0, rssBytes: 0, heapUsedBytes: 0 }),
      lastHeartbeat: w.heartbeats === 0 ? null : w.lastHeartbeat,
      heartbeats: w.heartbeats,
      alive: w.alive,
    }));
}

async function main(): Promise<void> {
  const nimbus = await connectControl(numberArg(args, 'nimbus-port'), { name });
  nimbus.onClose(() => void shutdown(stopping ? 0 : 1));

  const lost = (w: LaunchedWorker, why: string) => {
    if (!w.alive || stopping) return;
    w.alive = false;
    monitor?.unmonitor(w.name);
    nimbus.send('workerLost', { index: w.index, message: `${w.name} (pid ${w.daemon.pid}, ${name}) is dead: ${why}` });
    w.daemon.kill('SIGKILL');
  };

  nimbus.handle('launchWorkers', (body: { launches: WorkerLaunch[] }) => {
    for (const l of body.launches) {
      const timeout = Number(l.values.workerTimeout);
      monitor ??= new HeartbeatMonitor(clock, timeout, (peer, silentMs) => {
        const w = [...workers.values()].find((x) => x.name === peer);
        if (w) lost(w, `no heartbeat for ${Math.round(silentMs)} ms (storm.workerTimeout=${timeout})`);
      });
      const wname = `worker-${l.index + 1}`;
      const daemon = launchDaemon({
        name: wname,
        modulePath: compiledEntry('engines/storm/standalone/worker-main.js'),
        args: [`--index=${l.index}`, `--slot=${l.slotId}`, `--supervisor=${name}`],
      });
      const w: LaunchedWorker = {
        index: l.index,
        name: wname,
        daemon,
        figures: undefined,
        heartbeats: 0,
        lastHeartbeat: clock.now(),
        alive: true,
      };
      workers.set(l.index, w);
      monitor.monitor(wname);
      daemon.process.on('message', (m: FromWorker) => {
        if (m.type === 'heartbeat') {
          monitor?.received(wname);
          w.figures = m.figures;
          w.heartbeats++;
          w.lastHeartbeat = clock.now();
        } else if (m.type === 'ready') nimbus.send('workerReady', { index: l.index, dataPort: m.dataPort });
        else if (m.type === 'connected') nimbus.send('workerConnected', { index: l.index });
        else if (m.type === 'localEnd') nimbus.send('workerLocalEnd', { index: l.index });
        else if (m.type === 'failed' && w.alive && !stopping) {
          w.alive = false;
          monitor?.unmonitor(wname);
          nimbus.send('workerLost', { index: l.index, message: m.message });
        }
      });
      void daemon.exited.then((exit) => lost(w, daemon.describeExit(exit).replace(`${wname} (pid ${daemon.pid}) `, '')));
      daemon.send({ type: 'assignment', launch: l });
    }
    return { pids: body.launches.map((l) => workers.get(l.index)!.daemon.pid) };
  });
  nimbus.on('connectPeers', (peers: ConnectPeers) => {
    for (const w of workers.values()) w.daemon.send({ type: 'connectPeers', peers });
  });
  nimbus.on('activate', () => {
    for (const w of workers.values()) w.daemon.send({ type: 'activate' });
  });
  nimbus.on('stopWorkers', () => {
    for (const w of workers.values()) w.daemon.send({ type: 'stop' });
  });
  nimbus.on('shutdown', () => void shutdown(0));
  nimbus.handle('status', (): SupervisorHeartbeat => ({ figures: processFigures(), workers: workerStatus() }));

  await nimbus.request('registerSupervisor', { index, slots, pid: process.pid } satisfies RegisterSupervisor);
  new HeartbeatSender(clock, numberArg(args, 'heartbeat-interval'), () =>
    nimbus.send('heartbeat', { figures: processFigures(), workers: workerStatus() } satisfies SupervisorHeartbeat),
  ).start();
}

/** Stops its workers (SIGTERM, then SIGKILL), then itself. */
async function shutdown(code: number): Promise<never> {
  stopping = true;
  monitor?.stop();
  await Promise.all([...workers.values()].map((w) => w.daemon.stop(500)));
  process.exit(code);
}

process.on('SIGTERM', () => void shutdown(0));

main().catch((err: Error) => {
  process.stderr.write(`${name}: ${err.message}\n`);
  process.exit(1);
});
