/**
 * Stages: the lineage of a job cut at shuffle dependencies. A ShuffleMapStage computes the map side of
 * one shuffle; the ResultStage computes the job's final RDD into its output. A stage's tasks (one per
 * partition) run in parallel on the cores, and a stage that depends on another starts only when all of
 * that stage's tasks have finished: the stage barrier.
 */
import type { RDD } from '../rdd/rdd.js';
import type { ShuffleDependency } from '../rdd/shuffled-rdd.js';
import type { BatchContext } from '../streaming/batch.js';
import type { OutputFunction } from './task.js';

export abstract class Stage {
  /** Partitions whose task has not finished in the current attempt. */
  readonly pendingPartitions = new Set<number>();

  constructor(
    readonly id: number,
    readonly rdd: RDD,
    readonly parents: readonly Stage[],
    readonly firstJobId: number,
    readonly batch: BatchContext,
  ) {}

  get numTasks(): number {
    return this.rdd.numPartitions;
  }

  abstract get kind(): 'ShuffleMapStage' | 'ResultStage';
}

export class ShuffleMapStage extends Stage {
  constructor(
    id: number,
    rdd: RDD,
    parents: readonly Stage[],
    firstJobId: number,
    batch: BatchContext,
    readonly shuffleDep: ShuffleDependency,
  ) {
    super(id, rdd, parents, firstJobId, batch);
  }

  get kind(): 'ShuffleMapStage' {
    return 'ShuffleMapStage';
  }
}

/** A job: the final RDD of an output operation, computed into its output. */
export interface ActiveJob {
  readonly jobId: number;
  readonly output: OutputFunction;
  /** Result partitions finished so far. */
  finished: number;
  readonly onDone: () => void;
}

export class ResultStage extends Stage {
  job!: ActiveJob;

  get kind(): 'ResultStage' {
    return 'ResultStage';
  }
}
