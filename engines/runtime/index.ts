/**
 * Primitives every engine builds on, implemented once so that engines differ only where their
 * architectures differ: the cooperative task scheduler, bounded channels, mailboxes and task timers,
 * clocks, the record codec for network edges, and the latency histogram (engines' own figures and the
 * harness's measurements alike).
 */
export { MinHeap } from './min-heap.js';
export { RingQueue } from './ring-queue.js';
export { SystemClock, ManualClock, systemClock } from './clocks.js';
export {
  Scheduler,
  DEFAULT_QUANTUM,
  DEFAULT_SLICE_MS,
  type TaskResult,
  type Runnable,
  type TaskState,
  type TaskHandle,
  type SchedulerOptions,
  type TaskStats,
  type SchedulerStats,
} from './scheduler.js';
export { BoundedChannel } from './channel.js';
export { Mailbox } from './mailbox.js';
export { TimerService, type TimerCallback, type PeriodicTimer } from './timers.js';
export { RecordSerializer, deserializeRecords, RECORD_HEADER_BYTES, RECORD_HEADER_MAX_BYTES } from './codec.js';
export { hashKey, partitionOf } from './key-hash.js';
export {
  LatencyHistogram,
  HISTOGRAM_BUCKET_COUNT,
  HISTOGRAM_HIGHEST_US,
  HISTOGRAM_SIGNIFICANT_BITS,
  bucketLowerBoundUs,
  bucketWidthUs,
  nearestRank,
  type SerializedHistogram,
  type HistogramSummary,
} from './latency-histogram.js';
