/**
 * Flink's `StreamTask`: one chained subtask, run as one task on the shared scheduler (Flink gives it a
 * thread). Its mailbox serializes everything that touches operator state: processing-time timers
 * (watermark emission, the output flusher), checkpoint triggers and completion notices run as mail, in
 * the task's own turn, before it takes more input (the default action).
 *
 * Before taking input the task checks its output: while any result partition is unavailable (no credit
 * downstream, pool used up) it parks, back-pressured, until a buffer frees up; the time spent so is
 * `backPressuredMs`.
 */
import { serialize } from 'node:v8';
import type { Clock, RunIO } from '../../api/index.js';
import { Mailbox, TimerService, type Runnable, type TaskHandle, type TaskResult } from '../../runtime/index.js';
import type { JobGraph } from '../client/job-graph.js';
import type { ExecutionVertex } from '../jobmanager/execution-graph.js';
import { CHECKPOINT_BARRIER } from '../network/network-buffer.js';
import type { RecordWriter } from '../network/record-writer.js';
import type { OutputAvailability, ResultPartition } from '../network/result-partition.js';
import type { SingleInputGate } from '../network/input-gate.js';
import { SourceOperator, StreamSink, type OperatorContext } from '../operators/index.js';
import type { FlinkConfig } from '../options.js';
import type { CheckpointResponder, TaskStateSnapshot } from './checkpoint-responder.js';
import { OperatorChain } from './operator-chain.js';

/** Everything a task is deployed with (Flink's TaskDeploymentDescriptor plus its environment). */
export interface TaskEnvironment {
  readonly io: RunIO;
  readonly config: FlinkConfig;
  readonly jobGraph: JobGraph;
  readonly executionVertex: ExecutionVertex;
  /** Output partitions and their writers, by JobEdge id. */
  readonly partitions: ReadonlyMap<number, ResultPartition>;
  readonly writers: ReadonlyMap<number, RecordWriter>;
  readonly availability: OutputAvailability;
  /** Input gates, one per input JobEdge, in head input order. */
  readonly gates: readonly SingleInputGate[];
  readonly checkpointResponder: CheckpointResponder;
  /** Operator states to restore, by stream node id (snapshots of every subtask of that operator). */
  readonly restoreState?: ReadonlyMap<number, readonly unknown[]>;
  /** Where it runs (for stats and plans). */
  readonly taskManager: number;
  readonly slot: number;
}

export abstract class StreamTask implements Runnable {
  readonly name: string;
  readonly mailbox = new Mailbox();
  readonly timers: TimerService;
  readonly chain: OperatorChain;
  readonly clock: Clock;
  /** The scheduler's wake for this task (set by {@link attach}). */
  wake: () => void = () => {};
  finished = false;
  /** Clock time (ms) spent parked because the output was unavailable. */
  backPressuredMs = 0;
  private backPressuredSince = Number.NaN;
  protected readonly writers: RecordWriter[];
  protected readonly partitions: ResultPartition[];
  protected readonly availability: OutputAvailability;
  /** Checkpoints snapshotted by this task. */
  checkpointsTaken = 0;

  protected constructor(readonly env: TaskEnvironment) {
    this.name = env.executionVertex.taskName;
    this.clock = env.io.clock;
    this.timers = new TimerService(env.io.clock, this.mailbox);
    this.chain = new OperatorChain(env.executionVertex.jobVertex, env.jobGraph, env.writers, env.config.objectReuse);
    this.writers = [...env.writers.values()];
    this.partitions = [...env.partitions.values()];
    this.availability = env.availability;
  }

  get vertexId(): number {
    return this.env.executionVertex.jobVertex.id;
  }

  get subtaskIndex(): number {
    return this.env.executionVertex.subtaskIndex;
  }

  /** Binds the scheduler handle; opens (and restores) the operators, tail first as Flink does; starts the flusher. */
  attach(handle: TaskHandle): void {
    this.wake = handle.wake;
    this.mailbox.bind(handle.wake);
    const ev = this.env.executionVertex;
    const ctx: OperatorContext = {
      io: this.env.io,
      clock: this.clock,
      timers: this.timers,
      metrics: this.env.io.metrics,
      config: this.env.config,
      subtaskIndex: ev.subtaskIndex,
      parallelism: ev.jobVertex.parallelism,
      maxParallelism: ev.jobVertex.maxParallelism,
      keyGroupRange: ev.keyGroupRange,
    };
    const ops = this.chain.operators;
    for (let i = ops.length - 1; i >= 0; i--) {
      ops[i].open(ctx);
      const restored = this.env.restoreState?.get(ops[i].id);
      if (restored !== undefined) ops[i].restoreState(restored);
    }
    const timeout = this.env.config.bufferTimeout;
    // The OutputFlusher: every bufferTimeout ms, whatever sits in a partially filled buffer is sent.
    if (timeout !== null && timeout > 0 && this.partitions.length > 0) this.timers.periodic(timeout, this.flushAll);
  }

  run(budget: number): TaskResult {
    if (this.backPressuredSince === this.backPressuredSince) {
      this.backPressuredMs += this.clock.now() - this.backPressuredSince;
      this.backPressuredSince = Number.NaN;
    }
    this.mailbox.runAll();
    if (this.finished) return 'done';
    return this.processInput(budget);
  }

  /** The default action: take input and push it through the chain. */
  protected abstract processInput(budget: number): TaskResult;

  /** Records taken in (read from the log, or deserialized from the network). */
  abstract get recordsIn(): number;

  /** Records written to the network or to sinks. */
  get recordsOut(): number {
    let n = this.chain.recordsOut;
    for (const op of this.chain.operators) if (op instanceof StreamSink) n += op.records;
    return n;
  }

  /** Whether the task is parked on its output right now. */
  get isBackPressured(): boolean {
    return this.backPressuredSince === this.backPressuredSince;
  }

  /** When the current back-pressured park began (clock ms); NaN when not back-pressured. */
  get backPressuredSinceMs(): number {
    return this.backPressuredSince;
  }

  protected parkBackPressured(): TaskResult {
    this.backPressuredSince = this.clock.now();
    this.availability.onAvailable(this.wake);
    return 'park';
  }

  private readonly flushAll = (): void => {
    for (const w of this.writers) w.flushAll();
  };

  /** The coordinator asks a source task to start checkpoint `checkpointId` (runs as mail). */
  triggerCheckpoint(checkpointId: number, timestamp: number): void {
    this.mailbox.put(() => {
      if (this.finished) {
        this.env.checkpointResponder.declineCheckpoint(this.name, checkpointId, 'the task has finished');
        return;
      }
      this.performCheckpoint(checkpointId, timestamp, 0);
    });
  }

  /** Checkpoint `checkpointId` completed everywhere (runs as mail). */
  notifyCheckpointComplete(checkpointId: number): void {
    this.mailbox.put(() => {
      for (const op of this.chain.operators) op.notifyCheckpointComplete(checkpointId);
    });
  }

  /**
   * Forwards the barrier on every output (it finishes the buffers in front of it), takes the synchronous
   * snapshot of every operator, and leaves the asynchronous part (serializing it into checkpoint storage)
   * to a deferred callback that then acknowledges to the coordinator.
   */
  protected performCheckpoint(checkpointId: number, timestamp: number, alignmentMs: number): void {
    for (const w of this.writers) w.broadcastEvent({ kind: CHECKPOINT_BARRIER, checkpointId, timestamp });
    const operators: [number, unknown][] = [];
    for (const op of this.chain.operators) {
      const state = op.snapshotState();
      if (state !== undefined) operators.push([op.id, state]);
      if (op instanceof SourceOperator) op.checkpointTaken(checkpointId);
    }
    this.checkpointsTaken++;
    const snapshot: TaskStateSnapshot = { vertexId: this.vertexId, subtaskIndex: this.subtaskIndex, operators };
    const responder = this.env.checkpointResponder;
    const { name, vertexId, subtaskIndex } = this;
    this.clock.defer(() => {
      const bytes = serialize(snapshot);
      responder.acknowledgeCheckpoint(checkpointId, { taskName: name, vertexId, subtaskIndex, bytes, finished: false }, alignmentMs);
    });
  }

  /** End of input: operators finish, end of partition goes out on every channel, timers stop. */
  protected endTask(): TaskResult {
    for (const op of this.chain.operators) op.finish();
    for (const p of this.partitions) p.finish();
    this.timers.shutdown();
    this.finished = true;
    this.env.checkpointResponder.reportTaskFinished(this.name, this.vertexId, this.subtaskIndex);
    return 'done';
  }

  /** Stops everything the task scheduled (the job was stopped). */
  cancel(): void {
    this.timers.shutdown();
    this.finished = true;
  }
}
