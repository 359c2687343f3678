/**
 * Data checkpointing of operator state: every `spark.checkpointInterval` (when `time - zeroTime` is a
 * multiple of it, as DStream.doCheckpoint), after a batch's jobs, a checkpoint job runs one task per state
 * partition: it takes a snapshot of the partition's state (a deep copy) and serializes it to "reliable
 * storage" (kept in memory here; each checkpoint replaces the previous one of that partition). Its time
 * counts in the batch's processing delay, as Spark's RDD checkpoint job does; duration and size are kept.
 */
import { RecordSerializer } from '../../runtime/index.js';
import { DONE, MORE, type PumpResult } from '../rdd/rdd.js';
import type { ExecutorCore } from '../scheduler/executor.js';
import { Task, type TaskSet } from '../scheduler/task.js';
import type { StatefulOperator } from '../state/stateful-operators.js';
import type { BatchContext } from './batch.js';
import type { StreamingContext } from './streaming-context.js';

export interface CheckpointInfo {
  /** Batch time (ms). */
  readonly time: number;
  readonly durationMs: number;
  readonly sizeBytes: number;
}

const CHUNK_BYTES = 64 * 1024;

/**
 * Snapshots one state partition (atomically, in its first run: a deep copy) and then serializes the
 * snapshot `budget` entries per run, so a big state does not hold the thread in one piece.
 */
class CheckpointTask extends Task {
  private entries: unknown[] | undefined;
  private next = 0;
  private readonly ser = new RecordSerializer(CHUNK_BYTES);
  private readonly chunks: Uint8Array[] = [];

  constructor(
    private readonly writer: CheckpointWriter,
    readonly operator: StatefulOperator,
    split: number,
    readonly batch: BatchContext,
  ) {
    super(-1, split);
    this.batchTime = batch.time;
  }

  override get label(): string {
    return `checkpoint ${this.operator.name} partition ${this.partition}`;
  }

  start(_core: ExecutorCore): void {}

  run(budget: number): PumpResult {
    if (this.entries === undefined) {
      const snapshot = this.operator.store.get(this.partition).snapshot() as { entries?: unknown[]; sides?: unknown[][] };
      this.entries = Array.isArray(snapshot.entries)
        ? snapshot.entries
        : Array.isArray(snapshot.sides)
          ? snapshot.sides.flatMap((side, i) => side.map((e) => [i, e]))
          : [snapshot];
      this.put({ operator: this.operator.name, partition: this.partition, version: this.batch.index, time: this.batch.time });
    }
    const end = Math.min(this.entries.length, this.next + budget);
    for (let i = this.next; i < end; i++) this.put(this.entries[i]);
    this.next = end;
    if (end < this.entries.length) return MORE;
    if (!this.ser.isEmpty) this.chunks.push(this.ser.finish());
    for (const c of this.chunks) this.outputBytes += c.byteLength;
    this.writer.store(`${this.operator.name}/${this.partition}`, this.chunks);
    return DONE;
  }

  private put(v: unknown): void {
    if (!this.ser.write(v, 0, 0, 0)) {
      this.chunks.push(this.ser.finish());
      this.ser.write(v, 0, 0, 0);
    }
  }
}

export class CheckpointWriter {
  /** The last checkpoints (at most 1000). */
  readonly history: CheckpointInfo[] = [];
  total = 0;
  /** Latest checkpoint per `operator/partition`. */
  private readonly storage = new Map<string, Uint8Array[]>();

  constructor(private readonly ssc: StreamingContext) {}

  /** Whether batch `time` ends with a checkpoint. */
  isDue(time: number, zeroTime: number): boolean {
    const interval = this.ssc.conf.checkpointIntervalMs;
    return interval > 0 && this.ssc.operators.length > 0 && (time - zeroTime) % interval === 0;
  }

  /** Runs the checkpoint job of `batch` on the executors; `onDone` when every partition is written. */
  run(batch: BatchContext, onDone: () => void): void {
    const { sc } = this.ssc;
    const tasks: CheckpointTask[] = [];
    for (const op of this.ssc.operators) for (let p = 0; p < op.numPartitions; p++) tasks.push(new CheckpointTask(this, op, p, batch));
    const start = sc.clock.now();
    let left = tasks.length;
    let bytes = 0;
    batch.stages++;
    batch.tasks += tasks.length;
    const set: TaskSet = {
      id: `checkpoint-${batch.index}`,
      priority: -1,
      stageId: -1,
      tasks,
      onTaskEnd: (_task, result) => {
        bytes += result.outputBytes;
        if (--left > 0) return;
        this.history.push({ time: batch.time, durationMs: sc.clock.now() - start, sizeBytes: bytes });
        if (this.history.length > 1000) this.history.shift();
        this.total++;
        onDone();
      },
    };
    sc.taskScheduler.submitTasks(set);
  }

  /** Writes one partition's checkpoint, replacing the previous one. */
  store(key: string, chunks: Uint8Array[]): void {
    this.storage.set(key, chunks);
  }

  /** Bytes held by the latest checkpoints. */
  get storedBytes(): number {
    let n = 0;
    for (const chunks of this.storage.values()) for (const c of chunks) n += c.byteLength;
    return n;
  }
}
