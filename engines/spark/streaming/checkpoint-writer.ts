/**
 * Data checkpointing (DStream.doCheckpoint): after the jobs of a batch whose time is a whole number of a
 * stream's checkpoint intervals after the zero time, a checkpoint job runs one task per partition of each
 * stream due: the task reads what the partition holds (operator state, or a window RDD's cached block) and
 * serializes it into a checkpoint file in "reliable storage" (kept in memory here; each file replaces the
 * partition's previous one). The job's time counts in the batch's processing delay, as Spark's RDD
 * checkpoint job does; its duration and size are kept.
 */
import { deserializeRecords } from '../../runtime/index.js';
import { DONE, MORE, type PumpResult } from '../rdd/rdd.js';
import { BlockWriter, chunkBytes } from '../rdd/block-writer.js';
import type { ExecutorCore } from '../scheduler/executor.js';
import { Task, type TaskSet } from '../scheduler/task.js';
import type { BatchContext } from './batch.js';
import type { StreamingContext } from './streaming-context.js';

export interface CheckpointInfo {
  /** Batch time (ms). */
  readonly time: number;
  readonly durationMs: number;
  readonly sizeBytes: number;
}

/** What one checkpoint task writes, a bit at a time. */
export interface CheckpointCursor {
  /** Writes up to about `budget` records into `out`; true once everything is written. */
  writeTo(out: BlockWriter, budget: number): boolean;
}

/** A stream or operator whose partitions are checkpointed every `checkpointIntervalMs`. */
export interface CheckpointSource {
  readonly name: string;
  readonly numPartitions: number;
  /** Batch time between checkpoints (ms), counted from the zero time; 0 = never. */
  readonly checkpointIntervalMs: number;
  /** What partition `split` writes for `batch`; called when its task first runs. */
  openCheckpoint(split: number, batch: BatchContext): CheckpointCursor;
  /** Every partition of batch `time` has been written. */
  checkpointed?(time: number, files: readonly (readonly Uint8Array[])[]): void;
}

/** A cursor over a list of plain-data entries. */
export function entriesCursor(entries: readonly unknown[]): CheckpointCursor {
  let next = 0;
  return {
    writeTo(out, budget) {
      const end = Math.min(entries.length, next + budget);
      for (let i = next; i < end; i++) out.write(entries[i], 0, 0, 0);
      next = end;
      return next >= entries.length;
    },
  };
}

/** A cursor over a serialized block: its records deserialized and written again (an RDD checkpoint reads the cached block). */
export function blockCursor(chunks: readonly Uint8Array[]): CheckpointCursor {
  let next = 0;
  return {
    writeTo(out, budget) {
      let n = 0;
      while (next < chunks.length && n < budget) n += deserializeRecords(chunks[next++], (v, et, em, ig) => out.write(v, et, em, ig));
      return next >= chunks.length;
    },
  };
}

/** Writes one partition of one source: opened in its first run, then `budget` records per run. */
class CheckpointTask extends Task {
  private cursor: CheckpointCursor | undefined;
  private readonly out = new BlockWriter();
  file: Uint8Array[] = [];

  constructor(
    readonly source: CheckpointSource,
    split: number,
    readonly batch: BatchContext,
  ) {
    super(-1, split);
    this.batchTime = batch.time;
  }

  override get label(): string {
    return `checkpoint ${this.source.name} partition ${this.partition}`;
  }

  start(_core: ExecutorCore): void {}

  run(budget: number): PumpResult {
    this.cursor ??= this.source.openCheckpoint(this.partition, this.batch);
    if (!this.cursor.writeTo(this.out, budget)) return MORE;
    this.file = this.out.finish();
    this.outputBytes = chunkBytes(this.file);
    return DONE;
  }
}

export class CheckpointWriter {
  /** The last checkpoints (at most 1000). */
  readonly history: CheckpointInfo[] = [];
  total = 0;
  private readonly sources: CheckpointSource[] = [];
  /** Latest checkpoint file per `source/partition`. */
  private readonly storage = new Map<string, Uint8Array[]>();

  constructor(private readonly ssc: StreamingContext) {}

  addSource(source: CheckpointSource): void {
    this.sources.push(source);
  }

  private dueSources(time: number, zeroTime: number): CheckpointSource[] {
    return this.sources.filter((s) => s.checkpointIntervalMs > 0 && (time - zeroTime) % s.checkpointIntervalMs === 0);
  }

  /** Whether batch `time` ends with a checkpoint. */
  isDue(time: number, zeroTime: number): boolean {
    return this.dueSources(time, zeroTime).length > 0;
  }

  /** Runs the checkpoint job of `batch` on the executors; `onDone` when every partition is written. */
  run(batch: BatchContext, zeroTime: number, onDone: () => void): void {
    const { sc } = this.ssc;
    const due = this.dueSources(batch.time, zeroTime);
    const tasks: CheckpointTask[] = [];
    for (const source of due) for (let p = 0; p < source.numPartitions; p++) tasks.push(new CheckpointTask(source, p, batch));
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
      onTaskEnd: (task, result) => {
        bytes += result.outputBytes;
        const t = task as CheckpointTask;
        this.storage.set(`${t.source.name}/${t.partition}`, t.file);
        if (--left > 0) return;
        for (const source of due) {
          source.checkpointed?.(
            batch.time,
            tasks
              .filter((x) => x.source === source)
              .sort((a, b) => a.partition - b.partition)
              .map((x) => x.file),
          );
        }
        this.history.push({ time: batch.time, durationMs: sc.clock.now() - start, sizeBytes: bytes });
        if (this.history.length > 1000) this.history.shift();
        this.total++;
        onDone();
      },
    };
    sc.taskScheduler.submitTasks(set);
  }

  /** Bytes held by the latest checkpoints. */
  get storedBytes(): number {
    let n = 0;
    for (const chunks of this.storage.values()) n += chunkBytes(chunks);
    return n;
  }
}
