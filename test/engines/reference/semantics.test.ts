/**
 * The reference engine end to end: small dataflows over bounded inputs, with exact outputs and exact late
 * counts, case by case against DESIGN.md ("Semantics that every engine must agree on"). The reference is
 * the oracle the other engines are compared with, so every rule is pinned here with hand-computed results.
 */
import { describe, expect, it } from 'vitest';
import {
  count,
  DataflowBuilder,
  session,
  sliding,
  sumOf,
  tumbling,
  type Dataflow,
  type WindowResult,
  type WindowSpec,
} from '../../../engines/api/index.js';
import { referenceEngine, type ReferenceEngineStats } from '../../../engines/reference/index.js';
import { runBounded, sortedValues, type BoundedRun, type SinkRecord } from '../../support/run-bounded.js';

interface Ev {
  t: number;
  k: string;
}

const ev = (t: number, k = 'k'): Ev => ({ t, k });

/** Canonical JSON of a window result, as `sortedValues` writes it (keys sorted). */
function wr(key: string | number, windowStart: number, windowEnd: number, value: unknown): string {
  return JSON.stringify({ key, value, windowEnd, windowStart });
}

/** events -> withTimestamps(t, maxDelay) -> keyBy(k) -> window(spec) -> count 'count' -> sink 'out'. */
function countFlow(spec: WindowSpec, maxDelay: number | undefined): Dataflow {
  const b = new DataflowBuilder('counts');
  let s = b.source<Ev>('events');
  if (maxDelay !== undefined) s = s.withTimestamps((e) => e.t, { maxDelay }, 'timestamps');
  s.keyBy((e) => e.k)
    .window(spec)
    .aggregate(count<Ev>(), 'count')
    .sink('out');
  return b.build();
}

async function run(
  flow: Dataflow,
  events: readonly unknown[],
  opts: { timestamps?: number[]; parallelism?: number } = {},
): Promise<BoundedRun<ReferenceEngineStats>> {
  return runBounded(referenceEngine, flow, events, opts);
}

function emitTimes(records: readonly SinkRecord[]): number[] {
  return records.map((r) => r.emitTime);
}

describe('stateless operators', () => {
  it('run map / filter / flatMap chains record by record, in input order, keeping emitTime', async () => {
    const b = new DataflowBuilder('chain');
    b.source<number>('numbers')
      .map((x) => x * 2, 'double')
      .filter((x) => x % 3 !== 0, 'not-div-3')
      .flatMap((x) => (x > 10 ? [] : [x, -x]), 'pm')
      .map((x) => ({ x }), 'wrap')
      .sink('out');
    const input = [1, 2, 3, 4, 5, 6, 7];
    const r = await run(b.build(), input, { timestamps: [100, 200, 300, 400, 500, 600, 700] });
    // doubled: 2, 4, 6 (filtered), 8, 10, 12 (filtered), 14 (flatMapped to nothing)
    expect(r.sinks.out.map((s) => s.value)).toEqual([{ x: 2 }, { x: -2 }, { x: 4 }, { x: -4 }, { x: 8 }, { x: -8 }, { x: 10 }, { x: -10 }]);
    expect(emitTimes(r.sinks.out)).toEqual([100, 100, 200, 200, 400, 400, 500, 500]);
    for (const s of r.sinks.out) expect(Number.isFinite(s.ingestTime)).toBe(true);
    expect(r.late.total).toBe(0);
    expect(r.stats.recordsIn).toBe(7);
  });

  it('fan out: one source, two filtered branches and a direct branch into three sinks', async () => {
    const b = new DataflowBuilder('fanout');
    const src = b.source<number>('numbers');
    src
      .filter((x) => x % 2 === 0, 'even')
      .map((x) => x * 10, 'times10')
      .sink('evens');
    src.filter((x) => x % 2 !== 0, 'odd').sink('odds');
    src.sink('all');
    const input = [5, 2, 8, 3, 3, 0];
    const r = await run(b.build(), input);
    expect(r.sinks.evens.map((s) => s.value)).toEqual([20, 80, 0]);
    expect(r.sinks.odds.map((s) => s.value)).toEqual([5, 3, 3]);
    expect(r.sinks.all.map((s) => s.value)).toEqual(input);
    // Default log timestamps are the event indexes.
    expect(emitTimes(r.sinks.evens)).toEqual([1, 2, 5]);
    expect(emitTimes(r.sinks.odds)).toEqual([0, 3, 4]);
  });

  it('handle an empty input', async () => {
    const r = await run(countFlow(tumbling(10), 0), []);
    expect(r.sinks.out).toEqual([]);
    expect(r.late.total).toBe(0);
  });
});

describe('tumbling windows end to end', () => {
  it('count out-of-order events inside the maxDelay bound exactly, none late', async () => {
    // maxDelay 5: every event is >= maxSeen - 5.
    const events = [
      ev(1, 'a'),
      ev(4, 'b'),
      ev(0, 'a'),
      ev(9, 'a'),
      ev(6, 'b'),
      ev(11, 'a'),
      ev(7, 'a'),
      ev(10, 'b'),
      ev(14, 'b'),
      ev(9, 'b'),
      ev(19, 'a'),
      ev(15, 'a'),
      ev(20, 'a'),
      ev(29, 'b'),
      ev(24, 'b'),
    ];
    const r = await run(countFlow(tumbling(10), 5), events);
    expect(r.late.total).toBe(0);
    expect(r.late.byOperator).toEqual({});
    expect(sortedValues(r.sinks.out)).toEqual(
      [wr('a', 0, 10, 4), wr('b', 0, 10, 3), wr('a', 10, 20, 3), wr('b', 10, 20, 2), wr('a', 20, 30, 1), wr('b', 20, 30, 2)].sort(),
    );
  });

  it('drop events beyond the bound and count them in late.total and per operator', async () => {
    // maxDelay 2. After t=12 the watermark is 9: [0,10) fires.
    const events = [ev(1), ev(12), ev(3), ev(8), ev(10), ev(9), ev(25), ev(19), ev(22), ev(5), ev(21)];
    const r = await run(countFlow(tumbling(10), 2), events);
    // Late: 3, 8, 9 (window [0,10) fired at watermark 9), 19 (watermark 22 after 25: [10,20) fired), 5.
    expect(r.late.total).toBe(5);
    expect(r.late.byOperator).toEqual({ count: 5 });
    expect(r.stats.lateRecordsDropped).toBe(5);
    expect(sortedValues(r.sinks.out)).toEqual([wr('k', 0, 10, 1), wr('k', 10, 20, 2), wr('k', 20, 30, 3)].sort());
  });

  it('count late records per operator name: late for a short window, not for a long one', async () => {
    const b = new DataflowBuilder('two-windows');
    const ts = b.source<Ev>('events').withTimestamps((e) => e.t, { maxDelay: 0 }, 'timestamps');
    ts.keyBy((e) => e.k)
      .window(tumbling(10))
      .aggregate(count<Ev>(), 'short')
      .sink('shortOut');
    ts.keyBy((e) => e.k)
      .window(tumbling(100))
      .aggregate(count<Ev>(), 'long')
      .sink('longOut');
    const r = await run(b.build(), [ev(5), ev(20), ev(5), ev(3), ev(150), ev(99)]);
    expect(r.late.byOperator).toEqual({ short: 3, long: 1 });
    expect(r.late.total).toBe(4);
    expect(sortedValues(r.sinks.shortOut)).toEqual([wr('k', 0, 10, 1), wr('k', 20, 30, 1), wr('k', 150, 160, 1)].sort());
    expect(sortedValues(r.sinks.longOut)).toEqual([wr('k', 0, 100, 4), wr('k', 100, 200, 1)].sort());
  });

  it('watermark = maxSeen - maxDelay - 1 after each record: with maxDelay 0, t = end fires [.., end) before a later t = end - 1', async () => {
    const r = await run(countFlow(tumbling(10), 0), [ev(9), ev(10), ev(9)]);
    expect(sortedValues(r.sinks.out)).toEqual([wr('k', 0, 10, 1), wr('k', 10, 20, 1)]);
    expect(r.late.total).toBe(1);
  });

  it('does not fire at end - 2: with maxDelay 0, t = end - 1 leaves the window open for another t = end - 2', async () => {
    const r = await run(countFlow(tumbling(10), 0), [ev(8), ev(9), ev(8), ev(9)]);
    expect(sortedValues(r.sinks.out)).toEqual([wr('k', 0, 10, 4)]);
    expect(r.late.total).toBe(0);
  });

  it('watermark rule with maxDelay 3: the window fires once maxSeen reaches end + 3', async () => {
    const r = await run(countFlow(tumbling(10), 3), [ev(9), ev(12), ev(9), ev(13), ev(9), ev(6)]);
    expect(sortedValues(r.sinks.out)).toEqual([wr('k', 0, 10, 2), wr('k', 10, 20, 2)].sort());
    expect(r.late.total).toBe(2);
  });

  it('a record does not advance the watermark before it is itself windowed', async () => {
    // maxDelay 0: t = 20 alone would close [10,20) at watermark 19, but it is added at watermark -inf.
    const r = await run(countFlow(tumbling(10), 0), [ev(20), ev(19)]);
    expect(sortedValues(r.sinks.out)).toEqual([wr('k', 20, 30, 1)]);
    expect(r.late.total).toBe(1);
    const r2 = await run(countFlow(tumbling(10), 0), [ev(19), ev(20)]);
    expect(sortedValues(r2.sinks.out)).toEqual([wr('k', 10, 20, 1), wr('k', 20, 30, 1)].sort());
    expect(r2.late.total).toBe(0);
  });

  it('fires windows at the watermark, before the end of input (results reach the sink in order of window end)', async () => {
    const r = await run(countFlow(tumbling(10), 0), [ev(1), ev(11), ev(21), ev(31)]);
    expect(r.sinks.out.map((s) => (s.value as WindowResult).windowStart)).toEqual([0, 10, 20, 30]);
  });

  it('fires every open window at the end of input', async () => {
    // maxDelay 2000: the watermark stays below -1000, nothing fires before the end.
    const events = [ev(5, 'a'), ev(15, 'b'), ev(995, 'a'), ev(-3, 'b'), ev(17, 'b'), ev(1000, 'c')];
    const r = await run(countFlow(tumbling(10), 2000), events);
    expect(sortedValues(r.sinks.out)).toEqual(
      [wr('a', 0, 10, 1), wr('b', 10, 20, 2), wr('a', 990, 1000, 1), wr('b', -10, 0, 1), wr('c', 1000, 1010, 1)].sort(),
    );
    expect(r.late.total).toBe(0);
    expect(r.stats.windowStateEntries).toBe(0);
  });

  it("carries the max log timestamp (emitTime) of a window's inputs to its result", async () => {
    const events = [ev(1), ev(2), ev(11), ev(3)];
    const r = await run(countFlow(tumbling(10), 100), events, { timestamps: [1000, 5000, 2000, 3000] });
    const byStart = new Map(r.sinks.out.map((s) => [(s.value as WindowResult).windowStart, s.emitTime]));
    expect(byStart).toEqual(
      new Map([
        [0, 5000],
        [10, 2000],
      ]),
    );
  });

  it('without a timestamps node upstream uses log timestamps as event time and fires only at the end of input', async () => {
    const events = [ev(0, 'a'), ev(0, 'a'), ev(0, 'b'), ev(0, 'a'), ev(0, 'a')];
    // Log timestamps far out of order: nothing is late, the watermark stays at -Infinity until the end.
    const r = await run(countFlow(tumbling(10), undefined), events, { timestamps: [15, 5, 3, 100, 2] });
    expect(sortedValues(r.sinks.out)).toEqual([wr('a', 0, 10, 2), wr('a', 10, 20, 1), wr('b', 0, 10, 1), wr('a', 100, 110, 1)].sort());
    expect(r.late.total).toBe(0);
    // Default log timestamps: the event index.
    const r2 = await run(countFlow(tumbling(2), undefined), events);
    expect(sortedValues(r2.sinks.out)).toEqual([wr('a', 0, 2, 2), wr('b', 2, 4, 1), wr('a', 2, 4, 1), wr('a', 4, 6, 1)].sort());
  });
});

describe('sliding windows end to end', () => {
  it('keep a record late for some windows in the open ones and count it late only when all have fired', async () => {
    const events = [ev(1), ev(6), ev(10), ev(8), ev(3)];
    const r = await run(countFlow(sliding(10, 5), 0), events);
    expect(sortedValues(r.sinks.out)).toEqual([wr('k', -5, 5, 1), wr('k', 0, 10, 2), wr('k', 5, 15, 3), wr('k', 10, 20, 1)].sort());
    expect(r.late.total).toBe(1);
  });

  it('slide > size: records in the gaps belong to no window and are not late', async () => {
    const events = [ev(0), ev(2), ev(100), ev(3), ev(4), ev(1), ev(104)];
    const r = await run(countFlow(sliding(3, 5), 0), events);
    expect(sortedValues(r.sinks.out)).toEqual([wr('k', 0, 3, 2), wr('k', 100, 103, 1)].sort());
    // t = 1 is late ([0,3) fired); t = 3, 4 and 104 are in gaps.
    expect(r.late.total).toBe(1);
  });
});

describe('session windows end to end', () => {
  it('merge, bridge, accept late records touching open sessions, drop the others', async () => {
    const events = [
      ev(0, 'a'), // a [0,10); watermark -6
      ev(10, 'a'), // touches: a [0,20); watermark 4
      ev(3, 'b'), // b [3,13)
      ev(30, 'a'), // a [30,40); watermark 24: fires a [0,20) and b [3,13)
      ev(2, 'b'), // [2,12) closed, no open b session: late
      ev(16, 'a'), // [16,26) is open at 24: a new session (the fired [0,20) is not reopened)
      ev(21, 'a'), // [21,31) bridges [16,26) and [30,40): a [16,40)
      ev(40, 'b'), // b [40,50); watermark 34
      ev(20, 'a'), // [20,30) closed on its own, but touches the open a [16,40): accepted
    ];
    const r = await run(countFlow(session(10), 5), events);
    expect(sortedValues(r.sinks.out)).toEqual([wr('a', 0, 20, 2), wr('b', 3, 13, 1), wr('a', 16, 40, 4), wr('b', 40, 50, 1)].sort());
    expect(r.late.total).toBe(1);
    expect(r.late.byOperator).toEqual({ count: 1 });
  });

  it('records exactly gap apart are one session; gap + 1 apart are two', async () => {
    const events = [ev(0, 'a'), ev(10, 'a'), ev(20, 'a'), ev(0, 'b'), ev(11, 'b')];
    const r = await run(countFlow(session(10), 100), events);
    expect(sortedValues(r.sinks.out)).toEqual([wr('a', 0, 30, 3), wr('b', 0, 10, 1), wr('b', 11, 21, 1)].sort());
  });

  it('a fired session is not reopened by a record exactly gap later that is still within the bound', async () => {
    // maxDelay 5: b@15 moves the watermark to 9 and fires a [0,10); a@10 >= 15 - 5 is not late but starts a new session.
    const events = [ev(0, 'a'), ev(15, 'b'), ev(10, 'a')];
    const r = await run(countFlow(session(10), 5), events);
    expect(sortedValues(r.sinks.out)).toEqual([wr('a', 0, 10, 1), wr('a', 10, 20, 1), wr('b', 15, 25, 1)].sort());
    expect(r.late.total).toBe(0);
  });
});

interface Side {
  side: 'L' | 'R';
  k: string;
  id: string;
  t: number;
}
const L = (k: string, id: string, t = 0): Side => ({ side: 'L', k, id, t });
const R = (k: string, id: string, t = 0): Side => ({ side: 'R', k, id, t });

describe('joins end to end', () => {
  it('incremental join of two branches of one source: each arrival joins every stored opposite record', async () => {
    const b = new DataflowBuilder('ijoin');
    const src = b.source<Side>('events');
    const left = src.filter((e) => e.side === 'L', 'left').keyBy((e) => e.k);
    const right = src.filter((e) => e.side === 'R', 'right').keyBy((e) => e.k);
    left.join(right, (l, r) => `${l.id}+${r.id}`, 'join').sink('out');
    const events = [L('a', 'l1'), R('a', 'r1'), R('a', 'r2'), L('b', 'l2'), L('a', 'l3'), R('b', 'r3'), R('c', 'r4'), L('a', 'l4')];
    const r = await run(b.build(), events, { timestamps: [10, 20, 30, 40, 5, 60, 70, 1] });
    expect(r.sinks.out.map((s) => s.value)).toEqual(['l1+r1', 'l1+r2', 'l3+r1', 'l3+r2', 'l2+r3', 'l4+r1', 'l4+r2']);
    expect(emitTimes(r.sinks.out)).toEqual([20, 30, 20, 30, 60, 20, 30]);
    expect(r.stats.joinStateRecords).toBe(8);
    expect(r.late.total).toBe(0);
  });

  it('window join of two branches of one source: pairs with equal key in the same window, late records dropped', async () => {
    const b = new DataflowBuilder('wjoin');
    const ts = b.source<Side>('events').withTimestamps((e) => e.t, { maxDelay: 0 }, 'timestamps');
    const left = ts.filter((e) => e.side === 'L', 'left').keyBy((e) => e.k);
    const right = ts.filter((e) => e.side === 'R', 'right').keyBy((e) => e.k);
    left.windowJoin(right, tumbling(10), (l, r, w) => `${l.id}+${r.id}@${w.start}`, 'join').sink('out');
    const events = [
      L('a', 'l1', 1),
      R('a', 'r1', 2),
      R('b', 'r2', 3),
      L('b', 'l2', 4),
      L('a', 'l3', 9),
      R('a', 'r3', 10), // watermark 9: [0,10) fires
      L('a', 'l4', 12),
      R('a', 'r4', 5) /* late */,
      R('a', 'r5', 19),
      L('c', 'l5', 15),
    ];
    const r = await run(b.build(), events, { timestamps: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    expect(sortedValues(r.sinks.out)).toEqual(
      ['l1+r1@0', 'l3+r1@0', 'l2+r2@0', 'l4+r3@10', 'l4+r5@10'].map((s) => JSON.stringify(s)).sort(),
    );
    expect(r.late.byOperator).toEqual({ join: 1 });
    const emitOf = new Map(r.sinks.out.map((s) => [s.value, s.emitTime]));
    expect(emitOf).toEqual(
      new Map([
        ['l1+r1@0', 2],
        ['l3+r1@0', 5],
        ['l2+r2@0', 4],
        ['l4+r3@10', 7],
        ['l4+r5@10', 9],
      ]),
    );
  });

  it('window join whose sides have their own timestamps nodes uses the minimum of their watermarks', async () => {
    const b = new DataflowBuilder('wjoin2');
    const src = b.source<Side>('events');
    const left = src
      .filter((e) => e.side === 'L', 'left')
      .withTimestamps((e) => e.t, { maxDelay: 0 }, 'tsL')
      .keyBy((e) => e.k);
    const right = src
      .filter((e) => e.side === 'R', 'right')
      .withTimestamps((e) => e.t, { maxDelay: 0 }, 'tsR')
      .keyBy((e) => e.k);
    left.windowJoin(right, tumbling(10), (l, r) => `${l.id}+${r.id}`, 'join').sink('out');
    const events = [
      L('a', 'l1', 1),
      L('a', 'l2', 50), // left watermark 49, right -inf: nothing fires
      R('a', 'r1', 2), // accepted: min watermark is 1
      R('a', 'r2', 30), // min watermark 29: [0,10) fires
      L('a', 'l3', 3), // late
      R('a', 'r3', 55),
      L('a', 'l4', 51),
    ];
    const r = await run(b.build(), events);
    expect(sortedValues(r.sinks.out)).toEqual(['l1+r1', 'l2+r3', 'l4+r3'].map((s) => JSON.stringify(s)).sort());
    expect(r.late.total).toBe(1);
  });

  it('self-join of one keyed stream joins every record with every record of the same key (both inputs from one node)', async () => {
    // Both inputs of the join are the same node: each record must reach the left and the right side once
    // (a lookup of the input by node id alone would send both edges to the left side and emit nothing).
    const b = new DataflowBuilder('self');
    const keyed = b.source<{ k: string; id: string }>('events').keyBy((e) => e.k);
    keyed.join(keyed, (l, r) => `${l.id}+${r.id}`, 'join').sink('out');
    const r = await run(b.build(), [
      { k: 'a', id: 'x' },
      { k: 'a', id: 'y' },
      { k: 'b', id: 'z' },
    ]);
    expect(sortedValues(r.sinks.out)).toEqual(['x+x', 'x+y', 'y+x', 'y+y', 'z+z'].map((s) => JSON.stringify(s)).sort());
  });
});

describe('windows downstream of windows', () => {
  it('results of a first window carry eventTime end - 1 and are not late at a second window', async () => {
    const b = new DataflowBuilder('two-stage');
    const perKey = b
      .source<Ev>('events')
      .withTimestamps((e) => e.t, { maxDelay: 0 }, 'timestamps')
      .keyBy((e) => e.k)
      .window(tumbling(10))
      .aggregate(count<Ev>(), 'perKey');
    perKey.sink('perKeyOut');
    perKey
      .keyBy(() => 'all')
      .window(tumbling(20))
      .aggregate(
        sumOf((r: WindowResult<string, number>) => r.value),
        'total',
      )
      .sink('totalOut');
    const events = [ev(1, 'a'), ev(2, 'b'), ev(11, 'a'), ev(25, 'a'), ev(26, 'b'), ev(45, 'a'), ev(3, 'a') /* late */];
    const r = await run(b.build(), events);
    expect(sortedValues(r.sinks.perKeyOut)).toEqual(
      [wr('a', 0, 10, 1), wr('b', 0, 10, 1), wr('a', 10, 20, 1), wr('a', 20, 30, 1), wr('b', 20, 30, 1), wr('a', 40, 50, 1)].sort(),
    );
    expect(sortedValues(r.sinks.totalOut)).toEqual([wr('all', 0, 20, 3), wr('all', 20, 40, 2), wr('all', 40, 60, 1)].sort());
    expect(r.late.byOperator).toEqual({ perKey: 1 });
  });

  it('a second window of the same size fires in the same watermark step as the first', async () => {
    const b = new DataflowBuilder('same-size');
    b.source<Ev>('events')
      .withTimestamps((e) => e.t, { maxDelay: 0 }, 'timestamps')
      .keyBy((e) => e.k)
      .window(tumbling(10))
      .aggregate(count<Ev>(), 'first')
      .keyBy(() => 'all')
      .window(tumbling(10))
      .aggregate(count<WindowResult>(), 'second')
      .sink('out');
    // [0,10) fires at t = 10 for both stages; [10,20) only at the end.
    const r = await run(b.build(), [ev(1, 'a'), ev(2, 'b'), ev(3, 'c'), ev(10, 'a'), ev(12, 'a')]);
    expect(r.sinks.out.map((s) => s.value)).toEqual([
      { windowStart: 0, windowEnd: 10, key: 'all', value: 3 },
      { windowStart: 10, windowEnd: 20, key: 'all', value: 1 },
    ]);
    expect(r.late.total).toBe(0);
  });
});

describe('parallelism', () => {
  const lateEvents = [
    ev(1),
    ev(12),
    ev(3),
    ev(8),
    ev(10),
    ev(9),
    ev(25),
    ev(19),
    ev(22),
    ev(5),
    ev(21),
    ev(2, 'b'),
    ev(40, 'b'),
    ev(36, 'b'),
    ev(45, 'b'),
    ev(35, 'b'),
    ev(37, 'a'),
    ev(43, 'a'),
  ];

  it('3 gives the same results as 1, including which records are late (partitions read in generation order)', async () => {
    const flow = countFlow(tumbling(10), 2);
    const one = await run(flow, lateEvents, { parallelism: 1 });
    const three = await run(flow, lateEvents, { parallelism: 3 });
    const expected = [
      wr('k', 0, 10, 1),
      wr('k', 10, 20, 2),
      wr('k', 20, 30, 3),
      wr('b', 30, 40, 1),
      wr('b', 40, 50, 2),
      wr('a', 40, 50, 1),
    ].sort();
    // Late: 3, 8, 9, 19, 5 (as above), b@2, then b@35 and a@37 ([30,40) fired at watermark 42 after t=45);
    // b@36 came at watermark 37, in time for [30,40).
    expect(sortedValues(one.sinks.out)).toEqual(expected);
    expect(sortedValues(three.sinks.out)).toEqual(expected);
    expect(one.late.total).toBe(8);
    expect(three.late.total).toBe(8);
    expect(three.late.byOperator).toEqual({ count: 8 });
    expect(three.stats.recordsIn).toBe(lateEvents.length);
  });

  it('3 keeps the generation order of stateless outputs and the emitTimes', async () => {
    const b = new DataflowBuilder('chain3');
    b.source<number>('numbers')
      .map((x) => x + 1, 'inc')
      .sink('out');
    const input = Array.from({ length: 11 }, (_, i) => i * 7);
    const r = await run(b.build(), input, { parallelism: 3, timestamps: input.map((_, i) => 1000 + i) });
    expect(r.sinks.out.map((s) => s.value)).toEqual(input.map((x) => x + 1));
    expect(emitTimes(r.sinks.out)).toEqual(input.map((_, i) => 1000 + i));
  });
});
