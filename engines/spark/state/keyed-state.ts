/**
 * How Spark holds keyed state from batch to batch, and one batch's update of one partition of it:
 *
 * - mapWithState (MapWithStateRDD): the previous batch's StateMap is copied (a new delta over it) and the
 *   mapping function runs for each key of the batch only. State is removed only by a full scan of the map,
 *   which MapWithStateRDD does in the batches it is checkpointed in (its timeouts); here that scan closes
 *   every window whose end the event time has passed. Between checkpoints, closed windows wait in the map.
 * - updateStateByKey (StateDStream): the batch's values are cogrouped with the whole previous state, which
 *   is cached serialized (MEMORY_ONLY_SER), so every batch deserializes every entry, calls the update
 *   function on it, and serializes the new state again. An entry that closes is emitted and kept one more
 *   batch marked closed (the program's downstream filter emits it), then dropped (the update returns None).
 *
 * Both call the same {@link StateFunction}; they differ in what each batch touches and copies.
 */
import { deserializeRecords } from '../../runtime/index.js';
import type { Emit } from '../../operators/index.js';
import { BlockWriter, chunkBytes } from '../rdd/block-writer.js';
import { blockCursor, entriesCursor, type CheckpointCursor } from '../streaming/checkpoint-writer.js';
import type { PartitionState } from './state-partitions.js';
import { LATE, type StateFunction } from './state-functions.js';
import { EmptyStateMap, OpenHashMapBasedStateMap, type StateKey, type StateMap, type StateMapRecord } from './state-map.js';

/** A partition's state as either mode keeps it. */
export interface KeyedPartitionState extends PartitionState {
  /** Entries held in memory: the delta chain's (shadowed and removed ones included), or the serialized ones. */
  readonly held: number;
  /** Serialized bytes held (updateStateByKey), 0 otherwise. */
  readonly bytes: number;
  /** What a checkpoint of it writes. */
  checkpoint(): CheckpointCursor;
}

/** mapWithState's partition: its StateMap and how many live entries it has. */
export class MapWithStatePartition implements KeyedPartitionState {
  constructor(
    readonly map: StateMap<unknown>,
    readonly size: number,
  ) {}

  static empty(deltaChainThreshold: number): MapWithStatePartition {
    return new MapWithStatePartition(new EmptyStateMap(deltaChainThreshold), 0);
  }

  get held(): number {
    return this.map.approxSize;
  }

  get bytes(): number {
    return 0;
  }

  get deltaChainLength(): number {
    return this.map.deltaChainLength;
  }

  checkpoint(): CheckpointCursor {
    const records: StateMapRecord<unknown>[] = [];
    if (this.map instanceof OpenHashMapBasedStateMap) this.map.writeRecords((r) => records.push(r));
    return entriesCursor(records);
  }
}

/** updateStateByKey's partition: the serialized `[key, state, closed]` records (MEMORY_ONLY_SER). */
export class SerializedStatePartition implements KeyedPartitionState {
  readonly bytes: number;

  constructor(
    readonly block: readonly Uint8Array[],
    readonly size: number,
    readonly closedHeld: number,
  ) {
    this.bytes = chunkBytes(block);
  }

  static empty(): SerializedStatePartition {
    return new SerializedStatePartition([], 0, 0);
  }

  get held(): number {
    return this.size + this.closedHeld;
  }

  checkpoint(): CheckpointCursor {
    return blockCursor(this.block);
  }
}

/** What one batch's update does, for the operator's counters. */
export interface StateUpdateCounters {
  /** Update-function calls: one per key of the batch (mapWithState), one per entry (updateStateByKey). */
  touched: number;
  /** Entries visited by full scans (mapWithState), or deserialized (updateStateByKey). */
  scanned: number;
  /** Entries that closed and were emitted. */
  closed: number;
  /** Values dropped as late. */
  late: number;
  /** Results emitted early (changed windows at a flush). */
  early: number;
  /** Bytes of state serialized (updateStateByKey's new state). */
  bytesWritten: number;
}

export function newCounters(): StateUpdateCounters {
  return { touched: 0, scanned: 0, closed: 0, late: 0, early: 0, bytesWritten: 0 };
}

/** One batch of one partition: what the batch decided for the operator. */
export interface StateBatch {
  /** Batch time (ms): the update time of the entries it writes. */
  readonly time: number;
  /** Values of windows closed at this threshold in an earlier batch are late. */
  readonly lateThreshold: number;
  /** Windows closed at this threshold close in this batch; -Infinity when none does. */
  readonly closeThreshold: number;
  /** Whether windows close in this batch at all (mapWithState: only in its full-scan batches). */
  readonly closing: boolean;
  /** Whether changed windows fire early in this batch. */
  readonly flush: boolean;
}

export interface KeyedStateUpdate<V> {
  update(key: StateKey, value: V): void;
  /** After the batch's values: closes, early firing; returns the partition's next state. */
  finish(): KeyedPartitionState;
}

/** mapWithState: a copy of the previous map; the batch's keys only, and a full scan when windows close. */
export class MapWithStateUpdate<S, V> implements KeyedStateUpdate<V> {
  private readonly map: StateMap<S>;
  private live: number;
  private readonly touched: Set<StateKey> | undefined;

  constructor(
    prev: MapWithStatePartition,
    private readonly fn: StateFunction<S, V>,
    private readonly batch: StateBatch,
    private readonly out: Emit,
    private readonly counters: StateUpdateCounters,
  ) {
    this.map = (prev.map as StateMap<S>).copy();
    this.live = prev.size;
    this.touched = batch.flush && !batch.closing && fn.emitChanged !== undefined ? new Set() : undefined;
  }

  update(key: StateKey, value: V): void {
    const state = this.map.get(key);
    this.counters.touched++;
    const next = this.fn.update(state, value, this.batch.lateThreshold, this.out);
    if (next === LATE) {
      this.counters.late++;
      return;
    }
    if (state === undefined) this.live++;
    this.map.put(key, next, this.batch.time);
    this.touched?.add(key);
  }

  finish(): KeyedPartitionState {
    const { fn, map, out, counters, batch } = this;
    if (batch.closing) {
      // The full scan (MapWithStateRDD's doFullScan): every entry, closing what the event time has passed.
      const remove: StateKey[] = [];
      const keep: [StateKey, S][] = [];
      map.forEach((key, state) => {
        counters.scanned++;
        const rest = fn.close(state, batch.closeThreshold, out);
        if (rest === undefined) {
          counters.closed++;
          remove.push(key);
          return;
        }
        if (batch.flush && fn.emitChanged !== undefined) counters.early += fn.emitChanged(rest, out);
        if (rest !== state) keep.push([key, rest]);
      });
      for (const key of remove) map.remove(key);
      for (const [key, state] of keep) map.put(key, state, batch.time);
      this.live -= remove.length;
    } else if (this.touched !== undefined) {
      // Early firing reaches only the keys the mapping function ran for in this batch.
      for (const key of this.touched) counters.early += fn.emitChanged!(map.get(key) as S, out);
    }
    return new MapWithStatePartition(map as StateMap<unknown>, this.live);
  }
}

interface CoGroup<S, V> {
  values: V[];
  state: S | undefined;
}

/** updateStateByKey: the batch's values cogrouped with the whole previous state, all of it updated and serialized again. */
export class UpdateStateByKeyUpdate<S, V> implements KeyedStateUpdate<V> {
  private readonly groups = new Map<StateKey, CoGroup<S, V>>();

  constructor(
    private readonly prev: SerializedStatePartition,
    private readonly fn: StateFunction<S, V>,
    private readonly batch: StateBatch,
    private readonly out: Emit,
    private readonly counters: StateUpdateCounters,
  ) {}

  update(key: StateKey, value: V): void {
    const g = this.groups.get(key);
    if (g === undefined) this.groups.set(key, { values: [value], state: undefined });
    else g.values.push(value);
  }

  finish(): KeyedPartitionState {
    const { fn, groups, out, counters, batch } = this;
    // The cogroup's other side: every entry of the previous state, deserialized from its block.
    for (const chunk of this.prev.block) {
      deserializeRecords(chunk, (record) => {
        const [key, state, closed] = record as [StateKey, S, boolean];
        counters.scanned++;
        // An entry emitted as closed last batch is dropped now (the update function returns None).
        if (closed) return;
        const g = groups.get(key);
        if (g === undefined) groups.set(key, { values: [], state });
        else g.state = state;
      });
    }
    const writer = new BlockWriter();
    let live = 0;
    let closedHeld = 0;
    for (const [key, g] of groups) {
      counters.touched++;
      let state = g.state;
      for (const v of g.values) {
        const next = fn.update(state, v, batch.lateThreshold, out);
        if (next === LATE) counters.late++;
        else state = next;
      }
      if (state === undefined) continue;
      if (batch.closing) {
        const rest = fn.close(state, batch.closeThreshold, out);
        if (rest === undefined) {
          counters.closed++;
          writer.write([key, state, true], 0, 0, 0);
          closedHeld++;
          continue;
        }
        state = rest;
      }
      if (batch.flush && fn.emitChanged !== undefined) counters.early += fn.emitChanged(state, out);
      writer.write([key, state, false], 0, 0, 0);
      live++;
    }
    const block = writer.finish();
    const next = new SerializedStatePartition(block, live, closedHeld);
    counters.bytesWritten += next.bytes;
    return next;
  }
}
