/**
 * A stateful DStream's state between batches, one record per partition (what the previous batch's state
 * RDD holds, cached on the executors: mapWithState's StateMap, or updateStateByKey's serialized pairs).
 * Each batch's update of a partition produces the next version, and version v can only be computed from
 * version v - 1: with `spark.concurrentJobs > 1` a stage that would update version v waits until v - 1 is
 * committed (Spark would recompute it from the lineage instead; here the previous version is always kept).
 */
export interface PartitionState {
  /** Live state entries. */
  readonly size: number;
}

export class StatePartitions<S extends PartitionState> {
  private readonly states: S[];
  /** Last committed version per partition; -1 before the first batch. */
  private readonly committed: number[];
  private waiters: { version: number; callback: () => void }[] = [];

  constructor(
    readonly numPartitions: number,
    create: () => S,
  ) {
    this.states = Array.from({ length: numPartitions }, create);
    this.committed = new Array(numPartitions).fill(-1);
  }

  get(split: number): S {
    return this.states[split];
  }

  /** Partition `split` now holds `state` as `version`; stages waiting for that version run. */
  commit(split: number, version: number, state: S): void {
    this.states[split] = state;
    if (version > this.committed[split]) this.committed[split] = version;
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => this.canUpdateTo(w.version));
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !this.canUpdateTo(w.version));
    for (const w of ready) w.callback();
  }

  /** Whether every partition holds version `version - 1`, so version `version` can be computed. */
  canUpdateTo(version: number): boolean {
    for (const v of this.committed) if (v < version - 1) return false;
    return true;
  }

  /** Calls `callback` once every partition has committed `version - 1`. */
  whenUpdatableTo(version: number, callback: () => void): void {
    if (this.canUpdateTo(version)) callback();
    else this.waiters.push({ version, callback });
  }

  /** Live entries over all partitions. */
  get size(): number {
    let n = 0;
    for (const s of this.states) n += s.size;
    return n;
  }

  /** Every partition's state. */
  all(): readonly S[] {
    return this.states;
  }
}
