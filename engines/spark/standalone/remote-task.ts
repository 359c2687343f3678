/**
 * What travels when the driver launches a task on an executor process (Spark's TaskDescription with its
 * serialized closure). User functions cannot travel, so the closure is the stage's narrow lineage as data
 * (the source partition's offset range, then the map / flatMap / filter / event-time steps by operator
 * name, then where the records go); the executor rebuilds the functions from the job's recipe, as it
 * would deserialize them from the task binary. {@link remoteTaskOf} decides on the driver which tasks can
 * travel this way: a direct-stream stage of narrow steps into a sink. The others (a stage reading a
 * shuffle, state, windows or cached blocks, a receiver) run in the driver's process, and the stats count
 * both kinds.
 */
import type { Dataflow } from '../../api/index.js';
import { KafkaRDD } from '../rdd/kafka-rdd.js';
import { MapPartitionsRDD } from '../rdd/map-partitions-rdd.js';
import type { RDD } from '../rdd/rdd.js';
import { stagePipeline } from '../scheduler/lineage.js';
import { ResultTask, type Task } from '../scheduler/task.js';

export type RemoteStep =
  | { readonly op: 'map' | 'flatMap' | 'filter'; readonly node: string }
  | { readonly op: 'eventTime'; readonly node: string; readonly origin: number };

export interface RemoteTask {
  readonly taskId: number;
  readonly label: string;
  readonly stageId: number;
  readonly partition: number;
  readonly batchTime: number;
  /** The log range the task reads (KafkaRDD partition) and the time the batch took it. */
  readonly source: { readonly partition: number; readonly from: number; readonly until: number; readonly ingestTime: number };
  readonly steps: readonly RemoteStep[];
  readonly sink: string;
  /** Watermark origins of the job (length of the event-time accumulator). */
  readonly origins: number;
  /** Driver clock when the task was handed to the executor (ms since epoch). */
  readonly launchedAt: number;
}

/** What an executor reports of a finished task, beside the serialized TaskResult. */
export interface RemoteTaskTiming {
  readonly taskId: number;
  /** Executor clock (the one cluster clock) when the task started and ended running (ms since epoch). */
  readonly startedAt: number;
  readonly endedAt: number;
}

/** Index of each `timestamps` node among them, in node order: its watermark origin (as lowerDataflow adds them). */
export function originsOf(flow: Dataflow): Map<string, number> {
  const origins = new Map<string, number>();
  for (const n of flow.nodes) if (n.kind === 'timestamps') origins.set(n.name, origins.size);
  return origins;
}

/** The task as it travels, or undefined when its stage must run where its data is (the driver). */
export function remoteTaskOf(task: Task, origins: ReadonlyMap<string, number>, launchedAt: number): RemoteTask | undefined {
  if (!(task instanceof ResultTask)) return undefined;
  const sink = (task.stage.job.output as { sinkName?: string }).sinkName;
  if (sink === undefined) return undefined;
  const pipeline: RDD[] = stagePipeline(task.stage.rdd);
  const source = pipeline[0];
  if (!(source instanceof KafkaRDD) || source.storageLevel !== 'NONE') return undefined;
  const steps: RemoteStep[] = [];
  for (let i = 1; i < pipeline.length; i++) {
    const rdd = pipeline[i];
    if (!(rdd instanceof MapPartitionsRDD) || rdd.prev !== pipeline[i - 1] || rdd.storageLevel !== 'NONE') return undefined;
    if (rdd.op === 'eventTime') {
      const origin = origins.get(rdd.name);
      if (origin === undefined) return undefined;
      steps.push({ op: 'eventTime', node: rdd.name, origin });
    } else if (rdd.op === 'map' || rdd.op === 'flatMap' || rdd.op === 'filter') steps.push({ op: rdd.op, node: rdd.name });
    else return undefined;
  }
  const range = source.offsetRanges[task.partition];
  return {
    taskId: task.taskId,
    label: task.label,
    stageId: task.stageId,
    partition: task.partition,
    batchTime: task.batchTime,
    source: { partition: range.partition, from: range.fromOffset, until: range.untilOffset, ingestTime: source.ingestTime },
    steps,
    sink,
    origins: origins.size,
    launchedAt,
  };
}
