/**
 * Lowers the engine-neutral dataflow into a Storm topology:
 *
 * - the source becomes a spout reading the event log (task i owns partitions p with p % tasks == i);
 * - every operator becomes a bolt of its own: Storm does not chain, so every edge is a queue hop;
 * - a keyed operator's inputs are fields-grouped on its key (each input side on its own key); every other
 *   edge is local-or-shuffle.
 *
 * Time and windows, `storm.windowing=storm` (the default, Storm's way): `withTimestamps` is the timestamp
 * field of the tuples, filled in by the component before it (the spout or a stateless bolt whose only
 * consumer it is; otherwise a bolt of its own); event-time windows of a length and a slide become
 * `WindowedBoltExecutor`s, sessions a hand-written session bolt built the same way; each computes its own
 * watermark with a lag of the feeding `maxDelay` + 1 ms (Storm's `watermark = max - lag` is then the
 * project's `max - maxDelay - 1`). Storm refuses a window longer (length + slide) than the message timeout,
 * and so does this. `storm.windowing=incremental`: `withTimestamps` is a bolt broadcasting watermark tuples
 * and windows aggregate incrementally (lowering/incremental/).
 *
 * Bolt factories reach the run's I/O (log, sinks, metrics) only when the topology starts, so the same
 * lowering serves explain, which has none.
 */
import {
  describeNode,
  isKeyed,
  keySelectorOf,
  OptionError,
  rejectProcessingTimeWindows,
  slideOf,
  type Dataflow,
  type DataflowNode,
  type KeyedNode,
  type RunIO,
  type TimestampsNode,
} from '../../api/index.js';
import { WindowAggregation, WindowJoin, type KeyedWindows } from '../../operators/index.js';
import type { StormConfig } from '../config.js';
import type { IBolt } from '../topology/components.js';
import { TopologyBuilder } from '../topology/topology-builder.js';
import type { StormTopology } from '../topology/topology.js';
import { WindowedBoltExecutor } from '../windowing/index.js';
import { FilterBolt, FlatMapBolt, LateTupleBolt, MapBolt, SinkBolt, TimestampFieldBolt, type Stamp } from './function-bolts.js';
import { IncrementalWindowedBolt } from './incremental/incremental-windowed-bolt.js';
import { WatermarkTuplesBolt } from './incremental/watermark-tuples-bolt.js';
import { JoinBolt } from './join-bolt.js';
import { LogSpout } from './log-spout.js';
import { SessionBolt } from './session-bolt.js';
import { FunctionWindowedBolt, keyedAggregate, keyedJoin, type WindowFunction } from './window-functions.js';

type WindowedNode = Extract<KeyedNode, { kind: 'windowAggregate' | 'windowJoin' }>;

export function lowerDataflow(flow: Dataflow, parallelism: number, config: StormConfig, io?: RunIO): StormTopology {
  rejectProcessingTimeWindows(flow, 'storm');
  const needIo = (): RunIO => {
    if (io === undefined) throw new Error('this topology was lowered for explain only and cannot run');
    return io;
  };
  const storm = config.windowing === 'storm';
  if (storm) for (const node of flow.nodes) if (isWindowed(node)) checkWindowAgainstTimeout(node, config);
  const folded = storm ? foldedTimestamps(flow) : new Map<number, TimestampsNode>();
  const lags = storm ? windowLags(flow, config.windowLagMs) : [];
  const builder = new TopologyBuilder(flow.name);
  /** The component whose output is each node's output (a folded timestamps node: the one before it). */
  const componentOf: string[] = [];
  for (const node of flow.nodes) {
    const p = node.parallelism ?? parallelism;
    if (node.kind === 'timestamps' && folded.get(node.inputs[0]) === node) {
      componentOf[node.id] = componentOf[node.inputs[0]];
      continue;
    }
    componentOf[node.id] = node.name;
    const ts = folded.get(node.id);
    const stamp: Stamp | null = ts === undefined ? null : ts.fn;
    const stampNote = ts === undefined ? '' : `; fills the timestamp field (${ts.name}, maxDelay ${ts.maxDelay} ms)`;
    if (node.kind === 'source') {
      builder
        .setSpout(node.name, () => new LogSpout(needIo().log, stamp), p)
        .describe(
          `spout reading the event log (task i owns partitions p with p % ${p} == i); message id = (partition, offset)${stampNote}`,
        );
      continue;
    }
    const lag = lags[node.id];
    const declarer = builder
      .setBolt(node.name, () => createBolt(node, config, needIo(), stamp, lag), p)
      .describe(describeBolt(node, config, lag) + stampNote);
    node.inputs.forEach((input, side) => {
      const from = componentOf[input];
      if (isKeyed(node)) declarer.fieldsGrouping(from, 'key', keySelectorOf(node, side));
      else declarer.localOrShuffleGrouping(from);
    });
    if (storm && isWindowed(node) && config.lateTupleStream !== null) {
      declarer.declareStream(config.lateTupleStream);
      builder
        .setBolt(`${node.name}-late`, () => new LateTupleBolt(node.name, needIo().metrics), 1)
        .describe(`consumes ${node.name}'s late tuple stream '${config.lateTupleStream}': counts each late tuple as dropped`)
        .localOrShuffleGrouping(node.name, config.lateTupleStream);
    }
  }
  return builder.createTopology();
}

function isWindowed(node: DataflowNode): node is WindowedNode {
  return node.kind === 'windowAggregate' || node.kind === 'windowJoin';
}

/**
 * Storm's `WindowedBoltExecutor.validate`: a window whose length plus sliding interval exceeds the message
 * timeout is refused, since its tuples would time out (and be replayed and evaluated again) before they
 * expire. Sessions have no length to check.
 */
function checkWindowAgainstTimeout(node: WindowedNode, config: StormConfig): void {
  const w = node.window;
  if (w.kind === 'session') return;
  const duration = w.size + slideOf(w);
  if (duration <= config.messageTimeoutMs) return;
  throw new OptionError(
    `storm: window '${node.name}': window duration (length + sliding interval) ${duration} ms is more than ` +
      `topology.message.timeout.secs (storm.messageTimeout) ${config.messageTimeoutMs} ms, which Storm's WindowedBoltExecutor refuses: ` +
      'its tuples would time out and be replayed before they expire; raise storm.messageTimeout or use storm.windowing=incremental',
  );
}

/**
 * The timestamps nodes that become the timestamp field of the component before them, by that component's
 * node id: those whose input is the source or a stateless operator consumed by nothing else (so no other
 * consumer sees the changed event time).
 */
function foldedTimestamps(flow: Dataflow): Map<number, TimestampsNode> {
  const folded = new Map<number, TimestampsNode>();
  for (const node of flow.nodes) {
    if (node.kind !== 'timestamps') continue;
    const input = flow.nodes[node.inputs[0]];
    const foldable = input.kind === 'source' || input.kind === 'map' || input.kind === 'flatMap' || input.kind === 'filter';
    if (foldable && flow.consumers[input.id].length === 1) folded.set(input.id, node);
  }
  return folded;
}

/**
 * Each windowed node's lag (ms): `storm.windowLag` if set, else the largest `maxDelay` of the timestamps
 * nodes feeding it, + 1; Infinity when a path reaches it without a timestamps node (its watermark then
 * waits for the end of the input, as the shared semantics say).
 */
function windowLags(flow: Dataflow, fixed: number | null): number[] {
  const bound: number[] = [];
  for (const node of flow.nodes) {
    if (node.kind === 'source') bound[node.id] = Number.POSITIVE_INFINITY;
    else if (node.kind === 'timestamps') bound[node.id] = node.maxDelay;
    else bound[node.id] = Math.max(...node.inputs.map((i) => bound[i]));
  }
  return flow.nodes.map((n) => (!isWindowed(n) ? Number.NaN : (fixed ?? Math.max(...n.inputs.map((i) => bound[i])) + 1)));
}

function describeBolt(node: DataflowNode, config: StormConfig, lag: number): string {
  const storm = config.windowing === 'storm';
  switch (node.kind) {
    case 'timestamps':
      return storm
        ? `fills the timestamp field (maxDelay ${node.maxDelay} ms)`
        : `timestamps bolt: event time from the value, watermark tuples (maxDelay ${node.maxDelay} ms) every ${config.watermarkIntervalMs} ms`;
    case 'windowAggregate':
    case 'windowJoin': {
      if (!storm)
        return `incremental windowed bolt (storm.windowing=incremental): ${describeNode(node)}, fired by watermark tuples; results unanchored; acks tuples on expiry`;
      const w = node.window;
      const late =
        config.lateTupleStream === null ? 'late tuples counted and dropped' : `late tuples on stream '${config.lateTupleStream}'`;
      const watermark = `watermark every ${config.watermarkIntervalMs} ms = min over input streams of the largest timestamp - lag ${Number.isFinite(lag) ? `${lag} ms` : 'Infinity (no timestamps: fires at the end)'}`;
      const early =
        node.kind === 'windowAggregate' && node.earlyFiringMs !== undefined
          ? '; no early firing (Storm has no such trigger): results at the watermark only'
          : '';
      if (w.kind === 'session') {
        return `session bolt (Storm has no session windows): ${describeNode(node)}; holds each session's tuples, ${watermark}, results anchored to the session's tuples, tuples acked when it closes; ${late}${early}`;
      }
      const as = w.kind === 'tumbling' ? `withTumblingWindow(${w.size} ms)` : `withWindow(${w.size} ms, ${slideOf(w)} ms)`;
      return (
        `WindowedBoltExecutor: ${describeNode(node)} as ${as}; holds every tuple (WindowManager, WatermarkTimeEvictionPolicy/TriggerPolicy), ` +
        `${watermark}, results anchored to every tuple of the window, tuples acked when they expire; ${late}${early}`
      );
    }
    case 'join':
      return 'join bolt: keyed incremental join';
    case 'sink':
      return "sink bolt: writes to the run's sink";
    default:
      return `${node.kind} bolt`;
  }
}

function createBolt(node: DataflowNode, config: StormConfig, io: RunIO, stamp: Stamp | null, lag: number): IBolt {
  switch (node.kind) {
    case 'map':
      return new MapBolt(node.fn, stamp);
    case 'flatMap':
      return new FlatMapBolt(node.fn, stamp);
    case 'filter':
      return new FilterBolt(node.fn, stamp);
    case 'timestamps':
      return config.windowing === 'storm'
        ? new TimestampFieldBolt(node.fn)
        : new WatermarkTuplesBolt(node.fn, node.maxDelay, config.watermarkIntervalMs);
    case 'windowAggregate':
    case 'windowJoin':
      return config.windowing === 'storm' ? stormWindowBolt(node, config, io, lag) : incrementalWindowBolt(node, io);
    case 'join':
      return new JoinBolt(node.fn, [node.leftKey, node.rightKey]);
    case 'processingTimeWindow':
      throw new Error(`storm: bolt '${node.name}': processing-time windows are not supported`);
    case 'sink':
      return new SinkBolt(io.sinks.get(node.name));
    case 'source':
      throw new Error('the source is a spout');
  }
}

function stormWindowBolt(node: WindowedNode, config: StormConfig, io: RunIO, lagMs: number): IBolt {
  const keys = node.kind === 'windowAggregate' ? [node.key] : [node.leftKey, node.rightKey];
  const fn: WindowFunction = node.kind === 'windowAggregate' ? keyedAggregate(node.key, node.aggregate) : keyedJoin(keys, node.fn);
  const common = { lagMs, watermarkIntervalMs: config.watermarkIntervalMs, lateTupleStream: config.lateTupleStream };
  const w = node.window;
  if (w.kind === 'session') return new SessionBolt(w, fn, keys, common, node.name, io.metrics);
  return new WindowedBoltExecutor(
    new FunctionWindowedBolt(fn),
    { ...common, lengthMs: w.size, slideMs: slideOf(w) },
    node.name,
    io.metrics,
    keys.length,
  );
}

function incrementalWindowBolt(node: WindowedNode, io: RunIO): IBolt {
  if (node.kind === 'windowAggregate') {
    const state = new WindowAggregation(node.window, node.aggregate) as unknown as KeyedWindows<unknown>;
    return new IncrementalWindowedBolt(node.name, node.window, state, [node.key], io.metrics);
  }
  const state = new WindowJoin(node.window, node.fn) as unknown as KeyedWindows<unknown>;
  return new IncrementalWindowedBolt(node.name, node.window, state, [node.leftKey, node.rightKey], io.metrics);
}
