/**
 * A heap keyed state backend partitioned by key group, as Flink's `HeapKeyedStateBackend` keeps one state
 * map (and one timer queue) per key group of the subtask's range. Each key group holds its own instance
 * of the shared operator state (window state, join state), created when the group first sees a key, so a
 * snapshot is a list of `(keyGroup, state)` and can be redistributed to a different parallelism.
 *
 * Checkpoints take copy-on-write snapshots ({@link KeyGroupPartitionedState.snapshotCopyOnWrite}), as
 * Flink's `CopyOnWriteStateTable` does per entry, here per key group: the synchronous part only notes
 * which key groups exist (O(key groups), on the task's turn); the asynchronous part serializes each group
 * later, and a group the task is about to change before the asynchronous part has reached it is serialized
 * first, on the task's turn (the copy is its serialized form, as Flink copies an entry with its
 * serializer), so the snapshot is the state at the barrier however long the asynchronous part takes and
 * no group is serialized twice.
 */
import { serialize } from 'node:v8';
import type { Key } from '../../api/index.js';
import { hashKey } from '../../runtime/index.js';
import type { KeyGroupRange } from './key-groups.js';

/** Anything with plain-data snapshots. */
export interface SnapshotableState<S> {
  /** A deep copy: later changes of the state do not change it. */
  snapshot(): S;
  /** Optional: the same data sharing the live objects, valid only until the state next changes (cheaper: no copy). */
  snapshotView?(): S;
  restore(snapshot: S): void;
}

/** The keyed state of one subtask: `[keyGroup, state snapshot]` for every key group that holds state. */
export interface KeyGroupsSnapshot<S> {
  readonly maxParallelism: number;
  readonly keyGroups: readonly (readonly [number, S])[];
}

/**
 * A copy-on-write snapshot in flight: what the asynchronous part reads, one serialized key group at a
 * time ({@link next}), while the task keeps writing to the live state.
 */
export interface KeyedStateSnapshot {
  readonly maxParallelism: number;
  /** Key groups in the snapshot. */
  readonly keyGroupCount: number;
  /** Key groups the task changed before the asynchronous part reached them (each serialized first, on the task's turn). */
  readonly copiedOnWrite: number;
  /**
   * The next key group as `node:v8` bytes of `[keyGroup, state]` (state: plain data of type S), in key
   * group order; undefined when all have been read (the snapshot is then released).
   */
  next(): Uint8Array | undefined;
  /** Gives the snapshot up (its checkpoint was aborted or the job stopped): the state stops copying for it. */
  release(): void;
}

/** The plain data of a group as it is now, serialized (no intermediate deep copy). */
function serializeGroup<S>(keyGroup: number, group: SnapshotableState<S>): Uint8Array {
  return serialize([keyGroup, group.snapshotView !== undefined ? group.snapshotView() : group.snapshot()]);
}

class InFlightSnapshot<T extends SnapshotableState<S>, S> implements KeyedStateSnapshot {
  /** 1 for every group index still to be read from the live state. */
  readonly pending: Uint8Array;
  /** Groups serialized before a write, by group index. */
  private readonly copies = new Map<number, Uint8Array>();
  private cursor = 0;
  copiedOnWrite = 0;

  constructor(
    private readonly owner: KeyGroupPartitionedState<T, S>,
    private readonly groups: readonly (T | undefined)[],
    private readonly order: readonly number[],
    private readonly firstKeyGroup: number,
    readonly maxParallelism: number,
  ) {
    this.pending = new Uint8Array(groups.length);
    for (const i of order) this.pending[i] = 1;
  }

  get keyGroupCount(): number {
    return this.order.length;
  }

  /** The task is about to change group `i`: keep its state as of the snapshot. */
  copyBeforeWrite(i: number): void {
    if (this.pending[i] === 0) return;
    this.pending[i] = 0;
    this.copies.set(i, serializeGroup(this.firstKeyGroup + i, this.groups[i] as T));
    this.copiedOnWrite++;
  }

  next(): Uint8Array | undefined {
    if (this.cursor >= this.order.length) {
      this.release();
      return undefined;
    }
    const i = this.order[this.cursor++];
    if (this.pending[i] === 1) {
      // Untouched since the barrier: the live state is the snapshot's.
      this.pending[i] = 0;
      return serializeGroup(this.firstKeyGroup + i, this.groups[i] as T);
    }
    const bytes = this.copies.get(i) as Uint8Array;
    this.copies.delete(i);
    return bytes;
  }

  release(): void {
    this.cursor = this.order.length;
    this.copies.clear();
    this.pending.fill(0);
    this.owner.forget(this);
  }
}

export class KeyGroupPartitionedState<T extends SnapshotableState<S>, S> {
  /** By key group - range.start. */
  private readonly groups: (T | undefined)[];
  /** The groups created so far, in creation order: what a watermark has to visit. */
  readonly active: T[] = [];
  /** The group index (key group - range.start) of each entry of {@link active}. */
  private readonly activeIndex: number[] = [];
  /** Copy-on-write snapshots whose asynchronous part has not read every group yet. */
  private inFlight: InFlightSnapshot<T, S>[] = [];

  /**
   * @param range the key groups this subtask owns
   * @param maxParallelism the operator's number of key groups
   * @param create a fresh state for one key group
   * @param operatorName for error messages
   */
  constructor(
    readonly range: KeyGroupRange,
    readonly maxParallelism: number,
    private readonly create: () => T,
    private readonly operatorName: string,
  ) {
    this.groups = new Array<T | undefined>(Math.max(0, range.end - range.start + 1)).fill(undefined);
  }

  /** The key group of `key`, checked against this subtask's range (a routing bug otherwise). */
  keyGroupOf(key: Key): number {
    const kg = hashKey(key) % this.maxParallelism;
    if (kg < this.range.start || kg > this.range.end) {
      throw new Error(
        `${this.operatorName}: key group ${kg} of key ${JSON.stringify(key)} is not in this subtask's range [${this.range.start}, ${this.range.end}]`,
      );
    }
    return kg;
  }

  /** The state of the key group `key` belongs to, created on first use, ready to be changed. */
  forKey(key: Key): T {
    const i = this.keyGroupOf(key) - this.range.start;
    let state = this.groups[i];
    if (state === undefined) {
      state = this.create();
      this.groups[i] = state;
      this.active.push(state);
      this.activeIndex.push(i);
    } else if (this.inFlight.length !== 0) {
      this.copyBeforeWrite(i);
    }
    return state;
  }

  /** `active[position]`, ready to be changed (copied first for a snapshot in flight that has not read it). */
  activeForWrite(position: number): T {
    if (this.inFlight.length !== 0) this.copyBeforeWrite(this.activeIndex[position]);
    return this.active[position];
  }

  private copyBeforeWrite(i: number): void {
    const list = this.inFlight;
    for (let s = 0; s < list.length; s++) list[s].copyBeforeWrite(i);
  }

  /** A deep, plain-data copy of every key group's state, taken at once. */
  snapshot(): KeyGroupsSnapshot<S> {
    const keyGroups: [number, S][] = [];
    for (let i = 0; i < this.groups.length; i++) {
      const state = this.groups[i];
      if (state !== undefined) keyGroups.push([this.range.start + i, state.snapshot()]);
    }
    return { maxParallelism: this.maxParallelism, keyGroups };
  }

  /**
   * The synchronous part of a checkpoint's snapshot: notes the key groups that hold state now; their
   * states are read (or copied before a write) later, see the file comment.
   */
  snapshotCopyOnWrite(): KeyedStateSnapshot {
    const order: number[] = [];
    for (let i = 0; i < this.groups.length; i++) if (this.groups[i] !== undefined) order.push(i);
    const snapshot = new InFlightSnapshot<T, S>(this, this.groups, order, this.range.start, this.maxParallelism);
    if (order.length > 0) this.inFlight.push(snapshot);
    return snapshot;
  }

  /** Copy-on-write snapshots still being read. */
  get snapshotsInFlight(): number {
    return this.inFlight.length;
  }

  /** @internal a snapshot is done or given up. */
  forget(snapshot: InFlightSnapshot<T, S>): void {
    if (this.inFlight.includes(snapshot)) this.inFlight = this.inFlight.filter((s) => s !== snapshot);
  }

  /**
   * Restores the key groups of this subtask's range from snapshots of any number of subtasks (of any
   * earlier parallelism with the same max parallelism): groups outside the range are skipped.
   */
  restore(snapshots: readonly KeyGroupsSnapshot<S>[]): void {
    for (const s of [...this.inFlight]) s.release();
    this.groups.fill(undefined);
    this.active.length = 0;
    this.activeIndex.length = 0;
    for (const snap of snapshots) {
      if (snap.maxParallelism !== this.maxParallelism) {
        throw new Error(
          `${this.operatorName}: cannot restore state of max parallelism ${snap.maxParallelism} into max parallelism ${this.maxParallelism}`,
        );
      }
      for (const [kg, s] of snap.keyGroups) {
        if (kg < this.range.start || kg > this.range.end) continue;
        const state = this.create();
        state.restore(s);
        this.groups[kg - this.range.start] = state;
        this.active.push(state);
        this.activeIndex.push(kg - this.range.start);
      }
    }
  }
}
