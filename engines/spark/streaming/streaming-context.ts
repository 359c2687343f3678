/**
 * The StreamingContext: a batch interval (`spark.batchInterval`, default 1000 ms), the DStream graph, and
 * the driver machinery that runs it: JobGenerator (batch timer), JobScheduler (job queue), the event-time
 * tracker (the driver-side closing thresholds of event-time windows), the checkpoint writer, and the
 * SparkContext underneath. Build DStreams on it
 * (`inputStream()`, then `map`, `window`, `foreachRDD`...), then `start()`.
 */
import type { SinkSet } from '../../api/index.js';
import { SparkContext, type ClusterIO } from '../spark-context.js';
import type { SparkConf } from '../spark-conf.js';
import type { StatefulOperator } from '../state/stateful-operators.js';
import type { BatchContext } from './batch.js';
import { CheckpointWriter } from './checkpoint-writer.js';
import { DirectKafkaInputDStream } from './direct-kafka-input.js';
import { DStreamGraph } from './dstream-graph.js';
import type { InputDStream } from './input-dstream.js';
import { JobGenerator } from './job-generator.js';
import { JobScheduler } from './job-scheduler.js';
import { ReceiverInputDStream } from './receiver-input.js';
import { EventTimeTracker } from './event-time-tracker.js';
import type { SparkEngineStats } from '../spark-stats.js';

/** Kept per batch in `engineStats.batches` (the last 1000). */
export interface BatchStats {
  /** Batch time, ms since epoch. */
  time: number;
  records: number;
  schedulingDelayMs: number;
  processingDelayMs: number;
  totalDelayMs: number;
  stages: number;
  tasks: number;
  /** When its first job started and its last job (and checkpoint) ended, ms since epoch. */
  processingStartTime: number;
  processingEndTime: number;
  /** Live keyed-state entries after the batch, over every operator and partition. */
  stateEntries: number;
}

const KEEP_BATCHES = 1000;

export interface StreamingIO extends ClusterIO {
  readonly sinks: SinkSet;
}

export class StreamingContext {
  readonly sc: SparkContext;
  readonly graph = new DStreamGraph();
  readonly eventTime: EventTimeTracker;
  readonly operators: StatefulOperator[] = [];
  readonly jobScheduler: JobScheduler;
  readonly jobGenerator: JobGenerator;
  readonly checkpointWriter: CheckpointWriter;
  readonly sinks: SinkSet;
  readonly batches: BatchStats[] = [];
  batchesTotal = 0;
  recordsTotal = 0;
  /** Sums over all batches (ms). */
  private delaySums = { scheduling: 0, processing: 0, total: 0 };
  private maxSchedulingDelay = 0;
  private state: 'initialized' | 'active' | 'stopped' = 'initialized';
  private resolveTermination!: () => void;
  private rejectTermination!: (e: Error) => void;
  /** Resolves after the last batch of a bounded input has completed; rejects if a task fails. */
  readonly termination: Promise<void>;

  constructor(
    readonly conf: SparkConf,
    io: StreamingIO,
  ) {
    this.sc = new SparkContext(conf, io);
    this.eventTime = new EventTimeTracker(conf.stateMode === 'updateStateByKey');
    this.sinks = io.sinks;
    this.jobScheduler = new JobScheduler(this);
    this.jobGenerator = new JobGenerator(this);
    this.checkpointWriter = new CheckpointWriter(this);
    this.termination = new Promise<void>((resolve, reject) => {
      this.resolveTermination = resolve;
      this.rejectTermination = reject;
    });
    this.termination.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
  }

  /** The input stream of the configured kind over the run's log (direct by default). */
  inputStream(name: string): InputDStream {
    return this.conf.source === 'receiver' ? new ReceiverInputDStream(this, name) : new DirectKafkaInputDStream(this, name);
  }

  addStatefulOperator(op: StatefulOperator): void {
    this.operators.push(op);
    op.checkpointIntervalMs = this.conf.checkpointIntervalMs;
    this.checkpointWriter.addSource(op);
  }

  start(): void {
    if (this.state !== 'initialized') throw new Error(`StreamingContext cannot be started when ${this.state}`);
    this.state = 'active';
    for (const input of this.graph.inputStreams) input.start();
    this.sc.start();
    // After the cores are spawned: done() of a scheduler with no live task resolves at once, and a task's failure would go unseen.
    this.sc.scheduler.done().catch((err: Error) => this.fail(err));
    this.jobGenerator.start();
  }

  /** Stops generating and running batches; nothing runs after this returns. */
  stop(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.jobGenerator.stop();
    this.jobScheduler.stop();
    for (const input of this.graph.inputStreams) input.stop();
    this.sc.stop();
    this.resolveTermination();
  }

  /** Called by the JobScheduler, in batch order. */
  onBatchCompleted(batch: BatchContext): void {
    this.eventTime.complete(batch);
    for (const input of this.graph.inputStreams) {
      input.onBatchCompleted(batch.time);
      input.rateController?.onBatchCompleted(batch);
    }
    this.graph.clearMetadata(batch.time);
    this.sc.dagScheduler.clearBatch(batch);
    this.record(batch);
    if (batch.final) this.stop();
  }

  private record(batch: BatchContext): void {
    const s: BatchStats = {
      time: batch.time,
      records: batch.records,
      schedulingDelayMs: round(batch.schedulingDelay),
      processingDelayMs: round(batch.processingDelay),
      totalDelayMs: round(batch.totalDelay),
      stages: batch.stages,
      tasks: batch.tasks,
      processingStartTime: round(batch.processingStartTime),
      processingEndTime: round(batch.processingEndTime),
      stateEntries: this.operators.reduce((a, op) => a + op.stateEntries, 0),
    };
    this.batches.push(s);
    if (this.batches.length > KEEP_BATCHES) this.batches.shift();
    this.batchesTotal++;
    this.recordsTotal += batch.records;
    this.delaySums.scheduling += batch.schedulingDelay;
    this.delaySums.processing += batch.processingDelay;
    this.delaySums.total += batch.totalDelay;
    if (batch.schedulingDelay > this.maxSchedulingDelay) this.maxSchedulingDelay = batch.schedulingDelay;
  }

  private fail(err: Error): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.jobGenerator.stop();
    this.jobScheduler.stop();
    for (const input of this.graph.inputStreams) input.stop();
    this.rejectTermination(err);
  }

  /** The engineStats of the run (JSON-serializable). */
  stats(): SparkEngineStats {
    const n = Math.max(1, this.batchesTotal);
    const sum = (f: (op: StatefulOperator) => number) => this.operators.reduce((a, op) => a + f(op), 0);
    const rateLimit = this.graph.inputStreams.flatMap((i) => i.rateController?.history ?? []);
    return {
      batchIntervalMs: this.conf.batchIntervalMs,
      batches: this.batches,
      batchesTotal: this.batchesTotal,
      shuffleBytes: this.sc.shuffleManager.bytesWritten,
      stateEntries: this.operators.reduce((a, op) => a + op.stateEntries, 0),
      checkpoints: this.checkpointWriter.history,
      rateLimit,
      lateRecordsDropped: this.sc.lateRecordsDropped,
      // Beyond the required shape:
      source: this.conf.source,
      recordsIn: this.recordsTotal,
      batchesPending: this.jobScheduler.pendingBatches,
      meanSchedulingDelayMs: round(this.delaySums.scheduling / n),
      meanProcessingDelayMs: round(this.delaySums.processing / n),
      meanTotalDelayMs: round(this.delaySums.total / n),
      maxSchedulingDelayMs: round(this.maxSchedulingDelay),
      stagesTotal: this.sc.dagScheduler.stagesSubmitted,
      tasksTotal: this.sc.taskScheduler.tasksLaunched,
      executors: this.conf.executors,
      coresPerExecutor: this.conf.coresPerExecutor,
      concurrentJobs: this.conf.concurrentJobs,
      stateMode: this.conf.stateMode,
      // Keyed state (see state/keyed-state.ts): what the update functions touched, scanned and closed.
      stateEntriesTouched: sum((op) => op.counters.touched),
      stateEntriesScanned: sum((op) => op.counters.scanned),
      stateEntriesClosed: sum((op) => op.counters.closed),
      stateFullScans: this.operators.reduce((a, op) => Math.max(a, op.fullScans), 0),
      stateEntriesHeld: sum((op) => op.heldEntries),
      stateBytes: sum((op) => op.stateBytes),
      stateBytesSerialized: sum((op) => op.counters.bytesWritten),
      deltaChainLength: this.operators.reduce((a, op) => Math.max(a, op.deltaChainLength), 0),
      earlyResults: sum((op) => op.counters.early),
      checkpointIntervalMs: this.conf.checkpointIntervalMs,
      checkpointsTotal: this.checkpointWriter.total,
      checkpointStoredBytes: this.checkpointWriter.storedBytes,
      windowOperation: this.conf.windowOperation,
      // MEMORY_ONLY_SER blocks (windows' batches, state): what they hold and what they cost.
      serializedBlockBytes: this.sc.blockManager.serializedRddBytes,
      recordsSerializedToBlocks: this.sc.blockManager.serializedRecordsWritten,
      recordsDeserializedFromBlocks: this.sc.blockManager.serializedRecordsRead,
      eventTimeThresholds: this.eventTime.originThresholds().map((w) => (Number.isFinite(w) ? w : null)),
    };
  }
}

function round(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 1000) / 1000 : 0;
}
