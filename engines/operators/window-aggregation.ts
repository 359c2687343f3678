/** The slots of a keyed window aggregate: an accumulator and the max times of its inputs. */
import { windowResultTime, type AggregateFunction, type Key, type TimeWindow, type WindowResult, type WindowSpec } from '../api/index.js';
import type { Emit } from './emit.js';
import { KeyedWindows, type KeyedWindowsOptions, type SlotOps } from './keyed-windows.js';

export interface AggregateSlot {
  acc: unknown;
  emitTime: number;
  ingestTime: number;
}

/** The slot operations of an aggregate: what a window of a keyed window aggregate holds and emits. */
export function aggregateSlotOps(fn: AggregateFunction<unknown, unknown, unknown>): SlotOps<AggregateSlot> {
  return {
    create: () => ({ acc: fn.create(), emitTime: Number.NEGATIVE_INFINITY, ingestTime: Number.NEGATIVE_INFINITY }),
    add(slot, value, _side, emitTime, ingestTime) {
      slot.acc = fn.add(slot.acc, value);
      if (emitTime > slot.emitTime) slot.emitTime = emitTime;
      if (ingestTime > slot.ingestTime) slot.ingestTime = ingestTime;
      return slot;
    },
    merge(a, b) {
      a.acc = fn.merge(a.acc, b.acc);
      a.emitTime = Math.max(a.emitTime, b.emitTime);
      a.ingestTime = Math.max(a.ingestTime, b.ingestTime);
      return a;
    },
    fire(slot, key: Key, window: TimeWindow, emit: Emit) {
      const result: WindowResult = { windowStart: window.start, windowEnd: window.end, key, value: fn.result(slot.acc) };
      emit(result, windowResultTime(window.end), slot.emitTime, slot.ingestTime);
    },
  };
}

/** Keyed window aggregation state: add records, advance the watermark, get {@link WindowResult}s. */
export class WindowAggregation extends KeyedWindows<AggregateSlot> {
  /** @param options `{trackDirty: true}` for early firing (a node with `earlyFiringMs`). */
  constructor(spec: WindowSpec, fn: AggregateFunction<any, any, unknown>, options?: KeyedWindowsOptions) {
    super(spec, aggregateSlotOps(fn), options);
  }
}
