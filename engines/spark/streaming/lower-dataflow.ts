/**
 * Lowers a dataflow onto a StreamingContext's DStream graph: the source becomes the input stream, map /
 * flatMap / filter the mapped DStreams, `withTimestamps` a map feeding an event-time max accumulator,
 * every event-time keyed operator a keyed state DStream (mapWithState or updateStateByKey: a shuffle plus
 * a KeyedStateRDD per batch), a processing-time window the windowed DStreams of `spark.windowOperation`,
 * and every sink an output operation (ForEachDStream: one job per batch). A DStream consumed by several operators is persisted,
 * as a Spark user would `cache()` it, so that the jobs and stages of a batch compute it once.
 *
 * Parallelism: narrow transformations keep their parent's partitioning (one partition per log partition
 * or block); a keyed operator's parallelism (its own, else the run's) is the number of reduce partitions
 * of its shuffle (Spark's numPartitions argument of reduceByKey and friends).
 */
import { keySelectorOf, OptionError, type Dataflow, type DataflowNode, type ProcessingTimeWindowNode } from '../../api/index.js';
import { HashPartitioner } from '../rdd/hash-partitioner.js';
import type { OutputFunction } from '../scheduler/task.js';
import { StreamingJoinOperator, WindowAggregateOperator, WindowJoinOperator, type StatefulOperator } from '../state/stateful-operators.js';
import type { DStream, EventTimeDStream } from './dstream.js';
import { ReducedWindowedDStream, ShuffledDStream, WindowResultsDStream } from './pair-dstreams.js';
import { KeyedStateDStream } from './stateful-dstream.js';
import type { StreamingContext } from './streaming-context.js';
import { SOURCE_ORIGIN } from './event-time-tracker.js';

/** The output of sink `name`: each ResultTask writes its partition's records to the sink. */
function sinkOutput(ssc: StreamingContext, name: string): OutputFunction {
  const output: OutputFunction = () => {
    const writer = ssc.sinks.get(name);
    return (v, _et, em, ig) => writer.write(v, em, ig);
  };
  // Names the sink, so that a task of the job can be rebuilt in an executor process (standalone).
  return Object.assign(output, { sinkName: name });
}

/**
 * A processing-time window aggregate as the DStream program `spark.windowOperation` names:
 * `window(w, s).reduceByKey(f)`, `reduceByKeyAndWindow(f, w, s)` (reduceByKey per batch, the window over
 * the reduced batches, reduceByKey again without a shuffle) or `reduceByKeyAndWindow(f, invF, w, s)`;
 * then each window's records as WindowResults.
 */
function lowerProcessingTimeWindow(ssc: StreamingContext, input: DStream, node: ProcessingTimeWindowNode, partitions: number): DStream {
  const size = node.window.size;
  const slide = node.window.kind === 'sliding' ? node.window.slide : size;
  const partitioner = new HashPartitioner(partitions);
  const reduceByKey = (parent: DStream, name: string) => new ShuffledDStream(ssc, parent, node.key, node.aggregate, partitioner, name);
  let reduced: DStream;
  switch (ssc.conf.windowOperation) {
    case 'window':
      reduced = reduceByKey(input.window(size, slide, `${node.name} window`), node.name);
      break;
    case 'reduceByKeyAndWindow':
      reduced = reduceByKey(reduceByKey(input, `${node.name} per batch`).window(size, slide, `${node.name} window`), node.name);
      break;
    case 'reduceByKeyAndWindowInv':
      reduced = new ReducedWindowedDStream(ssc, reduceByKey(input, `${node.name} per batch`), size, slide, node.name);
      break;
  }
  return new WindowResultsDStream(ssc, reduced, size, node.aggregate, `${node.name} results`);
}

/** Builds the DStream graph of `flow`; returns the DStream of each node (sinks: their output stream). */
export function lowerDataflow(ssc: StreamingContext, flow: Dataflow, parallelism: number): DStream[] {
  const streams: DStream[] = [];
  // The event-time origins feeding each node, through every path (as the reference engine computes them).
  const feeding: number[][] = [];
  const mode = ssc.conf.stateMode;
  const state = { mode, deltaChainThreshold: ssc.conf.deltaChainThreshold };
  for (const node of flow.nodes) {
    const input = (i: number) => streams[node.inputs[i]];
    feeding[node.id] = node.kind === 'source' ? [SOURCE_ORIGIN] : [...new Set(node.inputs.flatMap((i) => feeding[i]))];
    const partitions = node.parallelism ?? parallelism;
    let op: StatefulOperator | undefined;
    switch (node.kind) {
      case 'source':
        streams[node.id] = ssc.inputStream(node.name);
        break;
      case 'map':
        streams[node.id] = input(0).map(node.fn, node.name);
        break;
      case 'flatMap':
        streams[node.id] = input(0).flatMap(node.fn, node.name);
        break;
      case 'filter':
        streams[node.id] = input(0).filter(node.fn, node.name);
        break;
      case 'timestamps': {
        const s: EventTimeDStream = input(0).withEventTime(node.fn, node.maxDelay, node.name);
        feeding[node.id] = [s.origin];
        streams[node.id] = s;
        break;
      }
      case 'windowAggregate':
        op = new WindowAggregateOperator(
          node.name,
          ssc.eventTime.addOperator(feeding[node.id]),
          partitions,
          node.key,
          node.window,
          node.aggregate,
          state,
          ssc.conf.mapSideCombine,
          node.earlyFiringMs,
          ssc.conf.batchIntervalMs,
        );
        break;
      case 'windowJoin':
        op = new WindowJoinOperator(
          node.name,
          ssc.eventTime.addOperator(feeding[node.id]),
          partitions,
          [keySelectorOf(node, 0), keySelectorOf(node, 1)],
          node.window,
          node.fn,
          state,
        );
        break;
      case 'processingTimeWindow':
        streams[node.id] = lowerProcessingTimeWindow(ssc, input(0), node, partitions);
        break;
      case 'join':
        op = new StreamingJoinOperator(
          node.name,
          ssc.eventTime.addOperator(feeding[node.id]),
          partitions,
          [keySelectorOf(node, 0), keySelectorOf(node, 1)],
          node.fn,
          state,
        );
        break;
      case 'sink':
        streams[node.id] = input(0).foreachRDD(sinkOutput(ssc, node.name), node.name);
        break;
      default:
        throw new Error(`spark engine: unsupported operator kind ${(node as DataflowNode).kind}`);
    }
    if (op !== undefined) {
      // DStream.validateAtStart: mapWithState and updateStateByKey must checkpoint.
      if (ssc.conf.checkpointSetting === 'off') {
        throw new OptionError(
          `spark.checkpointInterval=off: The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint() (${mode} of operator '${node.name}' must checkpoint)`,
        );
      }
      streams[node.id] = new KeyedStateDStream(
        ssc,
        node.inputs.map((i) => streams[i]),
        op,
      );
    }
  }
  for (const node of flow.nodes) {
    if (node.kind !== 'sink' && flow.consumers[node.id].length > 1) streams[node.id].persist();
  }
  return streams;
}
