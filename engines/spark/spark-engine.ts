/**
 * The `spark` engine: the dataflow as a Spark Streaming application. It is lowered onto a DStream graph;
 * every batch interval the JobGenerator turns the graph into jobs (RDD lineages), the DAGScheduler cuts
 * them into stages at shuffles, and executor cores run the stages' tasks on the shared cooperative
 * scheduler. See README section "The spark engine" and shared/reference/engines.md section 2.
 */
import type { Dataflow, Engine, EngineOptions, EnginePlan, FaultListener, FaultTolerantJob, RunIO, RunningJob } from '../api/index.js';
import { sparkFaults } from './recovery/spark-faults.js';
import { explainSpark } from './explain.js';
import type { SparkEngineStats } from './spark-stats.js';
import { SPARK_OPTIONS, sparkConf } from './spark-conf.js';
import { lowerDataflow } from './streaming/lower-dataflow.js';
import { StreamingContext } from './streaming/streaming-context.js';
import { startStandaloneSpark } from './standalone/standalone-job.js';

export const sparkEngine: Engine<SparkEngineStats> = {
  name: 'spark',
  description:
    'Spark Streaming model: micro-batches every batch interval (DStreams -> RDD lineages), stages cut at shuffles, tasks on executor cores',
  options: SPARK_OPTIONS,

  // Partitions are tasks queued on the executors' cores: any number runs, however slowly.
  parallelismLimit: () => undefined,

  faults: sparkFaults,

  explain(flow: Dataflow, opts: EngineOptions): EnginePlan {
    return explainSpark(flow, opts);
  },

  deployments: ['local', 'standalone'],

  async start(flow: Dataflow, io: RunIO, opts: EngineOptions): Promise<RunningJob<SparkEngineStats>> {
    if (opts.deployment === 'standalone') return startStandaloneSpark(flow, io, opts);
    const ssc = new StreamingContext(sparkConf(opts.values), io);
    lowerDataflow(ssc, flow, opts.parallelism);
    ssc.start();
    const failures = ssc.sc.taskFailures;
    const job: RunningJob<SparkEngineStats> & FaultTolerantJob & { listenForFaults(l: FaultListener): void } = {
      drained: () => ssc.termination,
      stop: async () => ssc.stop(),
      stats: () => ({ ...ssc.stats(), recovery: { taskMaxFailures: failures.maxFailures, ...failures.stats } }),
      // No daemon kill is modelled yet: the faults Spark takes are a failing task (retried) and a stall.
      faults: {
        daemons: () => 0,
        inject: (fault) => {
          throw new Error(`spark: no fault '${fault.kind}' to inject here`);
        },
      },
      listenForFaults: (listener) => {
        failures.listener = listener;
      },
    };
    return job;
  },
};
