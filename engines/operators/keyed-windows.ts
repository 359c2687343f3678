/**
 * Keyed event-time window state, the one implementation of the window semantics of DESIGN.md that every
 * engine wraps in its own mechanism (Flink's window operator and timers, Spark's per-batch state, Storm's
 * windowed bolt). Aligned windows (tumbling, sliding) are kept per window start; sessions per key, merged
 * when they touch or overlap. What a window holds is up to the {@link SlotOps}: an accumulator, or the two
 * sides of a join.
 */
import { alignedWindowStarts, sessionsMerge, windowClosed, type Key, type TimeWindow, type WindowSpec } from '../api/index.js';
import { MinHeap } from '../runtime/min-heap.js';
import type { Emit } from './emit.js';

export interface SlotOps<S> {
  create(): S;
  /** Adds a value arriving on input `side` (0 or 1); returns the slot to keep (may be the same object). */
  add(slot: S, value: unknown, side: number, emitTime: number, ingestTime: number): S;
  /** Combines two slots of merging sessions. */
  merge(a: S, b: S): S;
  /** Emits the window's results. */
  fire(slot: S, key: Key, window: TimeWindow, emit: Emit): void;
}

/** Plain-data state of a {@link KeyedWindows}: `[key, windowStart, windowEnd, slot]` per open entry. */
export interface KeyedWindowsSnapshot<S> {
  readonly kind: WindowSpec['kind'];
  readonly entries: readonly (readonly [Key, number, number, S])[];
}

interface Session<S> {
  start: number;
  end: number;
  slot: S;
}

export interface KeyedWindowsOptions {
  /**
   * Remember which open (key, window) entries changed since they last fired, for early firing
   * ({@link KeyedWindows.emitDirty}). Off by default: it costs a set insertion per record.
   */
  readonly trackDirty?: boolean;
}

export class KeyedWindows<S> {
  /** Aligned windows: window start -> key -> slot. */
  private readonly aligned = new Map<number, Map<Key, S>>();
  /** Sessions: key -> its open sessions, disjoint. */
  private readonly sessions = new Map<Key, Session<S>[]>();
  /** Fire times (window end - 1): of window starts (aligned) or of keys (sessions; stale entries are skipped). */
  private readonly timers = new MinHeap<number | Key>();
  private readonly starts: number[] = [];
  private entries = 0;
  private lastStart = Number.NaN;
  private lastByKey: Map<Key, S> | undefined;
  /** Early firing: changed aligned entries (window start -> keys) and changed sessions (-> their key). */
  private readonly dirtyAligned: Map<number, Set<Key>> | undefined;
  private readonly dirtySessions: Map<Session<S>, Key> | undefined;

  constructor(
    readonly spec: WindowSpec,
    private readonly ops: SlotOps<S>,
    options: KeyedWindowsOptions = {},
  ) {
    if (options.trackDirty) {
      this.dirtyAligned = new Map();
      this.dirtySessions = new Map();
    }
  }

  /**
   * Puts a record into every window of `key` that contains `eventTime` and is still open at `watermark`.
   * Returns false when the record is late: it belongs to windows, but all of them have fired.
   */
  add(key: Key, value: unknown, side: number, eventTime: number, emitTime: number, ingestTime: number, watermark: number): boolean {
    if (this.spec.kind === 'session') return this.addToSession(key, value, side, eventTime, emitTime, ingestTime, watermark);
    const n = alignedWindowStarts(this.spec, eventTime, this.starts);
    let live = false;
    for (let i = 0; i < n; i++) {
      const start = this.starts[i];
      if (windowClosed(start + this.spec.size, watermark)) continue;
      live = true;
      // Mostly in-order input hits the window it hit last: skip the lookup.
      let byKey = start === this.lastStart ? this.lastByKey : this.aligned.get(start);
      if (byKey === undefined) {
        byKey = new Map();
        this.aligned.set(start, byKey);
        this.timers.push(start + this.spec.size - 1, start);
      }
      this.lastStart = start;
      this.lastByKey = byKey;
      const slot = byKey.get(key);
      if (slot === undefined) this.entries++;
      const next = this.ops.add(slot === undefined ? this.ops.create() : slot, value, side, emitTime, ingestTime);
      if (next !== slot) byKey.set(key, next);
      if (this.dirtyAligned !== undefined) this.markDirty(start, key);
    }
    return live || n === 0;
  }

  private addToSession(
    key: Key,
    value: unknown,
    side: number,
    t: number,
    emitTime: number,
    ingestTime: number,
    watermark: number,
  ): boolean {
    const gap = (this.spec as { gap: number }).gap;
    const fresh: TimeWindow = { start: t, end: t + gap };
    let list = this.sessions.get(key);
    let target: Session<S> | undefined;
    if (list !== undefined) {
      for (let i = 0; i < list.length; i++) {
        const s = list[i];
        // A session closed at this watermark is final even if it has not fired yet: never extend it.
        if (!sessionsMerge(s, fresh) || windowClosed(s.end, watermark)) continue;
        if (target === undefined) {
          target = s;
        } else {
          // The new record bridges two sessions: fold s into target.
          target.slot = this.ops.merge(target.slot, s.slot);
          target.start = Math.min(target.start, s.start);
          target.end = Math.max(target.end, s.end);
          list.splice(i--, 1);
          this.entries--;
          this.dirtySessions?.delete(s);
        }
      }
    }
    if (target === undefined) {
      if (windowClosed(fresh.end, watermark)) return false;
      target = { start: fresh.start, end: fresh.end, slot: this.ops.create() };
      if (list === undefined) {
        list = [];
        this.sessions.set(key, list);
      }
      list.push(target);
      this.entries++;
      this.timers.push(target.end - 1, key);
    } else if (fresh.start < target.start || fresh.end > target.end) {
      target.start = Math.min(target.start, fresh.start);
      if (fresh.end > target.end) {
        target.end = fresh.end;
        this.timers.push(target.end - 1, key);
      }
    }
    target.slot = this.ops.add(target.slot, value, side, emitTime, ingestTime);
    this.dirtySessions?.set(target, key);
    return true;
  }

  private markDirty(start: number, key: Key): void {
    let keys = this.dirtyAligned!.get(start);
    if (keys === undefined) this.dirtyAligned!.set(start, (keys = new Set()));
    keys.add(key);
  }

  /**
   * Early firing: emits the current result of every open (key, window) that changed since it last fired
   * (early or final), in the order they first changed, and forgets that they changed. With
   * `windowEndFilter`, only windows whose end passes it fire; the others stay changed. Returns how many
   * fired. Needs `{trackDirty: true}`.
   */
  emitDirty(emit: Emit, windowEndFilter?: (windowEnd: number) => boolean): number {
    if (this.dirtyAligned === undefined || this.dirtySessions === undefined)
      throw new Error('emitDirty needs KeyedWindows constructed with {trackDirty: true}');
    let fired = 0;
    if (this.spec.kind === 'session') {
      for (const [s, key] of this.dirtySessions) {
        if (windowEndFilter !== undefined && !windowEndFilter(s.end)) continue;
        this.ops.fire(s.slot, key, { start: s.start, end: s.end }, emit);
        this.dirtySessions.delete(s);
        fired++;
      }
      return fired;
    }
    const size = this.spec.size;
    for (const [start, keys] of this.dirtyAligned) {
      if (windowEndFilter !== undefined && !windowEndFilter(start + size)) continue;
      this.dirtyAligned.delete(start);
      const byKey = this.aligned.get(start);
      if (byKey === undefined) continue;
      const window: TimeWindow = { start, end: start + size };
      for (const key of keys) {
        const slot = byKey.get(key);
        if (slot === undefined) continue;
        this.ops.fire(slot, key, window, emit);
        fired++;
      }
    }
    return fired;
  }

  /** Open (key, window) entries that changed since they last fired; 0 without dirty tracking. */
  get dirtySize(): number {
    if (this.dirtyAligned === undefined) return 0;
    let n = this.dirtySessions!.size;
    for (const keys of this.dirtyAligned.values()) n += keys.size;
    return n;
  }

  /** Fires, in order of window end, every window closed at `watermark`; returns how many fired. */
  advance(watermark: number, emit: Emit): number {
    let fired = 0;
    while (this.timers.size > 0 && this.timers.peekKey() <= watermark) {
      const item = this.timers.pop()!;
      if (this.spec.kind === 'session') {
        fired += this.fireSessions(item as Key, watermark, emit);
        continue;
      }
      const start = item as number;
      const byKey = this.aligned.get(start)!;
      this.aligned.delete(start);
      if (start === this.lastStart) {
        this.lastStart = Number.NaN;
        this.lastByKey = undefined;
      }
      this.dirtyAligned?.delete(start);
      const window: TimeWindow = { start, end: start + this.spec.size };
      for (const [key, slot] of byKey) this.ops.fire(slot, key, window, emit);
      this.entries -= byKey.size;
      fired += byKey.size;
    }
    return fired;
  }

  private fireSessions(key: Key, watermark: number, emit: Emit): number {
    const list = this.sessions.get(key);
    if (list === undefined) return 0;
    let fired = 0;
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (!windowClosed(s.end, watermark)) continue;
      this.ops.fire(s.slot, key, { start: s.start, end: s.end }, emit);
      this.dirtySessions?.delete(s);
      list.splice(i--, 1);
      fired++;
    }
    this.entries -= fired;
    if (list.length === 0) this.sessions.delete(key);
    return fired;
  }

  /**
   * Merges a pre-aggregated slot (e.g. a map-side partial aggregate) into the aligned window starting at
   * `windowStart`. Returns false when that window has already closed at `watermark` (the slot is late).
   */
  mergeSlot(key: Key, windowStart: number, slot: S, watermark: number): boolean {
    if (this.spec.kind === 'session') throw new TypeError('mergeSlot is for aligned windows; sessions merge by extent');
    if (windowClosed(windowStart + this.spec.size, watermark)) return false;
    let byKey = this.aligned.get(windowStart);
    if (byKey === undefined) {
      byKey = new Map();
      this.aligned.set(windowStart, byKey);
      this.timers.push(windowStart + this.spec.size - 1, windowStart);
    }
    const held = byKey.get(key);
    if (held === undefined) this.entries++;
    byKey.set(key, held === undefined ? slot : this.ops.merge(held, slot));
    if (this.dirtyAligned !== undefined) this.markDirty(windowStart, key);
    return true;
  }

  /** Visits every open (window, key) entry: what a full-state pass (updateStateByKey) touches. */
  forEachSlot(visit: (key: Key, window: TimeWindow, slot: S) => void): void {
    if (this.spec.kind === 'session') {
      for (const [key, list] of this.sessions) for (const s of list) visit(key, { start: s.start, end: s.end }, s.slot);
      return;
    }
    for (const [start, byKey] of this.aligned) {
      const window = { start, end: start + this.spec.size };
      for (const [key, slot] of byKey) visit(key, window, slot);
    }
  }

  /**
   * A deep copy of the state as plain data (slots are structured-cloned): later updates do not change it,
   * and {@link restore} rebuilds the same state from it. What checkpoints store.
   */
  snapshot(): KeyedWindowsSnapshot<S> {
    const entries: [Key, number, number, S][] = [];
    this.forEachSlot((key, w, slot) => entries.push([key, w.start, w.end, structuredClone(slot)]));
    return { kind: this.spec.kind, entries };
  }

  /**
   * The same plain data as {@link snapshot} but sharing the live slots instead of copying them: for a
   * caller that serializes it at once, before the state changes again (a checkpoint's asynchronous part).
   */
  snapshotView(): KeyedWindowsSnapshot<S> {
    const entries: [Key, number, number, S][] = [];
    this.forEachSlot((key, w, slot) => entries.push([key, w.start, w.end, slot]));
    return { kind: this.spec.kind, entries };
  }

  /** Replaces the state with a snapshot's (taken from state with the same window spec). */
  restore(snapshot: KeyedWindowsSnapshot<S>): void {
    if (snapshot.kind !== this.spec.kind) throw new Error(`cannot restore ${snapshot.kind} window state into ${this.spec.kind} windows`);
    this.aligned.clear();
    this.sessions.clear();
    this.timers.clear();
    this.lastStart = Number.NaN;
    this.lastByKey = undefined;
    this.entries = 0;
    // What changed before the snapshot was taken is not part of it: replayed records mark it again.
    this.dirtyAligned?.clear();
    this.dirtySessions?.clear();
    for (const [key, start, end, saved] of snapshot.entries) {
      const slot = structuredClone(saved);
      this.entries++;
      if (this.spec.kind === 'session') {
        let list = this.sessions.get(key);
        if (list === undefined) this.sessions.set(key, (list = []));
        list.push({ start, end, slot });
        this.timers.push(end - 1, key);
        continue;
      }
      let byKey = this.aligned.get(start);
      if (byKey === undefined) {
        this.aligned.set(start, (byKey = new Map()));
        this.timers.push(end - 1, start);
      }
      byKey.set(key, slot);
    }
  }

  /** The earliest watermark at which some window fires (Infinity when none is open). */
  get nextFireTime(): number {
    return this.timers.peekKey();
  }

  /** Open (window, key) entries. */
  get size(): number {
    return this.entries;
  }
}
