/**
 * Storm's windowing (`org.apache.storm.windowing` and `WindowedBoltExecutor`): event-time windows of a
 * duration held tuple by tuple, with the watermark computed inside each windowed bolt.
 */
export { WaterMarkEventGenerator } from './watermark-event-generator.js';
export { WatermarkTimeEvictionPolicy, EXPIRE, PROCESS, KEEP, STOP, type EvictionAction } from './eviction-policy.js';
export { WatermarkTimeTriggerPolicy, type TriggerTarget } from './trigger-policy.js';
export { WindowManager, EXPIRE_EVENTS_THRESHOLD, type WindowLifecycleListener } from './window-manager.js';
export { TupleWindowImpl, type TupleWindow } from './tuple-window.js';
export { WindowedOutputCollector } from './windowed-output-collector.js';
export { ExpiredTupleAcks } from './expired-tuple-acks.js';
export { LateTuples, type DetachedTuple } from './late-tuples.js';
export { WindowedBoltExecutor, type IWindowedBolt, type WindowedBoltConfig, type WindowedBoltStats } from './windowed-bolt-executor.js';
