/**
 * Flink's `StreamTask`: one chained subtask, run as one task on the shared scheduler (Flink gives it a
 * thread). Its mailbox serializes everything that touches operator state: processing-time timers
 * (watermark emission, the output flusher), checkpoint triggers and completion notices run as mail, in
 * the task's own turn, before it takes more input (the default action).
 *
 * A checkpoint is split as Flink splits it: the synchronous part on the task's turn (forward the barrier,
 * copy operator state, take copy-on-write snapshots of keyed state), the asynchronous part
 * ({@link AsyncCheckpointRunnable}: serialize, write the state files) as a task of its own; the task
 * acknowledges when its asynchronous part is done. A task whose input ends while asynchronous parts are in
 * flight waits for them before it reports itself finished (Flink's `waitForPendingCheckpoints`), so that
 * a checkpoint never counts it as finished-without-state after it snapshotted.
 *
 * Before taking input the task checks its output: while any result partition is unavailable (no credit
 * downstream, pool used up) it parks, back-pressured, until a buffer frees up; the time spent so is
 * `backPressuredMs`.
 */
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
import type { FsCheckpointStorage } from '../state/checkpoint-storage.js';
import { AsyncCheckpointRunnable, type AsyncCheckpointOutcome, type OperatorToSnapshot } from './async-checkpoint-runnable.js';
import type { CheckpointResponder } from './checkpoint-responder.js';
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
  /** Where checkpoints are written (undefined with checkpointing off). */
  readonly checkpointStorage?: FsCheckpointStorage;
  /** Runs an asynchronous checkpoint part as its own task (Flink's asynchronous-operations pool). */
  readonly asyncOperations: (name: string, runnable: Runnable) => void;
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
  /** Asynchronous checkpoint parts in flight, by checkpoint id. */
  readonly asyncCheckpoints = new Map<number, AsyncCheckpointRunnable>();
  /** The input has ended and the operators finished; the task waits for its asynchronous parts. */
  private endOfInput = false;
  private killed = false;

  protected constructor(readonly env: TaskEnvironment) {
    this.name = env.executionVertex.taskName;
    this.clock = env.io.clock;
    this.timers = new TimerService(env.io.clock, this.mailbox);
    this.chain = new OperatorChain(
      env.executionVertex.jobVertex,
      env.jobGraph,
      env.writers,
      env.config.objectReuse,
      env.config.recovery.sinkCommit,
    );
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
    if (this.killed) return 'done';
    if (this.backPressuredSince === this.backPressuredSince) {
      this.backPressuredMs += this.clock.now() - this.backPressuredSince;
      this.backPressuredSince = Number.NaN;
    }
    this.mailbox.runAll();
    if (this.finished) return 'done';
    if (this.endOfInput) return this.finishAfterPendingCheckpoints();
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
      if (this.finished || this.endOfInput) {
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
   * The synchronous part, on the task's turn: forwards the barrier on every output (it finishes the
   * buffers in front of it), then takes every stateful operator's snapshot (operator state copied, keyed
   * state copy-on-write); the asynchronous part is handed to its own task.
   */
  protected performCheckpoint(checkpointId: number, timestamp: number, alignmentMs: number): void {
    const t0 = this.clock.now();
    for (const w of this.writers) w.broadcastEvent({ kind: CHECKPOINT_BARRIER, checkpointId, timestamp });
    const operators: OperatorToSnapshot[] = [];
    for (const op of this.chain.operators) {
      const futures = op.snapshotState(checkpointId);
      if (futures !== undefined) operators.push({ id: op.id, name: op.name, futures });
      if (op instanceof SourceOperator) op.checkpointTaken(checkpointId);
    }
    this.checkpointsTaken++;
    const syncDurationMs = this.clock.now() - t0;
    const storage = this.env.checkpointStorage;
    if (storage === undefined) throw new Error(`${this.name}: checkpoint ${checkpointId} without checkpoint storage`);
    const onDone = (outcome: AsyncCheckpointOutcome) => this.asyncPartDone(outcome, alignmentMs, syncDurationMs);
    const runnable = new AsyncCheckpointRunnable(checkpointId, this, operators, storage.locationOf(checkpointId), this.clock, onDone);
    this.asyncCheckpoints.set(checkpointId, runnable);
    this.env.asyncOperations(`${this.name} async checkpoint ${checkpointId}`, runnable);
  }

  /** From the asynchronous part's own turn: acknowledge (or decline), then let a finishing task end. */
  private asyncPartDone(outcome: AsyncCheckpointOutcome, alignmentMs: number, syncDurationMs: number): void {
    this.asyncCheckpoints.delete(outcome.checkpointId);
    const responder = this.env.checkpointResponder;
    if (outcome.state !== undefined)
      responder.acknowledgeCheckpoint(outcome.checkpointId, outcome.state, {
        alignmentMs,
        syncDurationMs,
        asyncDurationMs: outcome.asyncDurationMs,
      });
    else responder.declineCheckpoint(this.name, outcome.checkpointId, outcome.failure ?? 'the asynchronous part failed');
    if (this.endOfInput && this.asyncCheckpoints.size === 0) this.wake();
  }

  /** Checkpoint `checkpointId` was given up (runs as mail): its asynchronous part, if still running, stops. */
  notifyCheckpointAborted(checkpointId: number): void {
    this.mailbox.put(() => {
      for (const [id, r] of this.asyncCheckpoints) {
        if (id > checkpointId) continue;
        r.cancel();
        this.asyncCheckpoints.delete(id);
      }
    });
  }

  /** End of input: operators finish, end of partition goes out on every channel, timers stop. */
  protected endTask(): TaskResult {
    for (const op of this.chain.operators) op.finish();
    for (const p of this.partitions) p.finish();
    this.timers.shutdown();
    this.endOfInput = true;
    return this.finishAfterPendingCheckpoints();
  }

  /** Finished once no asynchronous part is in flight; until then parked (woken when the last is done). */
  private finishAfterPendingCheckpoints(): TaskResult {
    if (this.asyncCheckpoints.size > 0) return 'park';
    this.finished = true;
    this.env.checkpointResponder.reportTaskFinished(this.name, this.vertexId, this.subtaskIndex);
    return 'done';
  }

  /** The TaskManager process holding this task is gone: it never runs again, reports nothing, closes nothing. */
  kill(): void {
    this.killed = true;
    this.timers.shutdown();
    for (const r of this.asyncCheckpoints.values()) r.cancel();
    this.asyncCheckpoints.clear();
    this.wake();
  }

  /** Whether its TaskManager died under it. */
  get isKilled(): boolean {
    return this.killed;
  }

  /** Stops everything the task scheduled (the job was stopped). */
  cancel(): void {
    this.timers.shutdown();
    this.finished = true;
    for (const r of this.asyncCheckpoints.values()) r.cancel();
    this.asyncCheckpoints.clear();
  }
}
