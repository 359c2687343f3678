/**
 * mapWithState's state of one partition, as Spark's OpenHashMapBasedStateMap keeps it: every batch
 * `copy()`s the previous batch's map into a new, empty delta map over it (O(1)), and writes only the keys
 * it updates or removes into that delta. A lookup walks the chain of deltas from the newest down; a scan
 * (`getAll`) filters each level's entries by every newer level. Old versions stay in memory, each shadowed
 * entry included, until a serialization (a checkpoint) with a chain at least `deltaChainThreshold` long
 * (spark.streaming.sessionByKey.deltaChainThreshold, 20) compacts the parents into one map. A checkpoint
 * writes the whole state: the delta's entries (removals too), then every live entry of the parents.
 */

/** State keys are primitives, so that one JS Map hashes them (a composite key is a string). */
export type StateKey = string | number;

/** Spark's default deltaChainThreshold. */
export const DELTA_CHAIN_LENGTH_THRESHOLD = 20;

/** One key's entry in a delta map: its state, the batch time it was last updated, or a removal. */
interface StateInfo<S> {
  data: S | undefined;
  updateTime: number;
  deleted: boolean;
}

/** What a checkpoint of a state map writes per entry: `[key, state, updateTime]`, or `[key, null, -1, true]` for a removal. */
export type StateMapRecord<S> = readonly [StateKey, S | null, number, boolean?];

export interface StateMap<S> {
  get(key: StateKey): S | undefined;
  /** Every live entry, oldest levels first, each key once (its newest state). */
  forEach(visit: (key: StateKey, state: S, updateTime: number) => void): void;
  put(key: StateKey, state: S, updateTime: number): void;
  remove(key: StateKey): void;
  /** A new version over this one: updates to it do not change this map. */
  copy(): StateMap<S>;
  /** Entries held over the whole chain, shadowed and removed ones included (Spark's approxSize). */
  readonly approxSize: number;
  /** Delta maps above the first one. */
  readonly deltaChainLength: number;
}

/** The map before the first batch. */
export class EmptyStateMap<S> implements StateMap<S> {
  /** @param deltaChainThreshold of the maps copied from it */
  constructor(private readonly deltaChainThreshold = DELTA_CHAIN_LENGTH_THRESHOLD) {}

  get(): S | undefined {
    return undefined;
  }

  forEach(): void {}

  put(): void {
    throw new Error('EmptyStateMap is read-only; copy() it');
  }

  remove(): void {}

  copy(): StateMap<S> {
    return new OpenHashMapBasedStateMap<S>(this, this.deltaChainThreshold);
  }

  get approxSize(): number {
    return 0;
  }

  get deltaChainLength(): number {
    return 0;
  }
}

export class OpenHashMapBasedStateMap<S> implements StateMap<S> {
  private deltaMap = new Map<StateKey, StateInfo<S>>();

  constructor(
    private parent: StateMap<S> = new EmptyStateMap<S>(),
    private readonly deltaChainThreshold = DELTA_CHAIN_LENGTH_THRESHOLD,
  ) {}

  get(key: StateKey): S | undefined {
    const info = this.deltaMap.get(key);
    if (info !== undefined) return info.deleted ? undefined : info.data;
    return this.parent.get(key);
  }

  forEach(visit: (key: StateKey, state: S, updateTime: number) => void): void {
    // The parents' entries not overridden here, then this level's live ones (Spark's getAll).
    const delta = this.deltaMap;
    this.parent.forEach((key, state, updateTime) => {
      if (!delta.has(key)) visit(key, state, updateTime);
    });
    for (const [key, info] of delta) if (!info.deleted) visit(key, info.data as S, info.updateTime);
  }

  put(key: StateKey, state: S, updateTime: number): void {
    const info = this.deltaMap.get(key);
    if (info === undefined) {
      this.deltaMap.set(key, { data: state, updateTime, deleted: false });
      return;
    }
    info.data = state;
    info.updateTime = updateTime;
    info.deleted = false;
  }

  remove(key: StateKey): void {
    const info = this.deltaMap.get(key);
    if (info === undefined) {
      this.deltaMap.set(key, { data: undefined, updateTime: -1, deleted: true });
      return;
    }
    info.data = undefined;
    info.deleted = true;
  }

  copy(): StateMap<S> {
    return new OpenHashMapBasedStateMap<S>(this, this.deltaChainThreshold);
  }

  get shouldCompact(): boolean {
    return this.deltaChainLength >= this.deltaChainThreshold;
  }

  get deltaChainLength(): number {
    return this.parent instanceof OpenHashMapBasedStateMap ? this.parent.deltaChainLength + 1 : 0;
  }

  get approxSize(): number {
    return this.deltaMap.size + this.parent.approxSize;
  }

  /** Entries of this level alone (removals included). */
  get deltaSize(): number {
    return this.deltaMap.size;
  }

  /**
   * Serializes the map as Spark's writeObject does: this delta's entries (removals as such), then every
   * live entry of the parents; when the chain has grown to the threshold, the parents are compacted into
   * one map on the way (what keeps lookups and memory bounded).
   */
  writeRecords(write: (record: StateMapRecord<S>) => void): void {
    for (const [key, info] of this.deltaMap) write(info.deleted ? [key, null, -1, true] : [key, info.data as S, info.updateTime]);
    const compacted = this.shouldCompact ? new OpenHashMapBasedStateMap<S>(new EmptyStateMap<S>(), this.deltaChainThreshold) : undefined;
    this.parent.forEach((key, state, updateTime) => {
      write([key, state, updateTime]);
      compacted?.deltaMap.set(key, { data: state, updateTime, deleted: false });
    });
    if (compacted !== undefined) this.parent = compacted;
  }
}
