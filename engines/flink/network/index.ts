export {
  NetworkBuffer,
  BufferStats,
  serializeEvent,
  deserializeEvent,
  isWatermarkFrame,
  CHECKPOINT_BARRIER,
  END_OF_PARTITION,
  WATERMARK_TAG_TIME,
  type TaskEvent,
} from './network-buffer.js';
export {
  ResultPartition,
  ResultSubpartition,
  OutputAvailability,
  FLUSH_FULL,
  FLUSH_TIMEOUT,
  FLUSH_EVENT,
  type ConsumerChannel,
  type ResultPartitionOptions,
} from './result-partition.js';
export { SingleInputGate, InputChannel, type CreditTarget } from './input-gate.js';
export {
  RecordWriter,
  ForwardPartitioner,
  RebalancePartitioner,
  KeyGroupStreamPartitioner,
  channelSelectorFor,
  type ChannelSelector,
} from './record-writer.js';
export { createShuffle, type TaskNetwork, type JobNetwork } from './shuffle-environment.js';
