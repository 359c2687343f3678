import { describe, expect, it } from 'vitest';
import { count, sliding, session, tumbling, type WindowResult } from '../../../engines/api/index.js';
import { BoundedOutOfOrderness, IncrementalJoin, WindowAggregation, type Emit } from '../../../engines/operators/index.js';

function collector(): { emit: Emit; out: string[] } {
  const out: string[] = [];
  return { out, emit: (v) => out.push(JSON.stringify(v as WindowResult)) };
}

describe('snapshots of shared operator state', () => {
  for (const spec of [tumbling(10), sliding(10, 5), session(10)]) {
    it(`restores ${spec.kind} windows to fire exactly what the original fires`, () => {
      const a = new WindowAggregation(spec, count());
      for (const [k, t] of [
        ['x', 1],
        ['y', 3],
        ['x', 12],
        ['x', 14],
        ['y', 30],
      ] as const)
        a.add(k, null, 0, t, t, t, -Infinity);
      const snap = a.snapshot();
      const b = new WindowAggregation(spec, count());
      b.restore(snap);
      a.add('x', null, 0, 15, 15, 15, -Infinity); // after the snapshot: must not leak into it
      const c = new WindowAggregation(spec, count());
      c.restore(snap);
      const fromB = collector();
      const fromC = collector();
      b.advance(Infinity, fromB.emit);
      c.advance(Infinity, fromC.emit);
      expect(fromB.out.length).toBeGreaterThan(0);
      expect(fromC.out).toEqual(fromB.out);
      expect(b.size).toBe(0);
      expect(JSON.parse(JSON.stringify(snap))).toEqual(snap); // plain data
    });
  }

  it('merges pre-aggregated slots into aligned windows, refusing closed ones', () => {
    const w = new WindowAggregation(tumbling(10), count());
    w.add('k', null, 0, 3, 3, 3, -Infinity);
    let partial: unknown;
    const other = new WindowAggregation(tumbling(10), count());
    other.add('k', null, 0, 4, 50, 60, -Infinity);
    other.add('k', null, 0, 5, 40, 70, -Infinity);
    other.forEachSlot((_k, _w, slot) => (partial = slot));
    expect(w.mergeSlot('k', 0, partial as never, -Infinity)).toBe(true);
    expect(w.mergeSlot('k', 0, partial as never, 9)).toBe(false);
    const { emit, out } = collector();
    const times: number[] = [];
    w.advance(9, (v, et, em, ig) => {
      emit(v, et, em, ig);
      times.push(et, em, ig);
    });
    expect(out).toEqual([JSON.stringify({ windowStart: 0, windowEnd: 10, key: 'k', value: 3 })]);
    expect(times).toEqual([9, 50, 70]);
  });

  it('restores an incremental join and a watermark generator', () => {
    const j = new IncrementalJoin((l, r) => `${l}${r}`);
    const out: unknown[] = [];
    j.add(0, 'k', 'a', 1, 1, 1, (v) => out.push(v));
    const snap = j.snapshot();
    const k = new IncrementalJoin((l, r) => `${l}${r}`);
    k.restore(snap);
    k.add(1, 'k', 'b', 2, 2, 2, (v) => out.push(v));
    expect(out).toEqual(['ab']);
    expect(k.size).toBe(2);
    const g = new BoundedOutOfOrderness(5);
    g.observe(100);
    const h = new BoundedOutOfOrderness(5);
    h.restore(g.maxSeenEventTime);
    expect(h.current).toBe(94);
  });
});
