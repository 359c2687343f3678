/**
 * The dataflow's window operators as the user code of Storm windowed bolts: what a Storm programmer writes
 * in `execute(TupleWindow)`. Storm's window holds every tuple that reached the bolt task, of every key, so
 * each evaluation groups the window's tuples by key and computes the aggregate (or the join) from scratch:
 * a sliding window re-reads each tuple at every slide. Results carry the window's times as the shared
 * semantics say (event time `end - 1`, the maxima of the inputs' emit and ingest times).
 */
import {
  windowResultTime,
  type AggregateFunction,
  type Key,
  type KeySelector,
  type TimeWindow,
  type WindowResult,
} from '../../api/index.js';
import type { Emit } from '../../operators/index.js';
import type { Tuple } from '../executor/tuple.js';
import type { TopologyContext } from '../topology/components.js';
import type { IWindowedBolt, TupleWindow, WindowedOutputCollector } from '../windowing/index.js';

/** What a window computes from its tuples; `tuples` may mix keys. */
export interface WindowFunction {
  apply(tuples: readonly Tuple[], window: TimeWindow, emit: Emit): void;
}

interface Group {
  acc: unknown;
  emitTime: number;
  ingestTime: number;
}

/** The keyed window aggregate: one {@link WindowResult} per key present in the window. */
export function keyedAggregate(key: KeySelector<any>, fn: AggregateFunction<any, any, unknown>): WindowFunction {
  return {
    apply(tuples, window, emit) {
      const groups = new Map<Key, Group>();
      for (let i = 0; i < tuples.length; i++) {
        const t = tuples[i];
        const k = key(t.value);
        let g = groups.get(k);
        if (g === undefined)
          groups.set(k, (g = { acc: fn.create(), emitTime: Number.NEGATIVE_INFINITY, ingestTime: Number.NEGATIVE_INFINITY }));
        g.acc = fn.add(g.acc, t.value);
        if (t.emitTime > g.emitTime) g.emitTime = t.emitTime;
        if (t.ingestTime > g.ingestTime) g.ingestTime = t.ingestTime;
      }
      const time = windowResultTime(window.end);
      for (const [k, g] of groups) {
        const result: WindowResult = { windowStart: window.start, windowEnd: window.end, key: k, value: fn.result(g.acc) };
        emit(result, time, g.emitTime, g.ingestTime);
      }
    },
  };
}

/** The keyed window join: every (left, right) pair with equal keys, in arrival order on each side. */
export function keyedJoin(keys: readonly KeySelector<any>[], fn: (left: any, right: any, window: TimeWindow) => unknown): WindowFunction {
  return {
    apply(tuples, window, emit) {
      const sides = new Map<Key, [Tuple[], Tuple[]]>();
      for (let i = 0; i < tuples.length; i++) {
        const t = tuples[i];
        const k = keys[t.stream](t.value);
        let s = sides.get(k);
        if (s === undefined) sides.set(k, (s = [[], []]));
        s[t.stream].push(t);
      }
      const time = windowResultTime(window.end);
      for (const [left, right] of sides.values()) {
        for (const l of left) {
          for (const r of right)
            emit(fn(l.value, r.value, window), time, Math.max(l.emitTime, r.emitTime), Math.max(l.ingestTime, r.ingestTime));
        }
      }
    },
  };
}

/** A windowed bolt running a {@link WindowFunction} over each window it is handed. */
export class FunctionWindowedBolt implements IWindowedBolt {
  private collector!: WindowedOutputCollector;

  constructor(private readonly fn: WindowFunction) {}

  prepare(_context: TopologyContext, collector: WindowedOutputCollector): void {
    this.collector = collector;
  }

  execute(window: TupleWindow): void {
    // Storm's window is (start, end]; the project's is [start + 1, end + 1).
    this.fn.apply(window.get(), { start: window.startTimestamp + 1, end: window.endTimestamp + 1 }, this.emit);
  }

  private readonly emit: Emit = (value, eventTime, emitTime, ingestTime) => this.collector.emit(value, eventTime, emitTime, ingestTime);
}
