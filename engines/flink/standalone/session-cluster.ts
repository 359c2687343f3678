/**
 * A session cluster, as `start-cluster.sh` / `stop-cluster.sh` leave one running: a JobManager and
 * TaskManager processes started detached (their own process group, logs in the state directory), that
 * outlive the command that started them and run one job after another (`run --cluster <dir>`). The state
 * directory's `cluster.json` holds the JobManager's port and every daemon's pid; `stop` ends them all.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../api/index.js';
import {
  CLUSTER_PROTOCOL_VERSION,
  compiledEntry,
  connectControl,
  epochOffsetOf,
  isProcessAlive,
  launchDaemon,
  type Daemon,
  type DaemonStatus,
} from '../../runtime/cluster/index.js';

export const CLUSTER_STATE_FILE = 'cluster.json';

export interface ClusterState {
  readonly engine: 'flink';
  readonly protocolVersion: number;
  readonly jobManager: { readonly pid: number; readonly port: number };
  readonly taskManagers: readonly { readonly name: string; readonly pid: number }[];
  readonly slotsPerTaskManager: number;
  /** ms since epoch. */
  readonly startedAt: number;
}

export interface SessionClusterOptions {
  readonly dir: string;
  readonly taskManagers: number;
  readonly slotsPerTaskManager: number;
  /** 0: any free port. */
  readonly port: number;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;
  readonly registrationTimeoutMs: number;
  readonly clock: Clock;
}

/** Reads `<dir>/cluster.json`. @throws Error (one line) for a missing, foreign or stopped cluster */
export function readClusterState(dir: string): ClusterState {
  const path = join(dir, CLUSTER_STATE_FILE);
  if (!existsSync(path))
    throw new Error(
      `no cluster in ${dir}: ${CLUSTER_STATE_FILE} is missing (start one with streamarena cluster start -e flink --dir ${dir})`,
    );
  let state: ClusterState;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as ClusterState;
  } catch (err) {
    throw new Error(`${path}: not a cluster state file (${(err as Error).message})`);
  }
  if (state.engine !== 'flink' || typeof state.jobManager?.port !== 'number') throw new Error(`${path}: not a flink cluster's state file`);
  if (!isProcessAlive(state.jobManager.pid))
    throw new Error(
      `the cluster of ${dir} is not running: its jobmanager (pid ${state.jobManager.pid}) has exited; start it again with streamarena cluster start`,
    );
  return state;
}

/** Starts the daemons, waits until every TaskManager has registered, detaches them and writes the state file. */
export async function startSessionCluster(opts: SessionClusterOptions): Promise<{ state: ClusterState; readyMs: number }> {
  const t0 = opts.clock.now();
  const statePath = join(opts.dir, CLUSTER_STATE_FILE);
  if (existsSync(statePath)) {
    let running: ClusterState | undefined;
    try {
      running = readClusterState(opts.dir);
    } catch {
      running = undefined; // a stopped cluster's state: replaced
    }
    if (running)
      throw new Error(
        `a cluster is already running from ${opts.dir} (jobmanager pid ${running.jobManager.pid}); stop it first with streamarena cluster stop --dir ${opts.dir}`,
      );
  }
  mkdirSync(opts.dir, { recursive: true });
  const epoch = `--epoch-offset=${epochOffsetOf(opts.clock)}`;
  const daemons: Daemon[] = [];
  try {
    const jm = launchDaemon({
      name: 'jobmanager',
      modulePath: compiledEntry('engines/flink/standalone/job-manager-main.js'),
      args: [`--port=${opts.port}`, epoch, `--heartbeat-timeout=${opts.heartbeatTimeoutMs}`, '--detached=1'],
      detachedLog: join(opts.dir, 'jobmanager.log'),
    });
    daemons.push(jm);
    const port = await new Promise<number>((resolve, reject) => {
      jm.process.on('message', (m: { type: string; port?: number; message?: string }) =>
        m.type === 'ready' ? resolve(m.port as number) : reject(new Error(m.message)),
      );
      void jm.exited.then(() =>
        reject(new Error(`flink: the jobmanager exited during start-up (see ${join(opts.dir, 'jobmanager.log')})`)),
      );
    });
    for (let i = 0; i < opts.taskManagers; i++) {
      daemons.push(
        launchDaemon({
          name: `taskmanager-${i + 1}`,
          modulePath: compiledEntry('engines/flink/standalone/task-manager-main.js'),
          args: [
            `--index=${i}`,
            `--slots=${opts.slotsPerTaskManager}`,
            `--jobmanager-port=${port}`,
            `--heartbeat-interval=${opts.heartbeatIntervalMs}`,
            epoch,
            '--detached=1',
          ],
          detachedLog: join(opts.dir, `taskmanager-${i + 1}.log`),
        }),
      );
    }
    const channel = await connectControl(port, { name: 'client' });
    const deadline = opts.clock.now() + opts.registrationTimeoutMs;
    for (;;) {
      const status = await channel.request<DaemonStatus[]>('clusterStatus');
      if (status.filter((d) => d.name.startsWith('taskmanager-') && d.alive).length >= opts.taskManagers) break;
      const dead = daemons.find((d) => !d.isRunning);
      if (dead) throw new Error(`flink: ${dead.name} exited during start-up (see ${join(opts.dir, `${dead.name}.log`)})`);
      if (opts.clock.now() > deadline)
        throw new Error(`flink: the TaskManagers did not all register within ${opts.registrationTimeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    channel.close();
    const state: ClusterState = {
      engine: 'flink',
      protocolVersion: CLUSTER_PROTOCOL_VERSION,
      jobManager: { pid: jm.pid, port },
      taskManagers: daemons.slice(1).map((d) => ({ name: d.name, pid: d.pid })),
      slotsPerTaskManager: opts.slotsPerTaskManager,
      startedAt: t0,
    };
    writeFileSync(`${statePath}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(`${statePath}.tmp`, statePath);
    for (const d of daemons) d.detach();
    return { state, readyMs: opts.clock.now() - t0 };
  } catch (err) {
    await Promise.all(daemons.map((d) => d.stop(1000)));
    throw err;
  }
}

/** Every daemon of the running cluster, as its JobManager sees it. */
export async function sessionClusterStatus(dir: string): Promise<{ state: ClusterState; daemons: DaemonStatus[] }> {
  const state = readClusterState(dir);
  const channel = await connectControl(state.jobManager.port, { name: 'client' });
  try {
    return { state, daemons: await channel.request<DaemonStatus[]>('clusterStatus', null, 10_000) };
  } finally {
    channel.close();
  }
}

/** Asks the JobManager to stop the cluster, kills what is still there after `graceMs`, removes the state file. */
export async function stopSessionCluster(dir: string, graceMs = 5000): Promise<number[]> {
  const state = readClusterState(dir);
  const pids = [state.jobManager.pid, ...state.taskManagers.map((t) => t.pid)];
  try {
    const channel = await connectControl(state.jobManager.port, { name: 'client' });
    channel.send('shutdownCluster');
    channel.close();
  } catch {
    // it does not answer: the signals below stop it
  }
  const deadline = Date.now() + graceMs;
  while (pids.some(isProcessAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const pid of pids.filter(isProcessAlive)) process.kill(pid, 'SIGKILL');
  while (pids.some(isProcessAlive)) await new Promise((r) => setTimeout(r, 20));
  rmSync(join(dir, CLUSTER_STATE_FILE), { force: true });
  return pids;
}
