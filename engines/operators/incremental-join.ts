/**
 * Unwindowed incremental equi-join state: every record is kept, and joined on arrival with every kept
 * record of the other side with an equal key. State grows with the input, as a regular SQL join's does.
 */
import type { Key } from '../api/index.js';
import type { Emit } from './emit.js';

export interface Held {
  value: unknown;
  eventTime: number;
  emitTime: number;
  ingestTime: number;
}

export interface IncrementalJoinSnapshot {
  readonly sides: readonly (readonly (readonly [Key, readonly Held[]])[])[];
}

/** Joins a record arriving on `side` with the other side's held records of its key: the pairs, with the maxima of both sides' times. */
export function emitMatches(
  fn: (left: any, right: any) => unknown,
  side: number,
  value: unknown,
  eventTime: number,
  emitTime: number,
  ingestTime: number,
  others: readonly Held[],
  emit: Emit,
): void {
  for (const o of others) {
    const out = side === 0 ? fn(value, o.value) : fn(o.value, value);
    emit(out, Math.max(eventTime, o.eventTime), Math.max(emitTime, o.emitTime), Math.max(ingestTime, o.ingestTime));
  }
}

export class IncrementalJoin {
  private readonly sides = [new Map<Key, Held[]>(), new Map<Key, Held[]>()];
  private held = 0;

  constructor(private readonly fn: (left: any, right: any) => unknown) {}

  /** Adds a record of side 0 (left) or 1 (right) and emits its matches. */
  add(side: number, key: Key, value: unknown, eventTime: number, emitTime: number, ingestTime: number, emit: Emit): void {
    const mine = this.sides[side];
    let list = mine.get(key);
    if (list === undefined) mine.set(key, (list = []));
    list.push({ value, eventTime, emitTime, ingestTime });
    this.held++;
    const others = this.sides[1 - side].get(key);
    if (others !== undefined) emitMatches(this.fn, side, value, eventTime, emitTime, ingestTime, others, emit);
  }

  /** A deep copy of the held records as plain data (what checkpoints store). */
  snapshot(): IncrementalJoinSnapshot {
    return { sides: this.sides.map((side) => [...side].map(([key, list]) => [key, structuredClone(list)] as const)) };
  }

  /** {@link snapshot}'s data sharing the live records: to be serialized at once, before the state changes. */
  snapshotView(): IncrementalJoinSnapshot {
    return { sides: this.sides.map((side) => [...side]) };
  }

  /** Replaces the state with a snapshot's. */
  restore(snapshot: IncrementalJoinSnapshot): void {
    this.held = 0;
    snapshot.sides.forEach((entries, side) => {
      this.sides[side].clear();
      for (const [key, list] of entries) {
        this.sides[side].set(key, structuredClone(list) as Held[]);
        this.held += list.length;
      }
    });
  }

  /** Records held in state. */
  get size(): number {
    return this.held;
  }
}
