/**
 * An executor process (Spark's CoarseGrainedExecutorBackend, as a standalone Worker or local-cluster mode
 * starts one per executor): it asks the driver for the job's configuration, starts one thread per core
 * (`spark.coresPerExecutor`), registers with the driver once every core is up, sends heartbeats with its
 * CPU and memory, and hands each task the driver launches to the core it names. It ends with its driver:
 * when its connection closes, or when its parent process dies (the launcher's parent watch).
 */
import {
  ClusterClock,
  compiledEntry,
  connectControl,
  daemonArgs,
  numberArg,
  HeartbeatSender,
  processFigures,
  TaskThread,
  watchParent,
  WithBytes,
} from '../../runtime/cluster/index.js';
import { mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readBlock, removeShuffleFiles } from './shuffle-files.js';

import type {
  CoreThreadData,
  CoreThreadMessage,
  ExecutorConfig,
  FetchBlocks,
  ExecutorHeartbeat,
  LaunchTask,
  RegisterExecutor,
} from './protocol.js';
import { STALL_EXECUTOR_ENV } from './standalone-options.js';

const args = daemonArgs();
const index = numberArg(args, 'index');
const cores = numberArg(args, 'cores');
const driverPort = numberArg(args, 'driver-port');
const name = `executor-${index}`;
/** This executor's shuffle folder, inside the run's temporary one; removed on every way out. */
const shuffleDir = join(args.get('shuffle-dir') ?? '', name);
if (!args.get('shuffle-dir')) throw new Error('missing --shuffle-dir');
mkdirSync(shuffleDir, { recursive: true });
const removeShuffleDir = () => {
  rmSync(shuffleDir, { recursive: true, force: true });
  // The run's folder goes with the last executor (the driver removes it too, when it ends in order).
  try {
    rmdirSync(dirname(shuffleDir));
  } catch {
    // another executor's folder is still in it, or it is gone already
  }
};
process.on('exit', removeShuffleDir);
// Ctrl-C reaches the whole process group: clean up, then die of it as a daemon should.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    removeShuffleDir();
    process.kill(process.pid, signal);
  });
watchParent(removeShuffleDir);
const threads: TaskThread[] = [];
let tasksRun = 0;

async function shutdown(code: number): Promise<never> {
  await Promise.all(threads.map((t) => t.terminate()));
  process.exit(code);
}

function startCore(config: ExecutorConfig, core: number): Promise<TaskThread> {
  const workerData: CoreThreadData = {
    recipe: config.recipe,
    shuffleDir,
    executor: index,
    core,
    driverPort,
    epochOffsetMs: config.epochOffsetMs,
  };
  const thread = new TaskThread({
    name: `${name} core ${core}`,
    modulePath: compiledEntry('engines/spark/standalone/core-thread.js'),
    workerData,
  });
  threads.push(thread);
  return new Promise((resolve, reject) => {
    thread.worker.on('message', (m: CoreThreadMessage) => {
      if (m.type === 'ready') resolve(thread);
      else if (m.type === 'taskDone') tasksRun++;
      else reject(new Error(`${name} core ${core}: ${m.message}`));
    });
    thread.exited.then(
      (code) => reject(new Error(`${name} core ${core}: its thread exited with code ${code}`)),
      (err: Error) => reject(err),
    );
  });
}

async function main(): Promise<void> {
  const driver = await connectControl(driverPort, { name });
  driver.onClose(() => void shutdown(0));
  driver.on('shutdown', () => void shutdown(0));
  driver.handle('figures', (): ExecutorHeartbeat => ({ figures: processFigures(), tasksRun }));
  const config = await driver.request<ExecutorConfig>('executorConfig', { index });
  const coreThreads = await Promise.all(Array.from({ length: cores }, (_, c) => startCore(config, c)));
  // The block manager's shuffle service: a reducer's range of each map output asked, from the files.
  driver.handle('shuffle.fetch', async (f: FetchBlocks) => {
    const parts: Uint8Array[] = [];
    for (const m of f.maps) parts.push(await readBlock(shuffleDir, f.shuffleId, m.mapId, m.offset, m.length));
    return new WithBytes(null, parts.length === 1 ? parts[0] : Buffer.concat(parts));
  });
  driver.on('removeShuffle', (b: { shuffleId: number }) => void removeShuffleFiles(shuffleDir, b.shuffleId));
  driver.on('launchTask', (l: LaunchTask) => coreThreads[l.core].worker.postMessage(l.task));
  // A core thread that dies after start-up takes its executor with it (Spark: the executor is lost).
  for (const t of coreThreads)
    t.exited.then(
      (code) => {
        process.stderr.write(`Error: ${name}: a core thread exited with code ${code}\n`);
        void shutdown(1);
      },
      (err: Error) => {
        process.stderr.write(`Error: ${err.message}\n`);
        void shutdown(1);
      },
    );
  if (process.env[STALL_EXECUTOR_ENV] === String(index + 1)) return; // fault injection: never registers
  await driver.request('registerExecutor', { index, cores, pid: process.pid } satisfies RegisterExecutor);
  const clock = new ClusterClock(config.epochOffsetMs);
  new HeartbeatSender(clock, config.heartbeatIntervalMs, () =>
    driver.send('heartbeat', { figures: processFigures(), tasksRun } satisfies ExecutorHeartbeat),
  ).start();
}

main().catch((err: Error) => {
  process.stderr.write(`Error: ${name}: ${err.message}\n`);
  process.exit(1);
});
