/**
 * What travels when the driver launches a task on an executor process (Spark's TaskDescription with its
 * serialized closure). User functions cannot travel, so the closure is the stage's narrow lineage as data
 * (the source partition's offset range, then the map / flatMap / filter / event-time steps by operator
 * name, then where the records go); the executor rebuilds the functions from the job's recipe, as it
 * would deserialize them from the task binary. {@link remoteTaskOf} decides on the driver which tasks can
 * travel this way: a direct-stream stage of narrow steps into a sink or into the shuffle of a stateful
 * operator. The others (a stage reading a shuffle, and so keyed state, windows or cached blocks; a
 * receiver) run in the driver's process, and the stats count both kinds.
 */
import type { Dataflow } from '../../api/index.js';
import { KafkaRDD } from '../rdd/kafka-rdd.js';
import { MapPartitionsRDD } from '../rdd/map-partitions-rdd.js';
import type { RDD } from '../rdd/rdd.js';
import { stagePipeline } from '../scheduler/lineage.js';
import { ResultTask, ShuffleMapTask, type Task } from '../scheduler/task.js';
import type { ShuffleDependency } from '../rdd/shuffled-rdd.js';

export type RemoteStep =
  | { readonly op: 'map' | 'flatMap' | 'filter'; readonly node: string }
  | { readonly op: 'eventTime'; readonly node: string; readonly origin: number };

/** Where a travelling task's records go: a sink (a ResultTask of an output operation) or a shuffle (a ShuffleMapTask). */
export type RemoteOutput =
  | { readonly kind: 'sink'; readonly sink: string }
  | {
      readonly kind: 'shuffle';
      readonly shuffleId: number;
      readonly reducers: number;
      /** The stateful operator on the reduce side (its node names the key selector and the combiner). */
      readonly operator: string;
      readonly side: number;
      readonly combine: 'window' | 'key' | null;
      /** The batch's late threshold of the operator (map-side combine drops records later than it). */
      readonly lateThreshold: number;
      /** spark.shuffle.file.buffer (bytes). */
      readonly bufferBytes: number;
    };

export interface RemoteTask {
  readonly taskId: number;
  readonly label: string;
  readonly stageId: number;
  readonly partition: number;
  readonly batchTime: number;
  /** The log range the task reads (KafkaRDD partition) and the time the batch took it. */
  readonly source: { readonly partition: number; readonly from: number; readonly until: number; readonly ingestTime: number };
  readonly steps: readonly RemoteStep[];
  readonly output: RemoteOutput;
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
export function remoteTaskOf(
  task: Task,
  origins: ReadonlyMap<string, number>,
  launchedAt: number,
  bufferBytes: number,
): RemoteTask | undefined {
  const output = outputOf(task, bufferBytes);
  if (output === undefined) return undefined;
  const pipeline: RDD[] = stagePipeline(task instanceof ResultTask ? task.stage.rdd : (task as ShuffleMapTask).stage.rdd);
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
    output,
    origins: origins.size,
    launchedAt,
  };
}

/** The task's output as it travels: a sink by name, or a shuffle into a stateful operator. */
function outputOf(task: Task, bufferBytes: number): RemoteOutput | undefined {
  if (task instanceof ResultTask) {
    const sink = (task.stage.job.output as { sinkName?: string }).sinkName;
    return sink === undefined ? undefined : { kind: 'sink', sink };
  }
  if (!(task instanceof ShuffleMapTask)) return undefined;
  const dep = task.stage.shuffleDep;
  // A shuffle of a processing-time reduceByKey feeds no stateful operator: its functions have no node to be rebuilt from.
  const operator = dep.operator as (ShuffleDependency['operator'] & { keys?: readonly unknown[] }) | undefined;
  if (operator === undefined || operator.keys === undefined) return undefined;
  const side = operator.keys.indexOf(dep.keyFn);
  if (side < 0) return undefined;
  return {
    kind: 'shuffle',
    shuffleId: dep.shuffleId,
    reducers: dep.partitioner.numPartitions,
    operator: operator.name,
    side,
    combine: dep.combiner?.kind ?? null,
    lateThreshold: task.stage.batch.lateThreshold[operator.index],
    bufferBytes,
  };
}
