/**
 * Spark's standalone deployment, as `local-cluster[N, cores, memory]`: the trial's process is the driver
 * (StreamingContext, JobGenerator, JobScheduler, DAGScheduler, TaskScheduler, ReceiverTracker: the same
 * objects as the local deployment), and its executors are processes whose cores are threads. The only
 * difference from local is where tasks run and how they travel: each core of the driver's TaskScheduler
 * stands for a core thread of an executor process (remote-core.ts).
 */
import { availableParallelism } from 'node:os';
import { OptionError, type Dataflow, type EngineOptions, type RunIO, type RunningJob } from '../../api/index.js';
import { sparkConf } from '../spark-conf.js';
import type { SparkEngineStats } from '../spark-stats.js';
import { lowerDataflow } from '../streaming/lower-dataflow.js';
import { StreamingContext } from '../streaming/streaming-context.js';
import { ExecutorCluster } from './executor-cluster.js';
import { RemoteCore } from './remote-core.js';
import { originsOf } from './remote-task.js';

/** Starts the executors, then the streaming context on them. @throws OptionError, Error (one line) */
export async function startStandaloneSpark(flow: Dataflow, io: RunIO, opts: EngineOptions): Promise<RunningJob<SparkEngineStats>> {
  const recipe = opts.dataflowRecipe;
  if (recipe === undefined) throw new Error('spark: the standalone deployment needs the dataflow recipe (EngineOptions.dataflowRecipe)');
  const conf = sparkConf(opts.values, { deployment: 'standalone', parallelism: opts.parallelism });
  const machine = availableParallelism();
  const asked = conf.executors * conf.coresPerExecutor;
  if (asked > machine)
    throw new OptionError(
      `spark: ${conf.executors} executor(s) x ${conf.coresPerExecutor} core(s) = ${asked} cores asked, but this machine has ${machine}`,
    );
  const v = opts.values;
  const cluster = new ExecutorCluster(io, {
    recipe,
    executors: conf.executors,
    coresPerExecutor: conf.coresPerExecutor,
    sinkNames: flow.sinks.map((s) => s.name),
    origins: originsOf(flow),
    driverPort: (v.driverPort as number | null) ?? 0,
    registrationTimeoutMs: Number(v.registrationTimeout ?? 60_000),
    heartbeatIntervalMs: Number(v.heartbeatInterval ?? 10_000),
    networkTimeoutMs: Number(v.networkTimeout ?? 120_000),
    localDir: (v.shuffleDir as string | null | undefined) ?? null,
  });
  try {
    await cluster.start();
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  const ssc = new StreamingContext(conf, {
    ...io,
    coreFactory: (sc, executorId, index) => new RemoteCore(sc, executorId, index, cluster, Number(executorId.split('-')[1])),
  });
  ssc.sc.shuffleManager.remoteFetcher = cluster.fetchBlocks;
  ssc.sc.shuffleManager.onUnregister = (shuffleId) => cluster.removeShuffle(shuffleId);
  lowerDataflow(ssc, flow, opts.parallelism);
  let lost: Error | undefined;
  const failed = new Promise<never>((_, reject) => {
    cluster.failureListener = (err) => {
      lost = err;
      ssc.stop();
      reject(err);
    };
  });
  failed.catch(() => {});
  ssc.start();
  const failures = ssc.sc.taskFailures;
  const done = Promise.race([ssc.termination, failed]).then(
    async () => {
      await cluster.stop();
      if (lost) throw lost;
    },
    async (err: Error) => {
      await cluster.stop();
      throw err;
    },
  );
  done.catch(() => {});
  return {
    drained: () => done,
    stop: async () => {
      ssc.stop();
      await cluster.stop();
    },
    stats: () => ({
      ...ssc.stats(),
      recovery: { taskMaxFailures: failures.maxFailures, ...failures.stats },
      deployment: 'standalone',
      cluster: {
        daemons: cluster.daemons(),
        startup: { ...cluster.startup },
        tasksOnExecutors: cluster.tasksOnExecutors,
        tasksOnDriver: cluster.tasksOnDriver,
        taskLaunch: cluster.launchCost(),
        shuffleFetch: { ...ssc.sc.shuffleManager.remoteFetch, ms: Math.round(ssc.sc.shuffleManager.remoteFetch.ms * 1000) / 1000 },
      },
    }),
  };
}
