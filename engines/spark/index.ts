/** The `spark` engine: Spark Streaming's micro-batch model (DStreams, RDDs, stages, executors). */
export { sparkEngine } from './spark-engine.js';
export type { SparkEngineStats } from './spark-stats.js';
export {
  SPARK_OPTIONS,
  sparkConf,
  defaultCheckpointInterval,
  type SparkConf,
  type SourceKind,
  type StateMode,
  type WindowOperation,
} from './spark-conf.js';
export { SparkContext, type ClusterIO } from './spark-context.js';
export { StreamingContext, type StreamingIO, type BatchStats } from './streaming/streaming-context.js';
export { DStream, MappedDStream, EventTimeDStream, WindowedDStream, ForEachDStream } from './streaming/dstream.js';
export { EventTimeTracker, SOURCE_ORIGIN } from './streaming/event-time-tracker.js';
export { InputDStream } from './streaming/input-dstream.js';
export { DirectKafkaInputDStream } from './streaming/direct-kafka-input.js';
export { ReceiverInputDStream, ReceiverTracker } from './streaming/receiver-input.js';
export { KeyedStateDStream } from './streaming/stateful-dstream.js';
export { ShuffledDStream, ReducedWindowedDStream, WindowResultsDStream } from './streaming/pair-dstreams.js';
export { CheckpointWriter, type CheckpointSource, type CheckpointCursor, type CheckpointInfo } from './streaming/checkpoint-writer.js';
export { lowerDataflow } from './streaming/lower-dataflow.js';
export { PIDRateEstimator, DEFAULT_PID_GAINS, type PIDGains } from './streaming/pid-rate-estimator.js';
export { RateLimiter } from './streaming/rate-limiter.js';
export { RecurringTimer } from './streaming/recurring-timer.js';
export { BatchContext } from './streaming/batch.js';
export { RDD, MORE, DONE, BLOCKED, OneToOneDependency, RangeDependency, type PartitionPump, type PumpResult } from './rdd/rdd.js';
export { ShuffleDependency, ShuffledRDD, type MapSideCombiner, type WindowCombiner, type KeyCombiner } from './rdd/shuffled-rdd.js';
export { HashPartitioner } from './rdd/hash-partitioner.js';
export { KeyedStateRDD } from './rdd/keyed-state-rdd.js';
export { KafkaRDD, type OffsetRange } from './rdd/kafka-rdd.js';
export { UnionRDD, PartitionerAwareUnionRDD, EmptyRDD, unionOf } from './rdd/union-rdd.js';
export { CombineByKeyRDD } from './rdd/combine-by-key-rdd.js';
export { CoGroupedRDD } from './rdd/co-grouped-rdd.js';
export { ReliableCheckpointRDD } from './rdd/checkpoint-rdd.js';
export { BlockWriter } from './rdd/block-writer.js';
export { DAGScheduler } from './scheduler/dag-scheduler.js';
export { shuffleDependenciesOf, stagePipeline } from './scheduler/lineage.js';
export {
  TaskMessageCodec,
  encodeTaskBinary,
  decodeTaskBinary,
  type TaskDescription,
  type TaskResult,
} from './scheduler/task-description.js';
export { Stage, ShuffleMapStage, ResultStage } from './scheduler/stage.js';
export { explainSpark } from './explain.js';
export { startStandaloneSpark, STALL_EXECUTOR_ENV, type TaskLaunchCost } from './standalone/index.js';
export type { SparkClusterStats } from './spark-stats.js';
