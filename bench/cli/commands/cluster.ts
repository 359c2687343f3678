/**
 * `streamarena cluster start|status|stop`: a standalone session cluster that stays up between runs, as
 * Flink's `start-cluster.sh` and `stop-cluster.sh` leave one; `run --cluster <dir>` submits to it.
 */
import { Command } from 'commander';
import { resolve } from 'node:path';
import {
  flinkOptions,
  readClusterState,
  sessionClusterStatus,
  startSessionCluster,
  stopSessionCluster,
} from '../../../engines/flink/index.js';
import { systemClock } from '../../../engines/runtime/index.js';
import { UsageError } from '../../errors.js';
import { effectiveOptions, parseOptionAssignments } from '../../runner/options.js';
import { collect, parseCount } from '../parse.js';
import { formatMs, textTable } from '../../../reports/format/index.js';

export const DEFAULT_CLUSTER_DIR = 'streamarena-cluster';

interface StartFlags {
  engine: string;
  taskmanagers: string;
  slots: string;
  dir: string;
  port: string;
  option: string[];
}

/** A cluster state directory that does not hold a running cluster is the user's error. */
function clusterDir(dir: string): string {
  const path = resolve(dir);
  try {
    readClusterState(path);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return path;
}

export function clusterCommand(): Command {
  const cluster = new Command('cluster').description(
    'start, list or stop a standalone session cluster that stays up between runs (run --cluster <dir>)',
  );
  cluster
    .command('start')
    .description('start a JobManager and TaskManagers as background processes and wait until they are ready')
    .option('-e, --engine <name>', 'the engine (only flink has a standalone cluster)', 'flink')
    .option('--taskmanagers <n>', 'TaskManager processes', '1')
    .option('--slots <n>', 'slots per TaskManager (taskmanager.numberOfTaskSlots)', '1')
    .option('--dir <dir>', "state directory: cluster.json and the daemons' logs", DEFAULT_CLUSTER_DIR)
    .option('--port <n>', "the JobManager's port on 127.0.0.1 (0: any free port)", '0')
    .option('-o, --option <key=value>', 'flink.heartbeatInterval, flink.heartbeatTimeout, flink.registrationTimeout', collect, [])
    .action(async (flags: StartFlags) => {
      if (flags.engine !== 'flink')
        throw new UsageError(`cluster start: the ${flags.engine} engine has no standalone cluster (only flink)`);
      const values = effectiveOptions('flink', flinkOptions, parseOptionAssignments(flags.option));
      const dir = resolve(flags.dir);
      const { state, readyMs } = await startSessionCluster({
        dir,
        taskManagers: parseCount('--taskmanagers', flags.taskmanagers),
        slotsPerTaskManager: parseCount('--slots', flags.slots),
        port: parseCount('--port', flags.port, 0),
        heartbeatIntervalMs: values.heartbeatInterval as number,
        heartbeatTimeoutMs: values.heartbeatTimeout as number,
        registrationTimeoutMs: values.registrationTimeout as number,
        clock: systemClock,
      }).catch((err: Error) => {
        throw /already running|in use/.test(err.message) ? new UsageError(err.message) : err;
      });
      process.stdout.write(
        `flink cluster ready in ${formatMs(readyMs)}: jobmanager 127.0.0.1:${state.jobManager.port} (pid ${state.jobManager.pid}), ` +
          `${state.taskManagers.length} TaskManager(s) x ${state.slotsPerTaskManager} slot(s); state in ${dir}\n`,
      );
    });
  cluster
    .command('status')
    .description("list the cluster's daemons with their last heartbeat, CPU and memory")
    .option('--dir <dir>', 'state directory', DEFAULT_CLUSTER_DIR)
    .option('--json', 'print the daemons as JSON')
    .action(async (flags: { dir: string; json?: boolean }) => {
      const { state, daemons } = await sessionClusterStatus(clusterDir(flags.dir));
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ state, daemons }, null, 2)}\n`);
        return;
      }
      const now = systemClock.now();
      const rows = daemons.map((d) => [
        d.name,
        String(d.pid),
        d.alive ? 'up' : 'lost',
        d.lastHeartbeat === null ? '-' : `${formatMs(now - d.lastHeartbeat)} ago`,
        String(d.heartbeats),
        `${d.cpuUserMs + d.cpuSystemMs} ms`,
        `${Math.round(d.rssBytes / 1048576)} MiB`,
      ]);
      process.stdout.write(`${textTable(['daemon', 'pid', 'state', 'last heartbeat', 'beats', 'cpu', 'rss'], rows)}\n`);
    });
  cluster
    .command('stop')
    .description('stop every daemon of the cluster and remove its state file')
    .option('--dir <dir>', 'state directory', DEFAULT_CLUSTER_DIR)
    .action(async (flags: { dir: string }) => {
      const pids = await stopSessionCluster(clusterDir(flags.dir));
      process.stdout.write(`flink cluster stopped: ${pids.length} processes ended (${pids.join(', ')})\n`);
    });
  return cluster;
}
