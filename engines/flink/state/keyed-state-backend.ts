/**
 * A heap keyed state backend partitioned by key group, as Flink's `HeapKeyedStateBackend` keeps one state
 * map (and one timer queue) per key group of the subtask's range. Each key group holds its own instance
 * of the shared operator state (window state, join state), created when the group first sees a key, so a
 * snapshot is a list of `(keyGroup, state)` and can be redistributed to a different parallelism.
 */
import type { Key } from '../../api/index.js';
import { hashKey } from '../../runtime/index.js';
import type { KeyGroupRange } from './key-groups.js';

/** Anything with plain-data snapshots. */
export interface SnapshotableState<S> {
  snapshot(): S;
  restore(snapshot: S): void;
}

/** The keyed state of one subtask: `[keyGroup, state snapshot]` for every key group that holds state. */
export interface KeyGroupsSnapshot<S> {
  readonly maxParallelism: number;
  readonly keyGroups: readonly (readonly [number, S])[];
}

export class KeyGroupPartitionedState<T extends SnapshotableState<S>, S> {
  /** By key group - range.start. */
  private readonly groups: (T | undefined)[];
  /** The groups created so far, in creation order: what a watermark has to visit. */
  readonly active: T[] = [];

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

  /** The state of the key group `key` belongs to, created on first use. */
  forKey(key: Key): T {
    const i = this.keyGroupOf(key) - this.range.start;
    let state = this.groups[i];
    if (state === undefined) {
      state = this.create();
      this.groups[i] = state;
      this.active.push(state);
    }
    return state;
  }

  /** A deep, plain-data copy of every key group's state (the synchronous part of a snapshot). */
  snapshot(): KeyGroupsSnapshot<S> {
    const keyGroups: [number, S][] = [];
    for (let i = 0; i < this.groups.length; i++) {
      const state = this.groups[i];
      if (state !== undefined) keyGroups.push([this.range.start + i, state.snapshot()]);
    }
    return { maxParallelism: this.maxParallelism, keyGroups };
  }

  /**
   * Restores the key groups of this subtask's range from snapshots of any number of subtasks (of any
   * earlier parallelism with the same max parallelism): groups outside the range are skipped.
   */
  restore(snapshots: readonly KeyGroupsSnapshot<S>[]): void {
    this.groups.fill(undefined);
    this.active.length = 0;
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
      }
    }
  }
}
