/**
 * The control path between driver and executors crosses a process boundary in Spark, so it is
 * serialized here too (the runtime's record codec):
 *
 * - the task binary: once per stage, a description of the stage's lineage (its RDDs and their
 *   dependencies, the shuffle it writes) is serialized (Spark broadcasts the serialized (rdd, func)) and
 *   every task deserializes it before it runs;
 * - the TaskDescription: per task launch, the driver encodes task id, stage, partition and batch, and the
 *   executor decodes it to find what to run;
 * - the task result (DirectTaskResult): when a task ends the executor encodes its accumulator updates
 *   (event-time maxima, late records), its metrics and its map output sizes; the driver decodes it and
 *   merges what it decoded. The shuffle data itself stays on the executor (in the shuffle manager).
 *
 * These are small but real per-stage and per-task costs: what makes very small batches expensive.
 */
import { deserializeRecords, RecordSerializer } from '../../runtime/index.js';
import { ShuffleDependency } from '../rdd/shuffled-rdd.js';
import type { TaskContext } from '../rdd/task-context.js';
import { stagePipeline } from './lineage.js';
import { ShuffleMapStage, type Stage } from './stage.js';

/** What the driver sends to launch a task. */
export interface TaskDescription {
  taskId: number;
  attemptNumber: number;
  executorId: string;
  name: string;
  stageId: number;
  partitionId: number;
  batchTime: number;
}

/** Decoded accumulator updates and metrics of a finished task. */
export interface TaskResult {
  taskId: number;
  /** Highest event time per watermark origin. */
  eventTimeMax: number[];
  /** `[operator, records]` dropped as late. */
  late: [string, number][];
  recordsRead: number;
  shuffleWriteBytes: number;
  shuffleWriteRecords: number;
  shuffleReadBytes: number;
  /** Bytes per reducer of a ShuffleMapTask's output (its MapStatus), else empty. */
  mapOutputSizes: number[];
  /** Bytes written to storage (a checkpoint task). */
  outputBytes: number;
}

const BUFFER = 4096;

function encode(ser: RecordSerializer, value: unknown): Uint8Array {
  if (!ser.write(value, 0, 0, 0)) {
    ser.finish();
    ser.write(value, 0, 0, 0);
  }
  return ser.finish();
}

function decodeOne<T>(bytes: Uint8Array): T {
  let out: unknown;
  deserializeRecords(bytes, (v) => (out = v));
  return out as T;
}

/** The serialized lineage of a stage (Spark's task binary). */
export function encodeTaskBinary(stage: Stage): Uint8Array {
  const rdds = stagePipeline(stage.rdd).map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    partitions: r.numPartitions,
    deps: r.dependencies.map((d) => (d instanceof ShuffleDependency ? { shuffleId: d.shuffleId } : { rddId: d.rdd.id })),
  }));
  const shuffle =
    stage instanceof ShuffleMapStage
      ? {
          shuffleId: stage.shuffleDep.shuffleId,
          reducers: stage.shuffleDep.partitioner.numPartitions,
          combine: stage.shuffleDep.combiner !== undefined,
        }
      : null;
  return encode(new RecordSerializer(BUFFER), { stageId: stage.id, kind: stage.kind, rdds, shuffle });
}

/** Decodes a task binary: the RDD ids of the stage's pipeline, source first. */
export function decodeTaskBinary(bytes: Uint8Array): { stageId: number; rddIds: number[] } {
  const d = decodeOne<{ stageId: number; rdds: { id: number }[] }>(bytes);
  return { stageId: d.stageId, rddIds: d.rdds.map((r) => r.id) };
}

/** Encodes and decodes the per-task messages; one instance per endpoint (its buffer is reused). */
export class TaskMessageCodec {
  private readonly ser = new RecordSerializer(BUFFER);

  encodeDescription(d: TaskDescription): Uint8Array {
    return encode(this.ser, d);
  }

  decodeDescription(bytes: Uint8Array): TaskDescription {
    return decodeOne<TaskDescription>(bytes);
  }

  encodeResult(taskId: number, ctx: TaskContext | undefined, mapOutputSizes: number[], outputBytes: number): Uint8Array {
    const result: TaskResult = {
      taskId,
      eventTimeMax: ctx ? Array.from(ctx.eventTimeMax) : [],
      late: ctx?.late ? [...ctx.late] : [],
      recordsRead: ctx?.recordsRead ?? 0,
      shuffleWriteBytes: ctx?.shuffleWriteBytes ?? 0,
      shuffleWriteRecords: ctx?.shuffleWriteRecords ?? 0,
      shuffleReadBytes: ctx?.shuffleReadBytes ?? 0,
      mapOutputSizes,
      outputBytes,
    };
    return encode(this.ser, result);
  }

  /** A result an executor process put together itself (standalone: no TaskContext crosses the boundary). */
  encodeTaskResult(result: TaskResult): Uint8Array {
    return encode(this.ser, result);
  }

  decodeResult(bytes: Uint8Array): TaskResult {
    return decodeOne<TaskResult>(bytes);
  }
}
