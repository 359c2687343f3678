/**
 * Early firing on processing time (YSB's flush sink): the `earlyFiring` option of a window aggregate, the
 * dirty-slot tracking of KeyedWindows (`emitDirty`), and the reference engine firing early through its
 * clock. Time is a ManualClock: exact outputs, no timing.
 */
import { describe, expect, it } from 'vitest';
import {
  count,
  DataflowBuilder,
  describeDataflow,
  session,
  tumbling,
  type Dataflow,
  type SinkSet,
  type WindowAggregateNode,
  type WindowResult,
} from '../../../engines/api/index.js';
import { WindowAggregation, type Emit } from '../../../engines/operators/index.js';
import { compileDataflow } from '../../../engines/reference/compile.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { EventLog } from '../../../bench/driver/index.js';
import { LateRecordCounter } from '../../../bench/metrics/index.js';

function collector(): { emit: Emit; out: string[] } {
  const out: string[] = [];
  return {
    out,
    emit: (v) => {
      const r = v as WindowResult;
      out.push(`${r.key}@${r.windowStart}-${r.windowEnd}=${String(r.value)}`);
    },
  };
}

describe('KeyedWindows dirty tracking and emitDirty', () => {
  it('emits the current result of each changed window once, in the order they changed', () => {
    const w = new WindowAggregation(tumbling(10), count(), { trackDirty: true });
    const { emit, out } = collector();
    w.add('a', 1, 0, 1, 0, 0, -Infinity);
    w.add('b', 1, 0, 2, 0, 0, -Infinity);
    w.add('a', 1, 0, 12, 0, 0, -Infinity);
    w.add('a', 1, 0, 3, 0, 0, -Infinity);
    expect(w.dirtySize).toBe(3);
    expect(w.emitDirty(emit)).toBe(3);
    expect(out).toEqual(['a@0-10=2', 'b@0-10=1', 'a@10-20=1']);
    expect(w.emitDirty(emit)).toBe(0);
    w.add('b', 1, 0, 4, 0, 0, -Infinity);
    expect(w.emitDirty(emit)).toBe(1);
    expect(out.at(-1)).toBe('b@0-10=2');
    expect(w.size).toBe(3); // early firing keeps the windows open
  });

  it('forgets a window once it fires at the watermark, and keeps filtered-out windows changed', () => {
    const w = new WindowAggregation(tumbling(10), count(), { trackDirty: true });
    const { emit, out } = collector();
    w.add('a', 1, 0, 1, 0, 0, -Infinity);
    w.add('a', 1, 0, 11, 0, 0, -Infinity);
    expect(w.advance(9, emit)).toBe(1);
    expect(out).toEqual(['a@0-10=1']);
    expect(w.emitDirty(emit, (end) => end > 20)).toBe(0);
    expect(w.dirtySize).toBe(1);
    expect(w.emitDirty(emit)).toBe(1);
    expect(out).toEqual(['a@0-10=1', 'a@10-20=1']);
  });

  it('marks pre-aggregated slots merged with mergeSlot, and clears on restore', () => {
    const w = new WindowAggregation(tumbling(10), count(), { trackDirty: true });
    const { emit, out } = collector();
    w.mergeSlot('k', 0, { acc: 5, emitTime: 0, ingestTime: 0 }, -Infinity);
    const snap = w.snapshot();
    w.restore(snap);
    expect(w.dirtySize).toBe(0);
    w.mergeSlot('k', 0, { acc: 2, emitTime: 0, ingestTime: 0 }, -Infinity);
    expect(w.emitDirty(emit)).toBe(1);
    expect(out).toEqual(['k@0-10=7']);
  });

  it('tracks sessions through merges: a bridged session fires once with the merged extent', () => {
    const w = new WindowAggregation(session(10), count(), { trackDirty: true });
    const { emit, out } = collector();
    w.add('u', 1, 0, 0, 0, 0, -Infinity);
    w.add('u', 1, 0, 30, 0, 0, -Infinity);
    expect(w.emitDirty(emit)).toBe(2);
    w.add('u', 1, 0, 15, 0, 0, -Infinity); // a new session [15, 25): touches neither [0, 10) nor [30, 40)
    w.add('u', 1, 0, 8, 0, 0, -Infinity); // [8, 18) bridges [0, 10) and [15, 25): one changed session [0, 25)
    expect(w.emitDirty(emit)).toBe(1);
    expect(out.slice(2)).toEqual(['u@0-25=3']);
    expect(w.advance(Infinity, emit)).toBe(2);
    expect(w.dirtySize).toBe(0);
  });

  it('refuses emitDirty without tracking, and costs nothing when off', () => {
    const w = new WindowAggregation(tumbling(10), count());
    w.add('a', 1, 0, 1, 0, 0, -Infinity);
    expect(w.dirtySize).toBe(0);
    expect(() => w.emitDirty(() => {})).toThrow(/trackDirty/);
  });
});

describe('the earlyFiring option of a window aggregate', () => {
  it('sets earlyFiringMs on the node and shows it in the plan; absent by default', () => {
    const b = new DataflowBuilder('f');
    const s = b
      .source<number>('in')
      .keyBy(() => 'k')
      .window(tumbling(1000));
    s.aggregate(count(), { name: 'early', earlyFiring: { everyMs: 250 } }).sink('a');
    s.aggregate(count(), 'final').sink('b');
    const flow = b.build();
    const early = flow.nodes.find((n) => n.name === 'early') as WindowAggregateNode;
    const final = flow.nodes.find((n) => n.name === 'final') as WindowAggregateNode;
    expect(early.earlyFiringMs).toBe(250);
    expect(final.earlyFiringMs).toBeUndefined();
    expect('earlyFiringMs' in final).toBe(false);
    expect(describeDataflow(flow)).toMatch(/early firing every 250 ms/);
  });

  it('rejects an interval that is not a positive whole number of ms', () => {
    const w = new DataflowBuilder('f')
      .source<number>('in')
      .keyBy(() => 'k')
      .window(tumbling(1000));
    expect(() => w.aggregate(count(), { earlyFiring: { everyMs: 0 } })).toThrow(/everyMs must be a positive whole number/);
    expect(() => w.aggregate(count(), { earlyFiring: { everyMs: 1.5 } })).toThrow(/everyMs/);
  });
});

describe('the reference engine fires early on its clock', () => {
  interface Ev {
    t: number;
    k: string;
  }

  function flowWithEarlyFiring(everyMs: number): Dataflow {
    const b = new DataflowBuilder('early');
    b.source<Ev>('in')
      .withTimestamps((e) => e.t, { maxDelay: 0 }, 'ts')
      .keyBy((e) => e.k)
      .window(tumbling(1000))
      .aggregate(count<Ev>(), { name: 'count', earlyFiring: { everyMs } })
      .sink('out');
    return b.build();
  }

  it('emits changed windows with running counts once an interval has passed, then the final count', () => {
    const clock = new ManualClock(10_000);
    const out: string[] = [];
    const sinks: SinkSet = {
      get: () => ({
        write: (v) => {
          const r = v as WindowResult;
          out.push(`${r.key}@${r.windowStart}=${String(r.value)}`);
        },
      }),
    };
    const compiled = compileDataflow(flowWithEarlyFiring(100), {
      log: new EventLog(1, clock),
      sinks,
      clock,
      metrics: new LateRecordCounter(),
    });
    const push = (t: number, k: string) => {
      compiled.push({ t, k }, 0, 0, clock.now());
      if (compiled.watermarkDirty()) compiled.advanceWatermarks();
    };
    push(0, 'a');
    push(1, 'a');
    push(2, 'b');
    expect(out).toEqual([]); // the first interval ends at 10 100
    clock.set(10_100);
    push(3, 'a'); // due: every changed window fires with its running count
    expect(out).toEqual(['a@0=3', 'b@0=1']);
    push(4, 'b');
    clock.set(10_150);
    push(5, 'b');
    expect(out).toEqual(['a@0=3', 'b@0=1']); // not due until 10 200
    clock.set(10_260);
    push(6, 'c');
    expect(out).toEqual(['a@0=3', 'b@0=1', 'b@0=3', 'c@0=1']);
    push(1000, 'a'); // the watermark passes 999: the final firing of window 0, every key
    expect(out.slice(4).sort()).toEqual(['a@0=3', 'b@0=3', 'c@0=1']);
    compiled.finish();
    expect(out.at(-1)).toBe('a@1000=1');
  });
});
