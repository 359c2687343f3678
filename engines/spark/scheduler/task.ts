/**
 * Tasks: the unit an executor core runs. A ShuffleMapTask computes one partition of a ShuffleMapStage's
 * RDD into a shuffle writer; a ResultTask computes one partition of a ResultStage's RDD into the job's
 * output (the sink). Both run the whole pipeline of their stage, resumably, `budget` records per run.
 */
import type { Emit } from '../../operators/index.js';
import { DONE, type PartitionPump, type PumpResult } from '../rdd/rdd.js';
import type { MapStatus, ShuffleWriter } from '../rdd/shuffle-manager.js';
import { TaskContext } from '../rdd/task-context.js';
import type { ExecutorCore } from './executor.js';
import type { ResultStage, ShuffleMapStage } from './stage.js';
import type { TaskResult } from './task-description.js';

/** A group of tasks submitted together (one stage's missing partitions, or a checkpoint). */
export interface TaskSet {
  readonly id: string;
  /** Lower runs first (FIFO scheduling: the job id). */
  readonly priority: number;
  readonly stageId: number;
  readonly tasks: readonly Task[];
  /** Called on the driver when one of the tasks has finished, with its decoded result. */
  readonly onTaskEnd: (task: Task, result: TaskResult) => void;
}

export abstract class Task {
  /** Set by start(); undefined for tasks that run no RDD pipeline (receivers, checkpoints). */
  ctx: TaskContext | undefined;
  /** Assigned by the TaskScheduler when submitted; -1 for tasks launched outside it (receivers). */
  taskId = -1;
  /** The stage's serialized lineage, which the executor deserializes before running the task. */
  binary: Uint8Array | undefined;
  /** Bytes the task wrote to storage (checkpoints), reported in its result. */
  outputBytes = 0;
  /** Time (ms) of the batch the task belongs to, -1 when none. */
  batchTime = -1;

  constructor(
    readonly stageId: number,
    readonly partition: number,
  ) {}

  /** Bytes per reducer of the task's map output (ShuffleMapTasks). */
  mapOutputSizes(): number[] {
    return [];
  }

  /** Called on the core that will run the task, before the first `run`. */
  abstract start(core: ExecutorCore): void;
  /** Runs up to about `budget` records: MORE, BLOCKED (the core parks until woken) or DONE. */
  abstract run(budget: number): PumpResult;
  /** `stage 3 task 1`. */
  get label(): string {
    return `stage ${this.stageId} task ${this.partition}`;
  }
}

/** Output of a job: built once per ResultTask, it receives every record of the task's partition. */
export type OutputFunction = (ctx: TaskContext, split: number) => Emit;

export class ShuffleMapTask extends Task {
  private writer: ShuffleWriter | undefined;
  private pump: PartitionPump | undefined;
  status: MapStatus | undefined;

  constructor(
    readonly stage: ShuffleMapStage,
    partition: number,
  ) {
    super(stage.id, partition);
  }

  start(core: ExecutorCore): void {
    const ctx = new TaskContext(this.stage.id, this.partition, this.stage.batch, core);
    this.ctx = ctx;
    this.writer = core.sc.shuffleManager.getWriter(this.stage.shuffleDep, this.partition, ctx);
    this.pump = this.stage.rdd.iterator(this.partition, ctx, this.writer.write);
  }

  run(budget: number): PumpResult {
    const r = this.pump!.pump(budget);
    if (r === DONE) this.status = this.writer!.stop();
    return r;
  }

  override mapOutputSizes(): number[] {
    return this.status ? this.status.buckets.map((chunks) => chunks.reduce((n, c) => n + c.byteLength, 0)) : [];
  }
}

export class ResultTask extends Task {
  private pump: PartitionPump | undefined;

  constructor(
    readonly stage: ResultStage,
    partition: number,
  ) {
    super(stage.id, partition);
  }

  start(core: ExecutorCore): void {
    const ctx = new TaskContext(this.stage.id, this.partition, this.stage.batch, core);
    this.ctx = ctx;
    this.pump = this.stage.rdd.iterator(this.partition, ctx, this.stage.job.output(ctx, this.partition));
  }

  run(budget: number): PumpResult {
    return this.pump!.pump(budget);
  }
}
