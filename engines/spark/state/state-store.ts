/**
 * A stateful operator's state, one instance per reducer partition, living across batches on the executors
 * (Structured Streaming's StateStore, mapWithState's partitioned state map). Each batch's update of a
 * partition produces the next version; version v can only be computed from version v - 1, so with
 * `spark.concurrentJobs > 1` a stage that would update version v waits until v - 1 is committed.
 */
export interface PartitionState {
  /** Entries held: (window, key) slots, or join records. */
  readonly size: number;
  /** A deep, plain-data copy of the state (what a checkpoint writes). */
  snapshot(): unknown;
}

export class StateStore<S extends PartitionState> {
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

  /** Records that partition `split` now holds `version`, and runs stages that were waiting for it. */
  commit(split: number, version: number): void {
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

  /** Entries over all partitions. */
  get size(): number {
    let n = 0;
    for (const s of this.states) n += s.size;
    return n;
  }
}
