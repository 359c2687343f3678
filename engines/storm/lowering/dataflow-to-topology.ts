/**
 * Lowers the engine-neutral dataflow into a Storm topology:
 *
 * - the source becomes a spout reading the event log (task i owns partitions p with p % tasks == i);
 * - every operator becomes a bolt of its own: Storm does not chain, so every edge is a queue hop;
 * - a keyed operator's inputs are fields-grouped on its key (each input side on its own key); every other
 *   edge is local-or-shuffle;
 * - `withTimestamps` becomes a bolt that generates watermarks periodically; event-time windows become
 *   windowed bolts driven by those watermark tuples.
 *
 * Bolt factories reach the run's I/O (log, sinks, metrics) only when the topology starts, so the same
 * lowering serves explain, which has none.
 */
import { describeNode, keySelectorOf, rejectProcessingTimeWindows, type Dataflow, type DataflowNode, type RunIO } from '../../api/index.js';
import { isKeyed } from '../../api/index.js';
import { WindowAggregation, WindowJoin, type KeyedWindows } from '../../operators/index.js';
import type { StormConfig } from '../config.js';
import type { IBolt } from '../topology/components.js';
import { TopologyBuilder } from '../topology/topology-builder.js';
import type { StormTopology } from '../topology/topology.js';
import { FilterBolt, FlatMapBolt, MapBolt, SinkBolt } from './function-bolts.js';
import { JoinBolt } from './join-bolt.js';
import { LogSpout } from './log-spout.js';
import { TimestampsBolt } from './timestamps-bolt.js';
import { WindowedBolt } from './windowed-bolt.js';

export function lowerDataflow(flow: Dataflow, parallelism: number, config: StormConfig, io?: RunIO): StormTopology {
  rejectProcessingTimeWindows(flow, 'storm');
  const needIo = (): RunIO => {
    if (io === undefined) throw new Error('this topology was lowered for explain only and cannot run');
    return io;
  };
  const builder = new TopologyBuilder(flow.name);
  for (const node of flow.nodes) {
    const p = node.parallelism ?? parallelism;
    if (node.kind === 'source') {
      builder
        .setSpout(node.name, () => new LogSpout(needIo().log), p)
        .describe(`spout reading the event log (task i owns partitions p with p % ${p} == i); message id = (partition, offset)`);
      continue;
    }
    const declarer = builder.setBolt(node.name, () => createBolt(node, config, needIo()), p).describe(describeBolt(node, config));
    node.inputs.forEach((input, side) => {
      const from = flow.nodes[input].name;
      if (isKeyed(node)) declarer.fieldsGrouping(from, 'key', keySelectorOf(node, side));
      else declarer.localOrShuffleGrouping(from);
    });
  }
  return builder.createTopology();
}

function describeBolt(node: DataflowNode, config: StormConfig): string {
  switch (node.kind) {
    case 'timestamps':
      return `timestamps bolt: event time from the value, watermarks (maxDelay ${node.maxDelay} ms) every ${config.watermarkIntervalMs} ms`;
    case 'windowAggregate':
    case 'windowJoin':
      return `windowed bolt: ${describeNode(node)}, fired by watermark tuples; acks tuples on expiry`;
    case 'join':
      return 'join bolt: keyed incremental join';
    case 'sink':
      return "sink bolt: writes to the run's sink";
    default:
      return `${node.kind} bolt`;
  }
}

function createBolt(node: DataflowNode, config: StormConfig, io: RunIO): IBolt {
  switch (node.kind) {
    case 'map':
      return new MapBolt(node.fn);
    case 'flatMap':
      return new FlatMapBolt(node.fn);
    case 'filter':
      return new FilterBolt(node.fn);
    case 'timestamps':
      return new TimestampsBolt(node.fn, node.maxDelay, config.watermarkIntervalMs);
    case 'windowAggregate': {
      const state = new WindowAggregation(node.window, node.aggregate) as unknown as KeyedWindows<unknown>;
      return new WindowedBolt(node.name, node.window, state, [node.key], io.metrics);
    }
    case 'windowJoin': {
      const state = new WindowJoin(node.window, node.fn) as unknown as KeyedWindows<unknown>;
      return new WindowedBolt(node.name, node.window, state, [node.leftKey, node.rightKey], io.metrics);
    }
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
