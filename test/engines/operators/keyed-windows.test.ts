/**
 * The shared keyed window and join state, tested directly against the semantics of DESIGN.md
 * ("Semantics that every engine must agree on"): `[start, end)` windows aligned at 0, firing when the
 * watermark reaches `end - 1`, lateness, session merging (Flink's TimeWindow.intersects), result times,
 * window and incremental joins, and the watermark generator and valve.
 */
import { describe, expect, it } from 'vitest';
import {
  count,
  MIN_WATERMARK,
  reducing,
  session,
  sliding,
  sumOf,
  tumbling,
  type Key,
  type TimeWindow,
  type WindowResult,
  type WindowSpec,
} from '../../../engines/api/index.js';
import {
  BoundedOutOfOrderness,
  IncrementalJoin,
  WatermarkValve,
  WindowAggregation,
  WindowJoin,
  type Emit,
} from '../../../engines/operators/index.js';

interface Out {
  value: unknown;
  eventTime: number;
  emitTime: number;
  ingestTime: number;
}

function collector(): { out: Out[]; emit: Emit } {
  const out: Out[] = [];
  return { out, emit: (value, eventTime, emitTime, ingestTime) => out.push({ value, eventTime, emitTime, ingestTime }) };
}

/** `key@[start,end)=value`, sorted: a compact, order-free view of window results. */
function results(out: readonly Out[]): string[] {
  return out
    .map((o) => {
      const r = o.value as WindowResult;
      return `${r.key}@[${r.windowStart},${r.windowEnd})=${JSON.stringify(r.value)}`;
    })
    .sort();
}

/** A counting window aggregation with a helper that adds a record at event time `t` (times = t). */
function counter(spec: WindowSpec) {
  const w = new WindowAggregation(spec, count());
  const c = collector();
  return {
    w,
    out: c.out,
    add: (key: Key, t: number, watermark: number, emitTime = t, ingestTime = t) => w.add(key, null, 0, t, emitTime, ingestTime, watermark),
    advance: (watermark: number) => w.advance(watermark, c.emit),
  };
}

describe('tumbling windows', () => {
  it('are [start, end): t = end - 1 is inside, t = end starts the next window', () => {
    const c = counter(tumbling(10));
    for (const t of [0, 9, 10, 19, 20]) expect(c.add('k', t, MIN_WATERMARK)).toBe(true);
    expect(c.w.size).toBe(3);
    expect(c.advance(Number.POSITIVE_INFINITY)).toBe(3);
    expect(results(c.out)).toEqual(['k@[0,10)=2', 'k@[10,20)=2', 'k@[20,30)=1']);
    expect(c.w.size).toBe(0);
  });

  it('align at 0 with floor, also for negative times', () => {
    const c = counter(tumbling(5));
    for (const t of [-11, -10, -6, -5, -1, 0, 4, 5, 1003]) c.add('k', t, MIN_WATERMARK);
    c.advance(Number.POSITIVE_INFINITY);
    expect(results(c.out)).toEqual(['k@[-10,-5)=2', 'k@[-15,-10)=1', 'k@[-5,0)=2', 'k@[0,5)=2', 'k@[1000,1005)=1', 'k@[5,10)=1'].sort());
  });

  it('keep keys apart, with numeric and string keys distinct', () => {
    const c = counter(tumbling(10));
    c.add('a', 1, MIN_WATERMARK);
    c.add('b', 2, MIN_WATERMARK);
    c.add('a', 3, MIN_WATERMARK);
    c.add(1, 4, MIN_WATERMARK);
    c.add('1', 5, MIN_WATERMARK);
    c.add(1, 6, MIN_WATERMARK);
    expect(c.w.size).toBe(4);
    expect(c.advance(Number.POSITIVE_INFINITY)).toBe(4);
    expect(results(c.out)).toEqual(['1@[0,10)=1', '1@[0,10)=2', 'a@[0,10)=2', 'b@[0,10)=1']);
    const numeric = c.out.map((o) => o.value as WindowResult).find((r) => r.key === 1)!;
    expect(numeric.value).toBe(2);
  });

  it('fire exactly when the watermark reaches end - 1, not at end - 2', () => {
    const c = counter(tumbling(10));
    c.add('k', 3, MIN_WATERMARK);
    c.add('k', 12, MIN_WATERMARK);
    expect(c.w.nextFireTime).toBe(9);
    expect(c.advance(8)).toBe(0);
    expect(c.out).toEqual([]);
    expect(c.advance(9)).toBe(1);
    expect(results(c.out)).toEqual(['k@[0,10)=1']);
    expect(c.w.nextFireTime).toBe(19);
    expect(c.advance(18)).toBe(0);
    expect(c.advance(19)).toBe(1);
    expect(results(c.out)).toEqual(['k@[0,10)=1', 'k@[10,20)=1']);
    expect(c.w.nextFireTime).toBe(Number.POSITIVE_INFINITY);
    expect(c.advance(1000)).toBe(0);
  });

  it('fire every closed window in order of window end, each once', () => {
    const c = counter(tumbling(10));
    for (const t of [35, 5, 25, 15, 45]) c.add('k', t, MIN_WATERMARK);
    expect(c.advance(39)).toBe(4);
    expect(c.out.map((o) => (o.value as WindowResult).windowEnd)).toEqual([10, 20, 30, 40]);
    expect(c.advance(39)).toBe(0);
    expect(c.advance(49)).toBe(1);
    expect(c.out.length).toBe(5);
  });

  it('drop a late record (its window has fired) and say so; accept one for a window still open', () => {
    const c = counter(tumbling(10));
    c.add('k', 5, MIN_WATERMARK);
    c.advance(9);
    // Window [0, 10) has fired: t = 0..9 is late at watermark 9.
    expect(c.add('k', 9, 9)).toBe(false);
    expect(c.add('k', 0, 9)).toBe(false);
    expect(c.add('other', 4, 9)).toBe(false);
    // [10, 20) is open until the watermark reaches 19.
    expect(c.add('k', 10, 9)).toBe(true);
    expect(c.add('k', 19, 18)).toBe(true);
    expect(c.add('k', 15, 19)).toBe(false); // closed at 19 even before advance() fired it
    c.advance(19);
    expect(results(c.out)).toEqual(['k@[0,10)=1', 'k@[10,20)=2']);
  });

  it('treat a record as late exactly when its window end - 1 <= watermark', () => {
    const c = counter(tumbling(10));
    expect(c.add('k', 5, 8)).toBe(true); // end - 1 = 9 > 8
    expect(c.add('k', 5, 9)).toBe(false); // end - 1 = 9 <= 9
    c.advance(Number.POSITIVE_INFINITY);
    expect(results(c.out)).toEqual(['k@[0,10)=1']);
  });

  it('emit eventTime = end - 1 and the max emitTime and ingestTime of the inputs', () => {
    const c = counter(tumbling(100));
    c.add('k', 10, MIN_WATERMARK, 500, 7);
    c.add('k', 90, MIN_WATERMARK, 300, 9);
    c.add('k', 50, MIN_WATERMARK, 400, 8);
    c.add('j', 150, MIN_WATERMARK, 1, 2);
    c.advance(Number.POSITIVE_INFINITY);
    const byKey = new Map(c.out.map((o) => [`${(o.value as WindowResult).key}${(o.value as WindowResult).windowStart}`, o]));
    expect(byKey.get('k0')).toEqual({
      value: { windowStart: 0, windowEnd: 100, key: 'k', value: 3 },
      eventTime: 99,
      emitTime: 500,
      ingestTime: 9,
    });
    expect(byKey.get('j100')).toEqual({
      value: { windowStart: 100, windowEnd: 200, key: 'j', value: 1 },
      eventTime: 199,
      emitTime: 1,
      ingestTime: 2,
    });
  });

  it('apply the aggregate function (sum, reducing) to the window values', () => {
    const sum = new WindowAggregation(
      tumbling(10),
      sumOf((v: { n: number }) => v.n),
    );
    const max = new WindowAggregation(tumbling(10), reducing<number>('max', Math.max));
    for (const [t, n] of [
      [1, 5],
      [2, 7],
      [11, 3],
      [3, -2],
    ]) {
      sum.add('k', { n }, 0, t, t, t, MIN_WATERMARK);
      max.add('k', n, 0, t, t, t, MIN_WATERMARK);
    }
    const a = collector();
    const b = collector();
    sum.advance(Number.POSITIVE_INFINITY, a.emit);
    max.advance(Number.POSITIVE_INFINITY, b.emit);
    expect(results(a.out)).toEqual(['k@[0,10)=10', 'k@[10,20)=3']);
    expect(results(b.out)).toEqual(['k@[0,10)=7', 'k@[10,20)=3']);
  });
});

describe('sliding windows', () => {
  it('put a record into size / slide windows', () => {
    const c = counter(sliding(10, 5));
    c.add('k', 7, MIN_WATERMARK);
    expect(c.w.size).toBe(2);
    c.add('k', 10, MIN_WATERMARK);
    c.advance(Number.POSITIVE_INFINITY);
    expect(results(c.out)).toEqual(['k@[0,10)=1', 'k@[10,20)=1', 'k@[5,15)=2']);
  });

  it('put a record into size / slide windows when size is a multiple of slide (and align negatives)', () => {
    const c = counter(sliding(30, 10));
    c.add('k', 25, MIN_WATERMARK);
    c.add('k', -3, MIN_WATERMARK);
    c.advance(Number.POSITIVE_INFINITY);
    expect(results(c.out)).toEqual(['k@[-10,20)=1', 'k@[-20,10)=1', 'k@[-30,0)=1', 'k@[0,30)=1', 'k@[10,40)=1', 'k@[20,50)=1'].sort());
  });

  it('with slide > size leave gaps: a record in a gap belongs to no window and is not late', () => {
    const c = counter(sliding(3, 5));
    // Windows [0,3), [5,8), [10,13)...; t = 3, 4, 8, 9 are in gaps.
    for (const t of [0, 2, 3, 4, 5, 7, 8, 9]) expect(c.add('k', t, MIN_WATERMARK)).toBe(true);
    expect(c.w.size).toBe(2);
    // In a gap, a record is not late even far behind the watermark.
    expect(c.add('k', 3, 1000)).toBe(true);
    expect(c.add('k', 9, 1000)).toBe(true);
    expect(c.w.size).toBe(2);
    c.advance(Number.POSITIVE_INFINITY);
    expect(results(c.out)).toEqual(['k@[0,3)=2', 'k@[5,8)=2']);
  });

  it('fire each window at its own end - 1', () => {
    const c = counter(sliding(10, 5));
    c.add('k', 7, MIN_WATERMARK); // [0,10), [5,15)
    expect(c.advance(8)).toBe(0);
    expect(c.advance(9)).toBe(1);
    expect(results(c.out)).toEqual(['k@[0,10)=1']);
    expect(c.advance(13)).toBe(0);
    expect(c.advance(14)).toBe(1);
    expect(results(c.out)).toEqual(['k@[0,10)=1', 'k@[5,15)=1']);
  });

  it('keep a record late for some windows in the open ones, and do not count it late', () => {
    const c = counter(sliding(10, 5));
    c.add('k', 1, MIN_WATERMARK); // [-5,5), [0,10)
    c.add('k', 6, MIN_WATERMARK); // [0,10), [5,15)
    c.advance(9); // fires [-5,5) and [0,10)
    expect(results(c.out)).toEqual(['k@[-5,5)=1', 'k@[0,10)=2']);
    // t = 8 belongs to [0,10) (fired) and [5,15) (open): kept in [5,15) only, not late.
    expect(c.add('k', 8, 9)).toBe(true);
    // t = 4 belongs to [-5,5) and [0,10), both fired: late.
    expect(c.add('k', 4, 9)).toBe(false);
    c.advance(Number.POSITIVE_INFINITY);
    expect(results(c.out)).toEqual(['k@[-5,5)=1', 'k@[0,10)=2', 'k@[5,15)=2']);
  });

  it("emit eventTime = end - 1 for each window and the max times of that window's inputs only", () => {
    const c = counter(sliding(10, 5));
    c.add('k', 3, MIN_WATERMARK, 100, 1000); // [-5,5), [0,10)
    c.add('k', 7, MIN_WATERMARK, 50, 2000); // [0,10), [5,15)
    c.advance(Number.POSITIVE_INFINITY);
    const byStart = new Map(c.out.map((o) => [(o.value as WindowResult).windowStart, o]));
    expect(byStart.get(-5)).toMatchObject({ eventTime: 4, emitTime: 100, ingestTime: 1000 });
    expect(byStart.get(0)).toMatchObject({ eventTime: 9, emitTime: 100, ingestTime: 2000 });
    expect(byStart.get(5)).toMatchObject({ eventTime: 14, emitTime: 50, ingestTime: 2000 });
  });
});

describe('session windows', () => {
  it('end at the last record time + gap and fire at end - 1', () => {
    const c = counter(session(10));
    c.add('k', 100, MIN_WATERMARK);
    c.add('k', 105, MIN_WATERMARK);
    expect(c.advance(113)).toBe(0);
    expect(c.advance(114)).toBe(1);
    expect(c.out).toEqual([
      { value: { windowStart: 100, windowEnd: 115, key: 'k', value: 2 }, eventTime: 114, emitTime: 105, ingestTime: 105 },
    ]);
  });

  it('merge records exactly gap apart (touching extents), but not gap + 1 apart', () => {
    const c = counter(session(10));
    c.add('k', 0, MIN_WATERMARK);
    c.add('k', 10, MIN_WATERMARK); // [0,10) touches [10,20)
    c.add('k', 31, MIN_WATERMARK); // [31,41) does not touch [0,20)
    c.add('k', 20, MIN_WATERMARK); // [20,30) touches [0,20): one session [0,30); 30 < 31, apart from [31,41)
    expect(c.w.size).toBe(2);
    c.advance(Number.POSITIVE_INFINITY);
    expect(results(c.out)).toEqual(['k@[0,30)=3', 'k@[31,41)=1']);
  });

  it('merge a record bridging two sessions into one with the sum of counts', () => {
    const c = counter(session(10));
    c.add('k', 0, MIN_WATERMARK, 5, 50);
    c.add('k', 2, MIN_WATERMARK, 6, 40);
    c.add('k', 22, MIN_WATERMARK, 1, 60);
    c.add('k', 30, MIN_WATERMARK, 2, 10);
    c.add('k', 27, MIN_WATERMARK, 3, 20);
    expect(c.w.size).toBe(2);
    // t = 12 -> [12,22) touches [0,12) (at 12) and [22,40) (at 22).
    expect(c.add('k', 12, MIN_WATERMARK, 4, 30)).toBe(true);
    expect(c.w.size).toBe(1);
    expect(c.advance(38)).toBe(0);
    expect(c.advance(39)).toBe(1);
    expect(c.out).toEqual([{ value: { windowStart: 0, windowEnd: 40, key: 'k', value: 6 }, eventTime: 39, emitTime: 6, ingestTime: 60 }]);
  });

  it('merge successive bridging records into one session', () => {
    const c = counter(session(5));
    for (const t of [0, 8, 16]) c.add('k', t, MIN_WATERMARK);
    expect(c.w.size).toBe(3);
    // [4, 9) touches [0,5) and [8,13); [12, 17) touches [8,13) and [16,21).
    c.add('k', 4, MIN_WATERMARK);
    expect(c.w.size).toBe(2);
    c.add('k', 12, MIN_WATERMARK);
    expect(c.w.size).toBe(1);
    c.advance(Number.POSITIVE_INFINITY);
    expect(results(c.out)).toEqual(['k@[0,21)=5']);
  });

  it('extend a session backwards with an out-of-order record and keep its end', () => {
    const c = counter(session(10));
    c.add('k', 50, MIN_WATERMARK);
    c.add('k', 42, MIN_WATERMARK);
    c.add('k', 35, MIN_WATERMARK);
    c.advance(Number.POSITIVE_INFINITY);
    expect(results(c.out)).toEqual(['k@[35,60)=3']);
  });

  it('keep sessions of different keys apart', () => {
    const c = counter(session(10));
    c.add('a', 0, MIN_WATERMARK);
    c.add('b', 5, MIN_WATERMARK);
    c.add('a', 9, MIN_WATERMARK);
    c.add('b', 16, MIN_WATERMARK);
    c.advance(Number.POSITIVE_INFINITY);
    expect(results(c.out)).toEqual(['a@[0,19)=2', 'b@[16,26)=1', 'b@[5,15)=1']);
  });

  it('fire only the closed sessions of a key; an extended session fires at its new end', () => {
    const c = counter(session(10));
    c.add('k', 0, MIN_WATERMARK); // [0,10)
    c.add('k', 20, MIN_WATERMARK); // [20,30)
    c.add('k', 28, MIN_WATERMARK); // [20,38)
    expect(c.advance(9)).toBe(1);
    expect(results(c.out)).toEqual(['k@[0,10)=1']);
    expect(c.advance(29)).toBe(0); // the stale timer of [20,30) fires nothing
    expect(c.advance(36)).toBe(0);
    expect(c.advance(37)).toBe(1);
    expect(results(c.out)).toEqual(['k@[0,10)=1', 'k@[20,38)=2']);
    expect(c.w.size).toBe(0);
  });

  it('drop a late record that touches no open session; accept one that touches an open session', () => {
    const c = counter(session(10));
    c.add('k', 0, MIN_WATERMARK); // [0,10)
    c.add('k', 40, MIN_WATERMARK); // [40,50)
    c.advance(20); // fires [0,10)
    expect(results(c.out)).toEqual(['k@[0,10)=1']);
    // [5,15) would end at 15 <= 21: late, and the fired session is not reopened.
    expect(c.add('k', 5, 20)).toBe(false);
    // [10,20): end - 1 = 19 <= 20, late as well.
    expect(c.add('k', 10, 20)).toBe(false);
    // [11,21): end - 1 = 20 <= 20, late.
    expect(c.add('k', 11, 20)).toBe(false);
    // [12,22): end - 1 = 21 > 20, not late: a new session.
    expect(c.add('k', 12, 20)).toBe(true);
    // t = 2: [2,12) has closed on its own (11 <= 20) but touches the open [12,22): accepted, merged.
    expect(c.add('k', 2, 20)).toBe(true);
    // Another key: a lone late record is dropped.
    expect(c.add('other', 5, 20)).toBe(false);
    c.advance(Number.POSITIVE_INFINITY);
    expect(results(c.out)).toEqual(['k@[0,10)=1', 'k@[2,22)=2', 'k@[40,50)=1']);
  });

  it('accept a record whose own extent has closed when it touches a still-open session (merging it)', () => {
    const c = counter(session(10));
    c.add('k', 100, MIN_WATERMARK); // [100,110)
    // At watermark 105, t = 90 gives [90,100): closed on its own (99 <= 105) but touches [100,110).
    expect(c.add('k', 90, 105)).toBe(true);
    expect(c.advance(109)).toBe(1);
    expect(results(c.out)).toEqual(['k@[90,110)=2']);
  });

  it('judge lateness at the given watermark even before advance() fired the closed sessions, as aligned windows do', () => {
    // Sessions closed at `watermark` but not yet fired take no merges (addToSession judges them at the
    // given watermark), so the result does not depend on whether the caller advanced before adding.
    // Tumbling windows: add() at watermark 9 drops a record for [0,10) whether or not advance(9) ran.
    // Sessions must agree: at watermark 9, [0,10) is closed, so a record at t = 10 ([10,20), open) must start
    // a new session rather than merge into the closed one; the result must not depend on whether the caller
    // advanced before adding. Advancing first gives [0,10)=1 and [10,20)=1.
    const first = counter(session(10));
    first.add('k', 0, MIN_WATERMARK);
    first.advance(9);
    expect(first.add('k', 10, 9)).toBe(true);
    first.advance(Number.POSITIVE_INFINITY);
    expect(results(first.out)).toEqual(['k@[0,10)=1', 'k@[10,20)=1']);

    const c = counter(session(10));
    c.add('k', 0, MIN_WATERMARK);
    expect(c.add('k', 10, 9)).toBe(true); // not advanced to 9 yet
    c.advance(9);
    c.advance(Number.POSITIVE_INFINITY);
    expect(results(c.out)).toEqual(['k@[0,10)=1', 'k@[10,20)=1']);
  });

  it('drop, at the given watermark, a record that only touches a session closed but not yet fired', () => {
    // Judged at the given watermark, as above: the record is not merged into the closed session.
    const c = counter(session(10));
    c.add('k', 0, MIN_WATERMARK);
    c.add('k', 10, MIN_WATERMARK); // [0,20)
    // At watermark 19 [0,20) is closed; [5,15) lies inside it and is closed too: late, as for aligned windows.
    expect(c.add('k', 5, 19)).toBe(false);
    c.advance(19);
    expect(results(c.out)).toEqual(['k@[0,20)=2']);
  });

  it('merge the emitTime and ingestTime maxima of merged sessions', () => {
    const c = counter(session(10));
    c.add('k', 0, MIN_WATERMARK, 900, 1);
    c.add('k', 18, MIN_WATERMARK, 2, 800);
    c.add('k', 9, MIN_WATERMARK, 3, 3);
    c.advance(Number.POSITIVE_INFINITY);
    expect(c.out).toEqual([
      { value: { windowStart: 0, windowEnd: 28, key: 'k', value: 3 }, eventTime: 27, emitTime: 900, ingestTime: 800 },
    ]);
  });
});

describe('WindowJoin', () => {
  const pair = (l: { id: string }, r: { id: string }, w: TimeWindow) => `${l.id}+${r.id}@${w.start}`;

  it('joins every left x right pair with an equal key in the same window, none across windows or keys', () => {
    const j = new WindowJoin(tumbling(10), pair);
    const add = (side: number, key: Key, id: string, t: number) => j.add(key, { id }, side, t, t, t, MIN_WATERMARK);
    add(0, 'a', 'L1', 1);
    add(0, 'a', 'L2', 5);
    add(1, 'a', 'R1', 9);
    add(1, 'a', 'R2', 2);
    add(1, 'a', 'R3', 3);
    add(0, 'b', 'L3', 4); // no right b in [0,10)
    add(1, 'b', 'R4', 10); // right b in the next window
    add(0, 'a', 'L4', 10); // left a in [10,20), no right a there
    add(1, 'c', 'R5', 7); // right only
    const c = collector();
    j.advance(Number.POSITIVE_INFINITY, c.emit);
    expect(c.out.map((o) => o.value).sort()).toEqual(['L1+R1@0', 'L1+R2@0', 'L1+R3@0', 'L2+R1@0', 'L2+R2@0', 'L2+R3@0']);
  });

  it("emits pairs at eventTime end - 1 with the pair's max emitTime and ingestTime", () => {
    const j = new WindowJoin(tumbling(10), pair);
    j.add('a', { id: 'L' }, 0, 1, 100, 5, MIN_WATERMARK);
    j.add('a', { id: 'R1' }, 1, 2, 50, 7, MIN_WATERMARK);
    j.add('a', { id: 'R2' }, 1, 3, 200, 1, MIN_WATERMARK);
    const c = collector();
    expect(j.advance(8, c.emit)).toBe(0);
    expect(j.advance(9, c.emit)).toBe(1);
    expect(c.out.sort((x, y) => String(x.value).localeCompare(String(y.value)))).toEqual([
      { value: 'L+R1@0', eventTime: 9, emitTime: 100, ingestTime: 7 },
      { value: 'L+R2@0', eventTime: 9, emitTime: 200, ingestTime: 5 },
    ]);
  });

  it('joins within each sliding window separately', () => {
    const j = new WindowJoin(sliding(10, 5), pair);
    j.add('a', { id: 'L' }, 0, 7, 7, 7, MIN_WATERMARK); // [0,10), [5,15)
    j.add('a', { id: 'R' }, 1, 12, 12, 12, MIN_WATERMARK); // [5,15), [10,20)
    const c = collector();
    j.advance(Number.POSITIVE_INFINITY, c.emit);
    expect(c.out.map((o) => o.value)).toEqual(['L+R@5']);
  });

  it('joins over a merged session window', () => {
    const j = new WindowJoin(session(10), pair);
    j.add('a', { id: 'L1' }, 0, 0, 0, 0, MIN_WATERMARK);
    j.add('a', { id: 'R1' }, 1, 20, 20, 20, MIN_WATERMARK);
    const c = collector();
    expect(j.size).toBe(2);
    j.add('a', { id: 'L2' }, 0, 10, 10, 10, MIN_WATERMARK); // bridges [0,10) and [20,30)
    expect(j.size).toBe(1);
    j.advance(Number.POSITIVE_INFINITY, c.emit);
    expect(c.out.map((o) => o.value).sort()).toEqual(['L1+R1@0', 'L2+R1@0']);
    expect(c.out.every((o) => o.eventTime === 29)).toBe(true);
  });

  it('drops late records of either side', () => {
    const j = new WindowJoin(tumbling(10), pair);
    j.add('a', { id: 'L' }, 0, 1, 1, 1, MIN_WATERMARK);
    const c = collector();
    j.advance(9, c.emit);
    expect(j.add('a', { id: 'R' }, 1, 2, 2, 2, 9)).toBe(false);
    expect(j.add('a', { id: 'L' }, 0, 2, 2, 2, 9)).toBe(false);
    j.advance(Number.POSITIVE_INFINITY, c.emit);
    expect(c.out).toEqual([]);
  });
});

describe('IncrementalJoin', () => {
  it('joins each arrival with every stored record of the other side with an equal key', () => {
    const j = new IncrementalJoin((l: string, r: string) => `${l}+${r}`);
    const c = collector();
    j.add(0, 'a', 'L1', 10, 10, 10, c.emit);
    expect(c.out).toEqual([]);
    j.add(1, 'a', 'R1', 5, 5, 5, c.emit);
    expect(c.out.map((o) => o.value)).toEqual(['L1+R1']);
    j.add(0, 'a', 'L2', 7, 7, 7, c.emit);
    expect(c.out.map((o) => o.value)).toEqual(['L1+R1', 'L2+R1']);
    j.add(1, 'a', 'R2', 1, 1, 1, c.emit);
    expect(
      c.out
        .map((o) => o.value)
        .slice(2)
        .sort(),
    ).toEqual(['L1+R2', 'L2+R2']);
    j.add(1, 'b', 'R3', 1, 1, 1, c.emit);
    j.add(0, 1, 'L3', 1, 1, 1, c.emit);
    j.add(1, '1', 'R4', 1, 1, 1, c.emit); // '1' is not 1
    expect(c.out.length).toBe(4);
    j.add(0, 'b', 'L4', 1, 1, 1, c.emit);
    expect(c.out.map((o) => o.value)[4]).toBe('L4+R3');
    expect(c.out.length).toBe(5);
    expect(j.size).toBe(8);
  });

  it('keeps the left value first whichever side arrives second, and joins same-side records never', () => {
    const j = new IncrementalJoin((l: string, r: string) => [l, r]);
    const c = collector();
    j.add(1, 'k', 'r', 0, 0, 0, c.emit);
    j.add(1, 'k', 'r2', 0, 0, 0, c.emit);
    expect(c.out).toEqual([]);
    j.add(0, 'k', 'l', 0, 0, 0, c.emit);
    expect(c.out.map((o) => o.value)).toEqual([
      ['l', 'r'],
      ['l', 'r2'],
    ]);
  });

  it("emits the maxima of the two sides' times", () => {
    const j = new IncrementalJoin(() => 'x');
    const c = collector();
    j.add(0, 'k', 'l', 100, 3, 50, c.emit);
    j.add(1, 'k', 'r', 40, 9, 20, c.emit);
    expect(c.out).toEqual([{ value: 'x', eventTime: 100, emitTime: 9, ingestTime: 50 }]);
  });
});

describe('BoundedOutOfOrderness', () => {
  it('is MIN_WATERMARK before any event, then maxSeen - maxDelay - 1', () => {
    const g = new BoundedOutOfOrderness(10);
    expect(g.current).toBe(MIN_WATERMARK);
    expect(g.observe(100)).toBe(true);
    expect(g.current).toBe(89);
    expect(g.observe(95)).toBe(false);
    expect(g.current).toBe(89);
    expect(g.observe(100)).toBe(false);
    expect(g.observe(101)).toBe(true);
    expect(g.current).toBe(90);
  });

  it('with maxDelay 0 is maxSeen - 1', () => {
    const g = new BoundedOutOfOrderness(0);
    g.observe(-5);
    expect(g.current).toBe(-6);
    g.observe(0);
    expect(g.current).toBe(-1);
  });
});

describe('WatermarkValve', () => {
  it('is the minimum over channels and only advances', () => {
    const v = new WatermarkValve(3);
    expect(v.current).toBe(MIN_WATERMARK);
    expect(v.update(0, 10)).toBeUndefined();
    expect(v.update(1, 5)).toBeUndefined();
    expect(v.current).toBe(MIN_WATERMARK);
    expect(v.update(2, 7)).toBe(5);
    expect(v.current).toBe(5);
    expect(v.update(1, 3)).toBeUndefined(); // a channel never goes back
    expect(v.current).toBe(5);
    expect(v.update(1, 20)).toBe(7);
    expect(v.update(2, 8)).toBe(8);
    expect(v.update(0, 9)).toBeUndefined(); // 9 < 10: ignored
    expect(v.update(0, 10)).toBeUndefined(); // unchanged
    expect(v.current).toBe(8);
    expect(v.update(2, 30)).toBe(10);
    expect(v.update(0, Number.POSITIVE_INFINITY)).toBe(20);
  });

  it('with one channel follows it', () => {
    const v = new WatermarkValve(1);
    expect(v.update(0, -3)).toBe(-3);
    expect(v.update(0, -4)).toBeUndefined();
    expect(v.update(0, 0)).toBe(0);
    expect(v.current).toBe(0);
  });
});
