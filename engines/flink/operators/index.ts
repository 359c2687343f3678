export {
  StreamOperator,
  BroadcastingOutput,
  NO_OUTPUT,
  type Output,
  type OperatorContext,
  type OperatorSnapshotFutures,
} from './stream-operator.js';
export {
  SourceOperator,
  MORE_AVAILABLE,
  NOTHING_AVAILABLE,
  END_OF_INPUT,
  BACKPRESSURED,
  MAX_POLL_RECORDS,
  type SourceStatus,
  type SourceSnapshot,
} from './source-operator.js';
export { StreamMap, StreamFlatMap, StreamFilter } from './user-function-operators.js';
export { TimestampsAndWatermarksOperator } from './timestamps-and-watermarks-operator.js';
export { WindowOperator } from './window-operator.js';
export { StreamingJoinOperator } from './join-operator.js';
export { StreamSink } from './sink-operator.js';
export { createOperator } from './operator-factory.js';
export { CopyingChainingOutput, copyRecordValue } from './copying-chaining-output.js';
