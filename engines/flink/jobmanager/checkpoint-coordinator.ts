/**
 * The JobManager's `CheckpointCoordinator`: every `checkpointInterval` ms (when set; off by default, as in
 * Flink) it triggers checkpoint n at the running source tasks, which snapshot their offsets and inject
 * barrier n; every task acknowledges with its state once barrier n has passed it. When all tasks have
 * acknowledged, the checkpoint is complete: it is kept (the latest one, as
 * `state.checkpoints.num-retained` = 1) with every task's state and the sources' offsets, and the tasks
 * are notified (the sources then commit their offsets to the log). At most one checkpoint is in flight
 * (`max-concurrent-checkpoints` = 1): a tick that finds one pending is skipped. A checkpoint a task
 * declines, or that is not complete after `checkpointTimeout`, fails. Tasks that have finished count as
 * acknowledged with no state (checkpoints after tasks finished, FLIP-147).
 *
 * With a {@link FsCheckpointStorage} the coordinator creates each checkpoint's directory when it triggers
 * it, writes its `_metadata` (the tasks' state file pointers) when it completes, removes the checkpoint it
 * subsumes, and removes a failed one (after telling the tasks, whose asynchronous parts then stop).
 */
import type { Cancellable, Clock } from '../../api/index.js';
import type { CheckpointMode } from '../options.js';
import { readMetadata, type FsCheckpointStorage } from '../state/checkpoint-storage.js';
import { readOperatorStateFile } from '../state/operator-state-file.js';
import type { CheckpointResponder, TaskCheckpointMetrics, TaskStateHandle } from '../taskmanager/checkpoint-responder.js';

/** What the coordinator needs of a deployed task. */
export interface TaskGateway {
  readonly name: string;
  readonly isSource: boolean;
  readonly finished: boolean;
  triggerCheckpoint(checkpointId: number, timestamp: number): void;
  notifyCheckpointComplete(checkpointId: number): void;
  notifyCheckpointAborted(checkpointId: number): void;
}

/** engineStats.checkpoints[] entries. */
export interface CheckpointStats {
  id: number;
  /** Trigger to last acknowledgement (ms). */
  durationMs: number;
  /** The longest barrier alignment of any task (ms). */
  alignmentMs: number;
  /** The longest synchronous part of any task, on its turn (ms). */
  syncDurationMs: number;
  /** The longest asynchronous part of any task: serializing and writing its state files (ms). */
  asyncDurationMs: number;
  /** Bytes of all tasks' state files. */
  sizeBytes: number;
  status: 'completed' | 'failed';
  failureReason?: string;
}

export interface InFlightCheckpoint {
  id: number;
  /** When it was triggered (clock ms). */
  triggeredAt: number;
  acknowledged: number;
  tasks: number;
}

/** A completed checkpoint: restorable. */
export interface CompletedCheckpoint {
  readonly checkpointId: number;
  /** When it was triggered (clock ms). */
  readonly timestamp: number;
  readonly completedAt: number;
  readonly mode: CheckpointMode;
  /** By task name. */
  readonly taskStates: ReadonlyMap<string, TaskStateHandle>;
  readonly sizeBytes: number;
  /** Its directory (Flink's external pointer), holding `_metadata` and the state files; undefined without storage. */
  readonly externalPointer?: string;
}

/** What `_metadata` holds. */
interface CheckpointMetadata {
  readonly format: 'streamarena-flink-checkpoint';
  readonly version: 1;
  readonly checkpointId: number;
  readonly timestamp: number;
  readonly completedAt: number;
  readonly mode: CheckpointMode;
  readonly sizeBytes: number;
  readonly tasks: readonly TaskStateHandle[];
}

/** Reads the state files of a completed checkpoint into operator states by stream node id (one per subtask). */
export function operatorStatesOf(checkpoint: CompletedCheckpoint): Map<number, unknown[]> {
  const byOperator = new Map<number, unknown[]>();
  for (const handle of checkpoint.taskStates.values()) {
    for (const op of handle.operators) {
      const file = readOperatorStateFile(op.path);
      if (file.header.operatorId !== op.operatorId)
        throw new Error(`${op.path}: holds operator ${file.header.operatorId}, expected ${op.operatorId}`);
      let list = byOperator.get(op.operatorId);
      if (list === undefined) byOperator.set(op.operatorId, (list = []));
      list.push(file.state);
    }
  }
  return byOperator;
}

/** Loads a completed checkpoint from its directory (or its `_metadata`), as a later job restores one. */
export function loadCompletedCheckpoint(path: string): CompletedCheckpoint {
  const m = readMetadata(path) as Partial<CheckpointMetadata>;
  if (m.format !== 'streamarena-flink-checkpoint' || m.version !== 1 || !Array.isArray(m.tasks))
    throw new Error(`${path}: not a flink checkpoint's metadata`);
  return {
    checkpointId: m.checkpointId as number,
    timestamp: m.timestamp as number,
    completedAt: m.completedAt as number,
    mode: m.mode as CheckpointMode,
    taskStates: new Map(m.tasks.map((t) => [t.taskName, t])),
    sizeBytes: m.sizeBytes as number,
    externalPointer: path.replace(/[\\/]_metadata$/, ''),
  };
}

interface PendingCheckpoint {
  readonly id: number;
  readonly timestamp: number;
  /** Task names still to acknowledge, of `tasksToAcknowledge` at the trigger. */
  readonly notYetAcknowledged: Set<string>;
  readonly tasksToAcknowledge: number;
  readonly states: Map<string, TaskStateHandle>;
  alignmentMs: number;
  syncDurationMs: number;
  asyncDurationMs: number;
  sizeBytes: number;
  timeout: Cancellable | undefined;
}

/** Keeps the last this-many checkpoint stats entries in memory. */
const MAX_STATS_HISTORY = 10_000;

export class CheckpointCoordinator implements CheckpointResponder {
  private tasks: readonly TaskGateway[] = [];
  private nextId = 1;
  private pending: PendingCheckpoint | undefined;
  private ticker: Cancellable | undefined;
  private stopped = false;
  private nextTickAt = 0;
  readonly history: CheckpointStats[] = [];
  completedCount = 0;
  failedCount = 0;
  /** Periodic ticks skipped because a checkpoint was still in flight. */
  skippedTicks = 0;
  latestCompleted: CompletedCheckpoint | undefined;
  /** Called on every completed checkpoint (tests, recovery). */
  onCompleted: ((checkpoint: CompletedCheckpoint) => void) | undefined;

  /**
   * @param interval ms between checkpoints; null: checkpointing off (the coordinator only tracks finishes)
   * @param timeout ms after which a pending checkpoint fails
   */
  constructor(
    private readonly clock: Clock,
    readonly interval: number | null,
    private readonly timeout: number,
    readonly mode: CheckpointMode,
    readonly storage?: FsCheckpointStorage,
    firstCheckpointId = 1,
  ) {
    this.nextId = firstCheckpointId;
  }

  /** The id the next checkpoint will get. */
  get nextCheckpointId(): number {
    return this.nextId;
  }

  /** The deployed tasks. */
  setTasks(tasks: readonly TaskGateway[]): void {
    this.tasks = tasks;
  }

  /** Starts the periodic trigger (no-op when checkpointing is off). */
  startCheckpointScheduler(): void {
    if (this.interval === null || this.stopped) return;
    this.nextTickAt = this.clock.now() + this.interval;
    this.ticker = this.clock.schedule(this.nextTickAt, this.tick);
  }

  /** Stops triggering; a pending checkpoint is left to fail by nobody (the job is over). */
  stop(): void {
    this.stopped = true;
    this.ticker?.cancel();
    this.ticker = undefined;
    this.pending?.timeout?.cancel();
  }

  private readonly tick = (): void => {
    if (this.stopped || this.interval === null) return;
    this.nextTickAt += this.interval;
    const now = this.clock.now();
    if (this.nextTickAt <= now) this.nextTickAt = now + this.interval; // fell behind: no burst
    this.ticker = this.clock.schedule(this.nextTickAt, this.tick);
    this.triggerCheckpoint();
  };

  /** Triggers a checkpoint now; returns its id, or undefined when none could start. */
  triggerCheckpoint(): number | undefined {
    if (this.stopped) return undefined;
    if (this.pending !== undefined) {
      this.skippedTicks++;
      return undefined;
    }
    const sources = this.tasks.filter((t) => t.isSource && !t.finished);
    if (sources.length === 0) return undefined; // every source has ended: nothing left to checkpoint
    const id = this.nextId++;
    const timestamp = this.clock.now();
    const toAcknowledge = new Set(this.tasks.filter((t) => !t.finished).map((t) => t.name));
    const pending: PendingCheckpoint = {
      id,
      timestamp,
      notYetAcknowledged: toAcknowledge,
      tasksToAcknowledge: toAcknowledge.size,
      states: new Map(),
      alignmentMs: 0,
      syncDurationMs: 0,
      asyncDurationMs: 0,
      sizeBytes: 0,
      timeout: undefined,
    };
    // Tasks that already finished are part of it with no state.
    for (const t of this.tasks) if (t.finished) pending.states.set(t.name, finishedTask(t.name, -1, -1));
    try {
      this.storage?.initializeLocation(id);
    } catch (err) {
      this.pending = pending;
      this.fail(pending, `cannot create its directory: ${(err as Error).message}`);
      return undefined;
    }
    pending.timeout = this.clock.schedule(timestamp + this.timeout, () => {
      if (this.pending === pending) this.fail(pending, `expired after ${this.timeout} ms`);
    });
    this.pending = pending;
    for (const s of sources) s.triggerCheckpoint(id, timestamp);
    return id;
  }

  acknowledgeCheckpoint(checkpointId: number, state: TaskStateHandle, metrics: TaskCheckpointMetrics): void {
    const p = this.pending;
    if (p === undefined || p.id !== checkpointId || !p.notYetAcknowledged.delete(state.taskName)) return;
    p.states.set(state.taskName, state);
    p.sizeBytes += state.sizeBytes;
    p.alignmentMs = Math.max(p.alignmentMs, metrics.alignmentMs);
    p.syncDurationMs = Math.max(p.syncDurationMs, metrics.syncDurationMs);
    p.asyncDurationMs = Math.max(p.asyncDurationMs, metrics.asyncDurationMs);
    if (p.notYetAcknowledged.size === 0) this.complete(p);
  }

  declineCheckpoint(taskName: string, checkpointId: number, reason: string): void {
    const p = this.pending;
    if (p === undefined || p.id !== checkpointId) return;
    this.fail(p, `declined by ${taskName}: ${reason}`);
  }

  reportTaskFinished(taskName: string, vertexId: number, subtaskIndex: number): void {
    const p = this.pending;
    if (p === undefined || !p.notYetAcknowledged.has(taskName)) return;
    // Barriers precede end of partition on every channel, so a task that finishes without acknowledging
    // a pending checkpoint never received its barrier: it joins with no state.
    this.acknowledgeCheckpoint(p.id, finishedTask(taskName, vertexId, subtaskIndex), {
      alignmentMs: 0,
      syncDurationMs: 0,
      asyncDurationMs: 0,
    });
  }

  private complete(p: PendingCheckpoint): void {
    const completedAt = this.clock.now();
    let externalPointer: string | undefined;
    if (this.storage !== undefined) {
      const metadata: CheckpointMetadata = {
        format: 'streamarena-flink-checkpoint',
        version: 1,
        checkpointId: p.id,
        timestamp: p.timestamp,
        completedAt,
        mode: this.mode,
        sizeBytes: p.sizeBytes,
        tasks: [...p.states.values()],
      };
      try {
        this.storage.writeMetadata(p.id, metadata);
      } catch (err) {
        this.fail(p, `cannot write its metadata: ${(err as Error).message}`);
        return;
      }
      externalPointer = this.storage.locationOf(p.id);
    }
    p.timeout?.cancel();
    this.pending = undefined;
    const checkpoint: CompletedCheckpoint = {
      checkpointId: p.id,
      timestamp: p.timestamp,
      completedAt,
      mode: this.mode,
      taskStates: p.states,
      sizeBytes: p.sizeBytes,
      externalPointer,
    };
    const subsumed = this.latestCompleted;
    this.latestCompleted = checkpoint;
    this.completedCount++;
    this.record({ ...this.figures(p, completedAt), status: 'completed' });
    // One retained completed checkpoint: the new one subsumes the old.
    if (subsumed !== undefined && subsumed.externalPointer !== undefined) this.storage?.discard(subsumed.checkpointId);
    for (const t of this.tasks) if (!t.finished) t.notifyCheckpointComplete(p.id);
    this.onCompleted?.(checkpoint);
  }

  private fail(p: PendingCheckpoint, reason: string): void {
    p.timeout?.cancel();
    this.pending = undefined;
    this.failedCount++;
    this.record({ ...this.figures(p, this.clock.now()), status: 'failed', failureReason: reason });
    for (const t of this.tasks) if (!t.finished) t.notifyCheckpointAborted(p.id);
    this.storage?.discard(p.id);
  }

  private figures(p: PendingCheckpoint, at: number): Omit<CheckpointStats, 'status'> {
    return {
      id: p.id,
      durationMs: round(at - p.timestamp),
      alignmentMs: round(p.alignmentMs),
      syncDurationMs: round(p.syncDurationMs),
      asyncDurationMs: round(p.asyncDurationMs),
      sizeBytes: p.sizeBytes,
    };
  }

  private record(stats: CheckpointStats): void {
    this.history.push(stats);
    if (this.history.length > MAX_STATS_HISTORY) this.history.shift();
  }

  /** The checkpoint in flight, if any. */
  get pendingCheckpointId(): number | undefined {
    return this.pending?.id;
  }

  /** The checkpoint in flight as Flink's UI shows it: id, trigger time (clock ms), tasks acknowledged of all. */
  get inFlight(): InFlightCheckpoint | null {
    const p = this.pending;
    if (!p) return null;
    return {
      id: p.id,
      triggeredAt: p.timestamp,
      acknowledged: p.tasksToAcknowledge - p.notYetAcknowledged.size,
      tasks: p.tasksToAcknowledge,
    };
  }
}

function finishedTask(taskName: string, vertexId: number, subtaskIndex: number): TaskStateHandle {
  return { taskName, vertexId, subtaskIndex, operators: [], sizeBytes: 0, finished: true };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
