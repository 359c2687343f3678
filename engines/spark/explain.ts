/**
 * `streamarena explain -e spark`: the DStream graph, and for one batch each job's RDD lineage cut into
 * stages by the DAGScheduler, with their partitions (tasks) and shuffle boundaries. Built by lowering the
 * dataflow onto a StreamingContext that never starts, and generating one batch's jobs from it.
 */
import { availableParallelism } from 'node:os';
import type { Dataflow, EngineOptions, EnginePlan, EventLogReader, PlanEdge, PlanNode, SinkSet } from '../api/index.js';
import { describeDataflow, processingTimeWindows } from '../api/index.js';
import { ManualClock } from '../runtime/index.js';
import { ShuffleDependency } from './rdd/shuffled-rdd.js';
import type { RDD } from './rdd/rdd.js';
import { stagePipeline } from './scheduler/lineage.js';
import { ShuffleMapStage, type Stage } from './scheduler/stage.js';
import { sparkConf } from './spark-conf.js';
import { BatchContext } from './streaming/batch.js';
import { lowerDataflow } from './streaming/lower-dataflow.js';
import { StreamingContext } from './streaming/streaming-context.js';

/** A log with `partitions` empty partitions, for planning only. */
function planningLog(partitions: number): EventLogReader {
  return {
    partitions,
    read: () => undefined,
    endOffset: () => 0,
    startOffset: () => 0,
    isClosed: () => false,
    waitForData: () => {},
    commit: () => {},
  };
}

const NO_SINKS: SinkSet = { get: () => ({ write: () => {} }) };

export function explainSpark(flow: Dataflow, opts: EngineOptions): EnginePlan {
  const standalone = opts.deployment === 'standalone';
  const conf = sparkConf(opts.values, { deployment: standalone ? 'standalone' : 'local', parallelism: opts.parallelism });
  const ssc = new StreamingContext(conf, {
    log: planningLog(opts.parallelism),
    clock: new ManualClock(0),
    metrics: { lateRecordsDropped: () => {} },
    sinks: NO_SINKS,
  });
  lowerDataflow(ssc, flow, opts.parallelism);
  const interval = conf.batchIntervalMs;
  const time = interval;
  ssc.graph.start(0);
  for (const input of ssc.graph.inputStreams) input.allocateForExplain(time);
  const jobs = ssc.graph.generateJobs(time);
  const batch = new BatchContext(time, 0, ssc.eventTime.operatorCount, ssc.eventTime.originCount, false);

  const nodes: PlanNode[] = [];
  const edges: PlanEdge[] = [];
  const lines: string[] = [];
  const cores = conf.executors * conf.coresPerExecutor;
  lines.push(
    `spark engine (Spark Streaming, DStreams): a micro-batch every ${interval} ms, ${conf.source} source, ` +
      `${conf.executors} executor(s) x ${conf.coresPerExecutor} cores = ${cores} task slots, concurrentJobs ${conf.concurrentJobs}, ` +
      (ssc.operators.length === 0
        ? 'no operator state'
        : conf.stateMode === 'mapWithState'
          ? `mapWithState: state checkpointed every ${conf.checkpointIntervalMs} ms, and event-time windows closed by the full scan of those batches (and the last)`
          : `updateStateByKey: every batch cogroups the whole state with its keys and serializes it again; checkpoint every ${conf.checkpointIntervalMs} ms`),
  );
  lines.push(
    standalone
      ? `standalone (local-cluster[${conf.executors}, ${conf.coresPerExecutor}]): the trial's process is the driver; ${conf.executors} executor process(es) of ${conf.coresPerExecutor} core thread(s)` +
          `${opts.values.executors === null || opts.values.executors === undefined ? ` (auto: one per parallel instance up to the ${availableParallelism()} cores)` : ''}; ` +
          'direct-stream stages of narrow steps into a sink or a stateful shuffle travel to the executors (map outputs stay there, reducers fetch them over TCP); stages reading a shuffle, state, windows or cached blocks, and receivers, run in the driver'
      : `local: the driver and ${conf.executors} executor(s) in the trial's process, cores as tasks of one cooperative scheduler`,
  );
  if (conf.source === 'receiver') {
    lines.push(
      `receivers: ${conf.receivers}, each holding one core for good; a block every ${conf.blockIntervalMs} ms = one partition (task)`,
    );
  }
  if (processingTimeWindows(flow).length > 0) {
    const how = {
      window: "window(w, s).reduceByKey: the window's records shuffled at every slide",
      reduceByKeyAndWindow: 'reduceByKeyAndWindow: each batch reduced once, each window merged from them without a shuffle',
      reduceByKeyAndWindowInv:
        'reduceByKeyAndWindow with an inverse function: the previous window, minus the batches that slid out, plus those that slid in',
    };
    lines.push(`processing-time windows: ${how[conf.windowOperation]}`);
  }
  if (conf.backpressure)
    lines.push(
      `backpressure: PID rate estimator (kp ${conf.pid.proportional}, ki ${conf.pid.integral}, kd ${conf.pid.derived}, min ${conf.pid.minRate} records/s)`,
    );
  if (conf.maxRatePerPartition > 0) lines.push(`maxRatePerPartition: ${conf.maxRatePerPartition} records/s`);

  lines.push('', 'DStream graph:');
  for (const d of ssc.graph.streams) {
    const from = d.dependencies.length ? ` <- ${d.dependencies.map((p) => `[${p.id}]`).join(', ')}` : '';
    lines.push(`  ${d.describe()}${from}`);
    nodes.push({ id: `dstream-${d.id}`, label: `${d.kind} ${d.name}`, kind: 'dstream', attrs: { class: d.kind, name: d.name } });
    for (const p of d.dependencies) edges.push({ from: `dstream-${p.id}`, to: `dstream-${d.id}`, label: 'dstream' });
  }

  lines.push(
    '',
    `One batch (time ${time} ms after start): ${jobs.length} job(s), one per output operation; stages run in dependency order, one task per partition, each stage waits for all tasks of its parents (barrier)`,
  );
  const placed = new Map<RDD, string>();
  const seenStages = new Set<Stage>();
  jobs.forEach((job, j) => {
    const result = ssc.sc.dagScheduler.planJob(job.rdd, batch);
    lines.push(`job ${j} (output ${job.name}):`);
    for (const stage of stagesInOrder(result)) {
      const stageNode = `stage-${stage.id}`;
      const parents = stage.parents.length
        ? ` after stage${stage.parents.length > 1 ? 's' : ''} ${stage.parents.map((p) => p.id).join(', ')}`
        : '';
      if (seenStages.has(stage)) {
        lines.push(`  ${stage.kind} ${stage.id}: shared with an earlier job (its map outputs are reused)`);
        continue;
      }
      seenStages.add(stage);
      lines.push(`  ${stage.kind} ${stage.id}${parents}: ${stage.numTasks} task(s)`);
      nodes.push({ id: stageNode, label: `${stage.kind} ${stage.id}`, kind: 'stage', attrs: { tasks: stage.numTasks, job: j } });
      for (const p of stage.parents) edges.push({ from: `stage-${p.id}`, to: stageNode, label: 'shuffle' });
      for (const rdd of stagePipeline(stage.rdd)) {
        const cached = placed.has(rdd);
        lines.push(`    ${rdd.describe()}, ${rdd.numPartitions} partition(s)${cached ? ' - read from the cache' : ''}`);
        if (cached) continue;
        const id = `rdd-${rdd.id}`;
        placed.set(rdd, id);
        nodes.push({
          id,
          label: `${rdd.kind}[${rdd.id}] ${rdd.name}`,
          kind: 'rdd',
          parent: stageNode,
          attrs: { class: rdd.kind, partitions: rdd.numPartitions },
        });
        for (const dep of rdd.dependencies) {
          edges.push({
            from: `rdd-${dep.rdd.id}`,
            to: id,
            label: dep instanceof ShuffleDependency ? `shuffle ${dep.shuffleId}` : 'narrow',
          });
        }
      }
      if (stage instanceof ShuffleMapStage) {
        const dep = stage.shuffleDep;
        const combine =
          dep.combiner === undefined
            ? ''
            : dep.combiner.kind === 'window'
              ? ', map-side combine per (window, key)'
              : ', map-side combine per key';
        lines.push(
          `    => shuffle ${dep.shuffleId} write: hash by key into ${dep.partitioner.numPartitions} bucket(s) per task, serialized${combine}`,
        );
      } else {
        lines.push(`    => output ${job.name}`);
      }
    }
  });
  lines.push('', describeDataflow(flow));
  return {
    engine: 'spark',
    text: lines.join('\n'),
    nodes,
    edges,
    details: {
      batchIntervalMs: interval,
      source: conf.source,
      deployment: standalone ? 'standalone' : 'local',
      executors: conf.executors,
      coresPerExecutor: conf.coresPerExecutor,
      concurrentJobs: conf.concurrentJobs,
      stateMode: conf.stateMode,
      windowOperation: conf.windowOperation,
      checkpointIntervalMs: conf.checkpointIntervalMs,
      jobs: jobs.map((j) => j.name),
    },
  };
}

/** A job's stages, parents before children, each once. */
function stagesInOrder(result: Stage): Stage[] {
  const order: Stage[] = [];
  const visit = (s: Stage): void => {
    if (order.includes(s)) return;
    for (const p of s.parents) visit(p);
    order.push(s);
  };
  visit(result);
  return order;
}
