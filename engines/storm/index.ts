/**
 * The storm engine: Apache Storm 2 / Alibaba JStorm modelled as Nimbus, supervisors, workers, executors,
 * spouts, bolts and the acker.
 */
export { stormEngine } from './storm-engine.js';
export {
  StandaloneTopology,
  mergeWorkerStats,
  assignmentDigest,
  stormStandaloneOptions,
  type StormStandaloneStats,
} from './standalone/index.js';
export {
  STORM_OPTIONS,
  resolveConfig,
  defaultWorkers,
  type WorkerPlacement,
  type StormConfig,
  type StormTestHooks,
  type Flavour,
  type Windowing,
} from './config.js';
export { LocalCluster, RunningTopology, type SubmitOptions } from './local-cluster.js';
export {
  SupervisedTopology,
  stormFaults,
  supervisionOptions,
  type StormRelaunchStats,
  type StormSupervisionStats,
} from './supervision/index.js';
export { TopologyBuilder, BoltDeclarer, SpoutDeclarer } from './topology/topology-builder.js';
export {
  DEFAULT_STREAM,
  type StormTopology,
  type ComponentDef,
  type SpoutDef,
  type BoltDef,
  type Subscription,
} from './topology/topology.js';
export type { IBolt, ISpout, OutputCollector, SpoutOutputCollector, TopologyContext, FieldsSelector } from './topology/components.js';
export {
  submitTopology,
  validateTopology,
  executorRanges,
  sourceSpouts,
  type TopologyAssignment,
  type NimbusSubmitOptions,
} from './daemon/nimbus.js';
export { clusterSupervisors, type SupervisorInfo, type WorkerSlot } from './daemon/supervisor-info.js';
export { Supervisor } from './daemon/supervisor.js';
export { Worker } from './daemon/worker/worker.js';
export { evenScheduler } from './scheduler/even-scheduler.js';
export { jstormTaskScheduler, TOPOLOGY_MASTER_ID } from './scheduler/jstorm-task-scheduler.js';
export { sortSlots, type ExecutorDetails, type TopologyScheduler } from './scheduler/scheduler.js';
export { mkGrouper, AllGrouping, GlobalGrouping, DirectGrouping } from './grouping/grouper-factory.js';
export { ShuffleGrouping } from './grouping/shuffle-grouping.js';
export { FieldsGrouping } from './grouping/fields-grouping.js';
export { PartialKeyGrouping } from './grouping/partial-key-grouping.js';
export type { Grouper } from './grouping/grouper.js';
export { describeGrouping, type GroupingSpec } from './grouping/grouping.js';
export { Acker, ACKER_COMPONENT_ID, TIMEOUT_BUCKET_NUM } from './acker/acker.js';
export { MessageIdGenerator, formatId } from './acker/message-id.js';
export { RotatingMap } from './acker/rotating-map.js';
export { TupleIdTable } from './acker/tuple-id-table.js';
export { AnchorSet } from './executor/anchor-set.js';
export {
  Tuple,
  DATA,
  WATERMARK,
  EOS,
  ACK_INIT,
  ACK_ACK,
  ACK_FAIL,
  SPOUT_ACK,
  SPOUT_FAIL,
  BATCH,
  BP_TRIGGER,
  FLOW_CTRL,
} from './executor/tuple.js';
export { lowerDataflow } from './lowering/dataflow-to-topology.js';
export { LogSpout } from './lowering/log-spout.js';
export { OffsetManager } from './lowering/offset-manager.js';
export { explainAssignment } from './explain.js';
export { TopologyMaster, type TopologyMasterView } from './jstorm/topology-master.js';
export { BackpressureTrigger } from './jstorm/backpressure-trigger.js';
export { LatencyStats, type LatencySummary } from './metrics/latency-stats.js';
export type { StormEngineStats, BoltStats, QueueStats, WindowStats } from './metrics/engine-stats.js';
export {
  WaterMarkEventGenerator,
  WatermarkTimeEvictionPolicy,
  WatermarkTimeTriggerPolicy,
  WindowManager,
  WindowedBoltExecutor,
  TupleWindowImpl,
  WindowedOutputCollector,
  EXPIRE,
  PROCESS,
  KEEP,
  STOP,
  EXPIRE_EVENTS_THRESHOLD,
  type IWindowedBolt,
  type TupleWindow,
  type WindowedBoltConfig,
  type WindowedBoltStats,
  type WindowLifecycleListener,
} from './windowing/index.js';
