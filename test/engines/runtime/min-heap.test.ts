import { describe, expect, it } from 'vitest';
import { uniform as prng } from '../../support/prng.js';
import { MinHeap } from '../../../engines/runtime/min-heap.js';

describe('MinHeap', () => {
  it('is empty at first', () => {
    const h = new MinHeap<string>();
    expect(h.size).toBe(0);
    expect(h.peekKey()).toBe(Infinity);
    expect(h.peek()).toBeUndefined();
    expect(h.pop()).toBeUndefined();
  });

  it('pops in key order', () => {
    const h = new MinHeap<string>();
    h.push(5, 'e');
    h.push(1, 'a');
    h.push(3, 'c');
    h.push(-2, 'neg');
    h.push(2.5, 'frac');
    expect(h.size).toBe(5);
    expect(h.peekKey()).toBe(-2);
    expect(h.peek()).toBe('neg');
    expect([h.pop(), h.pop(), h.pop(), h.pop(), h.pop()]).toEqual(['neg', 'a', 'frac', 'c', 'e']);
    expect(h.size).toBe(0);
  });

  it('pops equal keys in insertion order (stable)', () => {
    const h = new MinHeap<number>();
    const keys = [3, 1, 3, 2, 1, 3, 1, 2];
    keys.forEach((k, i) => h.push(k, i));
    const out: number[] = [];
    while (h.size) out.push(h.pop() as number);
    // Sorting by key with a stable sort gives the expected order.
    const expected = keys
      .map((k, i) => ({ k, i }))
      .sort((a, b) => a.k - b.k)
      .map((e) => e.i);
    expect(out).toEqual(expected);
  });

  it('matches a stable sort under random interleaved pushes and pops', () => {
    const rnd = prng(42);
    const h = new MinHeap<number>();
    const model: { k: number; i: number }[] = [];
    let id = 0;
    for (let step = 0; step < 5000; step++) {
      if (rnd() < 0.6 || model.length === 0) {
        const k = Math.floor(rnd() * 50); // many ties
        h.push(k, id);
        model.push({ k, i: id++ });
      } else {
        let best = 0;
        for (let j = 1; j < model.length; j++) {
          if (model[j].k < model[best].k || (model[j].k === model[best].k && model[j].i < model[best].i)) best = j;
        }
        expect(h.peekKey()).toBe(model[best].k);
        expect(h.pop()).toBe(model[best].i);
        model.splice(best, 1);
      }
      expect(h.size).toBe(model.length);
    }
  });

  it('accepts Infinity keys and rejects NaN', () => {
    const h = new MinHeap<string>();
    h.push(Infinity, 'never');
    h.push(1, 'one');
    expect(h.pop()).toBe('one');
    expect(h.peekKey()).toBe(Infinity);
    expect(h.pop()).toBe('never');
    expect(() => h.push(NaN, 'x')).toThrow(RangeError);
  });

  it('clear removes everything', () => {
    const h = new MinHeap<string>();
    h.push(1, 'a');
    h.push(2, 'b');
    h.clear();
    expect(h.size).toBe(0);
    expect(h.pop()).toBeUndefined();
    h.push(3, 'c');
    expect(h.pop()).toBe('c');
  });

  it('removeWhere removes matching items and keeps order and stability', () => {
    const h = new MinHeap<{ id: number; dead: boolean }>();
    const items = Array.from({ length: 40 }, (_, id) => ({ id, dead: id % 3 === 0 }));
    for (const it of items) h.push(it.id % 5, it);
    expect(h.removeWhere((x) => x.dead)).toBe(14);
    expect(h.size).toBe(26);
    const out: number[] = [];
    while (h.size) out.push((h.pop() as { id: number }).id);
    const expected = items
      .filter((x) => !x.dead)
      .sort((a, b) => (a.id % 5) - (b.id % 5) || a.id - b.id)
      .map((x) => x.id);
    expect(out).toEqual(expected);
  });
});
