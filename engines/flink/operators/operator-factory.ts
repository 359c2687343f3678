/** The operator of a stream node: what each dataflow node kind becomes inside a task. */
import type { StreamNode } from '../client/stream-graph.js';
import { StreamingJoinOperator } from './join-operator.js';
import { StreamSink } from './sink-operator.js';
import { SourceOperator } from './source-operator.js';
import type { StreamOperator } from './stream-operator.js';
import { TimestampsAndWatermarksOperator } from './timestamps-and-watermarks-operator.js';
import { StreamFilter, StreamFlatMap, StreamMap } from './user-function-operators.js';
import { TwoPhaseCommitSink } from './two-phase-commit-sink.js';
import { WindowOperator } from './window-operator.js';

export function createOperator(streamNode: StreamNode, sinkCommit: 'plain' | 'two-phase-commit' = 'plain'): StreamOperator {
  const node = streamNode.node;
  switch (node.kind) {
    case 'source':
      return new SourceOperator(node.id, node.name);
    case 'map':
      return new StreamMap(node.id, node.name, node.fn);
    case 'flatMap':
      return new StreamFlatMap(node.id, node.name, node.fn);
    case 'filter':
      return new StreamFilter(node.id, node.name, node.fn);
    case 'timestamps':
      return new TimestampsAndWatermarksOperator(node.id, node.name, node.fn, node.maxDelay);
    case 'windowAggregate':
    case 'windowJoin':
      return new WindowOperator(node);
    case 'join':
      return new StreamingJoinOperator(node);
    case 'processingTimeWindow':
      throw new Error(`flink: operator '${node.name}': processing-time windows are not supported`);
    case 'sink':
      return sinkCommit === 'two-phase-commit' ? new TwoPhaseCommitSink(node.id, node.name) : new StreamSink(node.id, node.name);
  }
}
