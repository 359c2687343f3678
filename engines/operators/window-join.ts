/** The slots of a keyed window join: both sides' records, joined pairwise when the window fires. */
import { windowResultTime, type Key, type TimeWindow, type WindowSpec } from '../api/index.js';
import type { Emit } from './emit.js';
import { KeyedWindows, type SlotOps } from './keyed-windows.js';

export interface HeldValue {
  value: unknown;
  emitTime: number;
  ingestTime: number;
}

export interface JoinSlot {
  left: HeldValue[];
  right: HeldValue[];
}

/** The slot operations of a window join: both sides' records of one key and window, paired when it fires. */
export function joinSlotOps(fn: (left: any, right: any, window: TimeWindow) => unknown): SlotOps<JoinSlot> {
  return {
    create: () => ({ left: [], right: [] }),
    add(slot, value, side, emitTime, ingestTime) {
      (side === 0 ? slot.left : slot.right).push({ value, emitTime, ingestTime });
      return slot;
    },
    merge(a, b) {
      for (const h of b.left) a.left.push(h);
      for (const h of b.right) a.right.push(h);
      return a;
    },
    fire(slot, _key: Key, window: TimeWindow, emit: Emit) {
      const time = windowResultTime(window.end);
      for (const l of slot.left) {
        for (const r of slot.right) {
          emit(fn(l.value, r.value, window), time, Math.max(l.emitTime, r.emitTime), Math.max(l.ingestTime, r.ingestTime));
        }
      }
    },
  };
}

/** Keyed window join state: records of side 0 (left) and 1 (right), pairs emitted at window end. */
export class WindowJoin extends KeyedWindows<JoinSlot> {
  constructor(spec: WindowSpec, fn: (left: any, right: any, window: TimeWindow) => unknown) {
    super(spec, joinSlotOps(fn));
  }
}
