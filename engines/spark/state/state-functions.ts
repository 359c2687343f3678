/**
 * The user functions of the keyed state DStreams the dataflow's operators become: what a DStream program
 * passes to mapWithState (its mapping function) or updateStateByKey (its update function), with event-time
 * windows written as YSB's Spark job writes them, keyed by (key, window start):
 *
 * - aligned windows (tumbling, sliding): one state per (key, window start), holding the window's slot (an
 *   accumulator, or both sides of a join); it closes, emitting the window's results, once the batch's
 *   closing threshold reaches the window's end - 1;
 * - sessions: one state per key, its open sessions, merged as records touch them;
 * - the unwindowed join: one state per key, both sides' records, joined as records arrive; it never closes.
 *
 * The semantics (window assignment, session merging, when a window is closed) are engines/api's; the state
 * layout is what such a program keeps. States are plain data: updateStateByKey serializes them every batch,
 * and checkpoints write them.
 */
import { sessionsMerge, windowClosed, type Key, type TimeWindow } from '../../api/index.js';
import { emitMatches, type Emit, type Held, type SlotOps } from '../../operators/index.js';

/** What `update` returns when the value is late: every window it belongs to has closed; the state is unchanged. */
export const LATE = Symbol('late');

export interface StateFunction<S, V> {
  /** The new state of a key given one value (`state` undefined: the key has none yet), or LATE. */
  update(state: S | undefined, value: V, lateThreshold: number, out: Emit): S | typeof LATE;
  /** Emits what closed at `threshold` and returns what remains of the state (undefined: nothing, remove it). */
  close(state: S, threshold: number, out: Emit): S | undefined;
  /** Early firing: emits the current results that changed since they last fired, and marks them fired; how many. */
  emitChanged?(state: S, out: Emit): number;
}

/** The state key of `key`'s window starting at `start`: a primitive, so one hash map holds them (number and string keys stay apart). */
export function windowStateKey(key: Key, start: number): string {
  return `${typeof key === 'number' ? 'n' : 's'}${key}@${start}`;
}

/** One key's window. */
export interface WindowState<S> {
  readonly key: Key;
  readonly start: number;
  slot: S;
  /** Changed since it last fired (early firing). */
  dirty: boolean;
}

/** A value for one aligned window of one key: a pre-aggregated slot, or a record of one side. */
export type WindowValue<S> =
  | { readonly kind: 'slot'; readonly key: Key; readonly start: number; readonly slot: S }
  | {
      readonly kind: 'record';
      readonly key: Key;
      readonly start: number;
      readonly side: number;
      readonly value: unknown;
      readonly emitTime: number;
      readonly ingestTime: number;
    };

/**
 * Aligned windows keyed by (key, window start). Late values are filtered before (by the reduce side's
 * combine, or by the routing of records to their windows), so `update` never returns LATE.
 */
export class AlignedWindowFunction<S> implements StateFunction<WindowState<S>, WindowValue<S>> {
  constructor(
    readonly size: number,
    private readonly ops: SlotOps<S>,
    private readonly early: boolean,
  ) {}

  update(state: WindowState<S> | undefined, v: WindowValue<S>): WindowState<S> {
    const s = state ?? { key: v.key, start: v.start, slot: v.kind === 'slot' ? v.slot : this.ops.create(), dirty: false };
    if (v.kind === 'slot') {
      if (state !== undefined) s.slot = this.ops.merge(s.slot, v.slot);
    } else {
      s.slot = this.ops.add(s.slot, v.value, v.side, v.emitTime, v.ingestTime);
    }
    if (this.early) s.dirty = true;
    return s;
  }

  close(state: WindowState<S>, threshold: number, out: Emit): WindowState<S> | undefined {
    const end = state.start + this.size;
    if (!windowClosed(end, threshold)) return state;
    this.ops.fire(state.slot, state.key, { start: state.start, end }, out);
    return undefined;
  }

  emitChanged(state: WindowState<S>, out: Emit): number {
    if (!state.dirty) return 0;
    state.dirty = false;
    this.ops.fire(state.slot, state.key, { start: state.start, end: state.start + this.size }, out);
    return 1;
  }
}

interface Session<S> {
  start: number;
  end: number;
  slot: S;
  dirty: boolean;
}

/** One key's open sessions, disjoint. */
export interface SessionsState<S> {
  readonly key: Key;
  sessions: Session<S>[];
}

/** A record for a key's sessions. */
export interface SessionValue {
  readonly key: Key;
  readonly side: number;
  readonly value: unknown;
  readonly eventTime: number;
  readonly emitTime: number;
  readonly ingestTime: number;
}

/** Session windows keyed by key: a record opens `[t, t + gap)` and merges every open session it touches. */
export class SessionWindowFunction<S> implements StateFunction<SessionsState<S>, SessionValue> {
  constructor(
    readonly gap: number,
    private readonly ops: SlotOps<S>,
    private readonly early: boolean,
  ) {}

  update(state: SessionsState<S> | undefined, v: SessionValue, lateThreshold: number): SessionsState<S> | typeof LATE {
    const fresh: TimeWindow = { start: v.eventTime, end: v.eventTime + this.gap };
    const sessions = state?.sessions ?? [];
    let target: Session<S> | undefined;
    for (let i = 0; i < sessions.length; i++) {
      const s = sessions[i];
      // A session closed in an earlier batch is final even if it was not emitted yet: never extend it.
      if (!sessionsMerge(s, fresh) || windowClosed(s.end, lateThreshold)) continue;
      if (target === undefined) {
        target = s;
      } else {
        target.slot = this.ops.merge(target.slot, s.slot);
        target.start = Math.min(target.start, s.start);
        target.end = Math.max(target.end, s.end);
        sessions.splice(i--, 1);
      }
    }
    if (target === undefined) {
      if (windowClosed(fresh.end, lateThreshold)) return LATE;
      target = { start: fresh.start, end: fresh.end, slot: this.ops.create(), dirty: false };
      sessions.push(target);
    } else {
      target.start = Math.min(target.start, fresh.start);
      target.end = Math.max(target.end, fresh.end);
    }
    target.slot = this.ops.add(target.slot, v.value, v.side, v.emitTime, v.ingestTime);
    if (this.early) target.dirty = true;
    return state ?? { key: v.key, sessions };
  }

  close(state: SessionsState<S>, threshold: number, out: Emit): SessionsState<S> | undefined {
    const open: Session<S>[] = [];
    for (const s of state.sessions) {
      if (windowClosed(s.end, threshold)) this.ops.fire(s.slot, state.key, { start: s.start, end: s.end }, out);
      else open.push(s);
    }
    if (open.length === 0) return undefined;
    state.sessions = open;
    return state;
  }

  emitChanged(state: SessionsState<S>, out: Emit): number {
    let n = 0;
    for (const s of state.sessions) {
      if (!s.dirty) continue;
      s.dirty = false;
      this.ops.fire(s.slot, state.key, { start: s.start, end: s.end }, out);
      n++;
    }
    return n;
  }
}

/** Both sides' records of one key. */
export interface JoinState {
  readonly sides: [Held[], Held[]];
}

/** A record of one side of the unwindowed join. */
export interface JoinValue {
  readonly side: number;
  readonly value: unknown;
  readonly eventTime: number;
  readonly emitTime: number;
  readonly ingestTime: number;
}

/** The unwindowed join keyed by key: each record joins the other side's held records, then is held. Never closes. */
export class IncrementalJoinFunction implements StateFunction<JoinState, JoinValue> {
  constructor(private readonly fn: (left: any, right: any) => unknown) {}

  update(state: JoinState | undefined, v: JoinValue, _late: number, out: Emit): JoinState {
    const s = state ?? { sides: [[], []] };
    emitMatches(this.fn, v.side, v.value, v.eventTime, v.emitTime, v.ingestTime, s.sides[1 - v.side], out);
    s.sides[v.side].push({ value: v.value, eventTime: v.eventTime, emitTime: v.emitTime, ingestTime: v.ingestTime });
    return s;
  }

  close(state: JoinState): JoinState {
    return state;
  }
}
