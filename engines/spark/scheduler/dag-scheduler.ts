/**
 * The DAGScheduler: turns a job (an output operation's final RDD) into stages by breaking the lineage at
 * shuffle dependencies, and submits the stages in dependency order, each as a task set of one task per
 * missing partition. A stage is submitted only when all its parent stages' map outputs are registered;
 * stages whose outputs already exist (a shuffle shared by two jobs of a batch) and RDDs already cached are
 * skipped, as Spark's getMissingParentStages does.
 *
 * Two engine-specific rules: a stage that would compute version v of some operator state waits until
 * version v - 1 is committed (only matters with concurrentJobs > 1), and the accumulators a task brings
 * back (event-time maxima, late records) are merged into its batch here, on the driver.
 */
import type { RDD } from '../rdd/rdd.js';
import { ShuffleDependency } from '../rdd/shuffled-rdd.js';
import { KeyedStateRDD } from '../rdd/keyed-state-rdd.js';
import type { SparkContext } from '../spark-context.js';
import type { BatchContext } from '../streaming/batch.js';
import { shuffleDependenciesOf, stagePipeline } from './lineage.js';
import { ResultStage, ShuffleMapStage, type ActiveJob, type Stage } from './stage.js';
import { encodeTaskBinary, type TaskResult } from './task-description.js';
import { ResultTask, ShuffleMapTask, type OutputFunction, type Task, type TaskSet } from './task.js';

export class DAGScheduler {
  private nextJobId = 0;
  private nextStageId = 0;
  private readonly shuffleIdToMapStage = new Map<number, ShuffleMapStage>();
  private readonly waiting = new Set<Stage>();
  private readonly running = new Set<Stage>();
  /** Stages gated on an operator's previous state version. */
  private readonly gated = new Set<Stage>();
  stagesSubmitted = 0;

  constructor(private readonly sc: SparkContext) {}

  /** Runs `rdd` into `output` as a job of `batch`; `onDone` is called when every result partition is written. */
  submitJob(rdd: RDD, output: OutputFunction, batch: BatchContext, onDone: () => void): ActiveJob {
    const jobId = this.nextJobId++;
    const stage = this.createResultStage(rdd, jobId, batch);
    const job: ActiveJob = { jobId, output, finished: 0, onDone };
    stage.job = job;
    if (stage.numTasks === 0) {
      onDone();
      return job;
    }
    this.submitStage(stage);
    return job;
  }

  /** The stages a job over `rdd` would run, without running them (explain). */
  planJob(rdd: RDD, batch: BatchContext): ResultStage {
    return this.createResultStage(rdd, this.nextJobId++, batch);
  }

  /** Forgets a finished batch's shuffles: map stages and map outputs. */
  clearBatch(batch: BatchContext): void {
    for (const [shuffleId, stage] of this.shuffleIdToMapStage) {
      if (stage.batch !== batch) continue;
      this.shuffleIdToMapStage.delete(shuffleId);
      this.sc.shuffleManager.unregisterShuffle(shuffleId);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Stage creation

  private createResultStage(rdd: RDD, jobId: number, batch: BatchContext): ResultStage {
    const parents = this.getOrCreateParentStages(rdd, jobId, batch);
    return new ResultStage(this.nextStageId++, rdd, parents, jobId, batch);
  }

  private getOrCreateShuffleMapStage(dep: ShuffleDependency, jobId: number, batch: BatchContext): ShuffleMapStage {
    let stage = this.shuffleIdToMapStage.get(dep.shuffleId);
    if (stage === undefined) {
      const parents = this.getOrCreateParentStages(dep.rdd, jobId, batch);
      stage = new ShuffleMapStage(this.nextStageId++, dep.rdd, parents, jobId, batch, dep);
      this.shuffleIdToMapStage.set(dep.shuffleId, stage);
    }
    return stage;
  }

  /** The shuffle dependencies reachable from `rdd` through narrow dependencies, as stages. */
  private getOrCreateParentStages(rdd: RDD, jobId: number, batch: BatchContext): Stage[] {
    const parents: Stage[] = [];
    for (const dep of shuffleDependenciesOf(rdd)) {
      const stage = this.getOrCreateShuffleMapStage(dep, jobId, batch);
      if (!parents.includes(stage)) parents.push(stage);
    }
    return parents;
  }

  /** Parent stages whose outputs are not available; cached RDDs cut the walk. */
  private getMissingParentStages(stage: Stage): ShuffleMapStage[] {
    const missing: ShuffleMapStage[] = [];
    const visited = new Set<RDD>();
    const visit = (rdd: RDD): void => {
      if (visited.has(rdd)) return;
      visited.add(rdd);
      if (rdd.storageLevel !== 'NONE' && this.sc.blockManager.isCached(rdd)) return;
      for (const dep of rdd.dependencies) {
        if (dep instanceof ShuffleDependency) {
          const parent = this.getOrCreateShuffleMapStage(dep, stage.firstJobId, stage.batch);
          if (!this.isAvailable(parent) && !missing.includes(parent)) missing.push(parent);
        } else {
          visit(dep.rdd);
        }
      }
    };
    visit(stage.rdd);
    return missing.sort((a, b) => a.id - b.id);
  }

  private isAvailable(stage: ShuffleMapStage): boolean {
    return this.sc.shuffleManager.isAvailable(stage.shuffleDep.shuffleId, stage.numTasks);
  }

  // ------------------------------------------------------------------------------------------------
  // Submission

  private submitStage(stage: Stage): void {
    if (this.waiting.has(stage) || this.running.has(stage) || this.gated.has(stage)) return;
    const missing = this.getMissingParentStages(stage);
    if (missing.length === 0) {
      this.submitMissingTasks(stage);
      return;
    }
    for (const parent of missing) this.submitStage(parent);
    this.waiting.add(stage);
  }

  private submitMissingTasks(stage: Stage): void {
    // A state update of version v needs version v - 1 in every partition of the operator's state.
    for (const s of statefulRddsOf(stage.rdd, this.sc)) {
      if (!s.operator.partitions.canUpdateTo(s.version)) {
        this.gated.add(stage);
        s.operator.partitions.whenUpdatableTo(s.version, () => {
          this.gated.delete(stage);
          this.submitStage(stage);
        });
        return;
      }
    }
    const binary = encodeTaskBinary(stage);
    const tasks: Task[] = [];
    if (stage instanceof ShuffleMapStage) {
      for (let p = 0; p < stage.numTasks; p++) tasks.push(new ShuffleMapTask(stage, p));
    } else {
      const rs = stage as ResultStage;
      for (let p = 0; p < rs.numTasks; p++) tasks.push(new ResultTask(rs, p));
    }
    stage.pendingPartitions.clear();
    for (const t of tasks) {
      t.binary = binary;
      t.batchTime = stage.batch.time;
      stage.pendingPartitions.add(t.partition);
    }
    this.running.add(stage);
    this.stagesSubmitted++;
    stage.batch.stages++;
    stage.batch.tasks += tasks.length;
    const set: TaskSet = {
      id: `${stage.id}.0`,
      priority: stage.firstJobId,
      stageId: stage.id,
      tasks,
      onTaskEnd: (task, result) => this.handleTaskCompletion(stage, task, result),
    };
    if (tasks.length === 0) {
      this.running.delete(stage);
      this.stageFinished(stage);
      return;
    }
    this.sc.taskScheduler.submitTasks(set);
  }

  private handleTaskCompletion(stage: Stage, task: Task, result: TaskResult): void {
    stage.batch.mergeTaskResult(result, this.sc);
    if (task instanceof ShuffleMapTask) {
      this.sc.shuffleManager.registerMapOutput(task.stage.shuffleDep.shuffleId, stage.numTasks, task.status!);
    } else if (task instanceof ResultTask) {
      task.stage.job.finished++;
    }
    stage.pendingPartitions.delete(task.partition);
    if (stage.pendingPartitions.size > 0) return;
    this.running.delete(stage);
    this.stageFinished(stage);
  }

  private stageFinished(stage: Stage): void {
    if (stage instanceof ResultStage) {
      stage.job.onDone();
      return;
    }
    // The barrier is down: stages waiting for this one may run if nothing else is missing.
    const ready = [...this.waiting].sort((a, b) => a.id - b.id);
    for (const s of ready) {
      if (this.getMissingParentStages(s).length > 0) continue;
      this.waiting.delete(s);
      this.submitMissingTasks(s);
    }
  }
}

/** KeyedStateRDDs the stage would compute (not behind a cached RDD). */
function statefulRddsOf(rdd: RDD, sc: SparkContext): KeyedStateRDD[] {
  return stagePipeline(rdd).filter(
    (r): r is KeyedStateRDD => r instanceof KeyedStateRDD && !(r.storageLevel !== 'NONE' && sc.blockManager.isCached(r)),
  );
}
