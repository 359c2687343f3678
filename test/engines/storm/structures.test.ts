/** The acker's and spout's data structures, the offset manager, the tuple wire format, the latency histogram. */
import { describe, expect, it } from 'vitest';
import { deserializeRecords, RecordSerializer } from '../../../engines/runtime/index.js';
import {
  BATCH,
  DATA,
  LatencyStats,
  MessageIdGenerator,
  OffsetManager,
  RotatingMap,
  TupleIdTable,
  Tuple,
} from '../../../engines/storm/index.js';
import { TupleDecoder, writeTuple } from '../../../engines/storm/daemon/worker/tuple-serialization.js';
import { FIELD_A } from '../../../engines/storm/acker/tuple-id-table.js';
import { prng } from './support/virtual-run.js';

describe('TupleIdTable', () => {
  it('behaves as a map under random inserts and removals (backward-shift deletion keeps every key findable)', () => {
    const table = new TupleIdTable();
    const model = new Map<string, number>();
    const ids = new MessageIdGenerator(3);
    const id = new Int32Array(2);
    const keys: [number, number][] = [];
    const r = prng(5);
    for (let step = 0; step < 20000; step++) {
      if (keys.length > 0 && r.next() < 0.45) {
        const [hi, lo] = keys.splice(r.int(keys.length), 1)[0];
        const slot = table.find(hi, lo);
        expect(slot).toBeGreaterThanOrEqual(0);
        expect(table.ints[(slot << 3) + FIELD_A]).toBe(model.get(`${hi}:${lo}`));
        table.removeAt(slot);
        model.delete(`${hi}:${lo}`);
        expect(table.find(hi, lo)).toBe(-1);
      } else {
        // Colliding keys too: low halves drawn from a small set.
        ids.draw(id);
        const hi = id[0];
        const lo = r.next() < 0.3 ? r.int(4) + 1 : id[1];
        if (model.has(`${hi}:${lo}`)) continue;
        const slot = table.insert(hi, lo);
        table.ints[(slot << 3) + FIELD_A] = step;
        model.set(`${hi}:${lo}`, step);
        keys.push([hi, lo]);
      }
      expect(table.size).toBe(model.size);
    }
    for (const [hi, lo] of keys) expect(table.ints[(table.find(hi, lo) << 3) + FIELD_A]).toBe(model.get(`${hi}:${lo}`));
    table.clear();
    expect(table.size).toBe(0);
    for (const [hi, lo] of keys) expect(table.find(hi, lo)).toBe(-1);
  });

  it('never draws the id 0:0', () => {
    const g = new MessageIdGenerator(0);
    const id = new Int32Array(2);
    for (let i = 0; i < 10000; i++) {
      g.draw(id);
      expect(id[0] === 0 && id[1] === 0).toBe(false);
    }
  });
});

describe('RotatingMap', () => {
  it('expires an entry after between n-1 and n rotations', () => {
    const m = new RotatingMap(3);
    m.insert(1, 1);
    expect(m.rotate()).toBe(0);
    m.insert(2, 2);
    expect(m.find(1, 1)).toBeGreaterThanOrEqual(0);
    expect(m.rotate()).toBe(0);
    const expired: number[] = [];
    expect(m.rotate((table, slot) => expired.push(table.ints[(slot << 3) + 1]))).toBe(1);
    expect(expired).toEqual([1]);
    expect(m.find(1, 1)).toBe(-1);
    expect(m.find(2, 2)).toBeGreaterThanOrEqual(0);
    expect(m.size).toBe(1);
  });
});

describe('OffsetManager', () => {
  it('commits the longest run of acked offsets, whatever the ack order', () => {
    const m = new OffsetManager(100);
    const r = prng(8);
    const offsets = Array.from({ length: 3000 }, (_, i) => 100 + i);
    for (const o of offsets) m.emitted(o);
    const order = [...offsets];
    for (let i = order.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const acked = new Set<number>();
    for (const o of order) {
      m.ack(o);
      acked.add(o);
      let expected = 100;
      while (acked.has(expected)) expected++;
      expect(m.committed).toBe(expected);
    }
    expect(m.committed).toBe(3100);
    expect(m.uncommitted).toBe(0);
  });
});

describe('the tuple wire format', () => {
  it('round-trips tuples and batches, a batch split over two messages included', () => {
    const out = new RecordSerializer(200);
    const a = new Tuple(DATA, 7, 3, 1, { word: 'fox', n: 2 }, 10.5, 11.25, 12);
    a.rootHi = -5;
    a.rootLo = 9;
    a.edgeHi = 123;
    a.edgeLo = -456;
    a.moreIds = Int32Array.of(1, 2, 3, 4);
    const inner = Array.from({ length: 6 }, (_, i) => new Tuple(DATA, 8, 3, 0, `w${i}`, i, i, i));
    const batch = new Tuple(BATCH, 8, 3, 0, inner, 0, 0, 0);
    const got: Tuple[] = [];
    const decoder = new TupleDecoder((t) => got.push(t));
    const messages: Uint8Array[] = [];
    for (const t of [a, batch]) {
      let from = writeTuple(out, t);
      while (from >= 0) {
        messages.push(out.finish());
        from = writeTuple(out, t, from);
      }
    }
    messages.push(out.finish());
    expect(messages.length).toBeGreaterThan(2);
    for (const m of messages) deserializeRecords(m, decoder.visit);
    expect(got.length).toBe(2);
    expect(got[0]).toEqual(a);
    expect(got[1].kind).toBe(BATCH);
    expect(got[1].destTask).toBe(8);
    expect(got[1].value).toEqual(inner);
  });
});

describe('LatencyStats', () => {
  it('reports count, mean and quantiles within the bucket error (1/256 relative)', () => {
    const s = new LatencyStats();
    expect(s.summary()).toBeNull();
    for (let i = 1; i <= 1000; i++) s.record(i);
    const sum = s.summary()!;
    expect(sum.count).toBe(1000);
    expect(sum.mean).toBeCloseTo(500.5, 3);
    expect(Math.abs(sum.p50 - 500) / 500).toBeLessThan(1 / 256);
    expect(Math.abs(sum.p99 - 990) / 990).toBeLessThan(1 / 256);
    const t = new LatencyStats();
    t.record(0.002);
    t.merge(s);
    expect(t.count).toBe(1001);
  });
});
