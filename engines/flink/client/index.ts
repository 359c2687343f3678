export {
  buildStreamGraph,
  flinkHints,
  partitionerName,
  describeStreamNode,
  DEFAULT_SLOT_SHARING_GROUP,
  type StreamGraph,
  type StreamNode,
  type StreamEdge,
  type StreamPartitioner,
  type ChainingStrategy,
  type FlinkHints,
} from './stream-graph.js';
export {
  buildJobGraph,
  isChainable,
  strategiesChainable,
  type JobGraph,
  type JobVertex,
  type JobEdge,
  type DistributionPattern,
  type ChainingVerdict,
} from './job-graph.js';
