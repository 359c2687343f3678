/**
 * Object reuse (pipeline.object-reuse): off by default, so each record is copied by its serializer
 * between chained operators and a function that keeps its input never sees a later operator's change;
 * on, records are handed over by reference.
 */
import { describe, expect, it } from 'vitest';
import { DataflowBuilder } from '../../../engines/api/index.js';
import { copyRecordValue, flinkEngine } from '../../../engines/flink/index.js';
import { runBounded } from '../../support/run-bounded.js';

describe('copyRecordValue (a serializer copy)', () => {
  it('returns immutable values as they are and copies objects, arrays, maps, sets, typed arrays and dates deeply', () => {
    expect(copyRecordValue('word')).toBe('word');
    expect(copyRecordValue(3)).toBe(3);
    expect(copyRecordValue(null)).toBe(null);
    const value = {
      a: [1, { b: 'x' }],
      m: new Map([['k', { n: 1 }]]),
      s: new Set([1, 2]),
      t: new Float64Array([1.5]),
      d: new Date(5),
    };
    const copy = copyRecordValue(value) as typeof value;
    expect(copy).toEqual(value);
    expect(copy).not.toBe(value);
    expect(copy.a).not.toBe(value.a);
    expect(copy.a[1]).not.toBe(value.a[1]);
    expect(copy.m.get('k')).not.toBe(value.m.get('k'));
    expect(copy.s).not.toBe(value.s);
    expect(copy.t).not.toBe(value.t);
    expect(copy.d).not.toBe(value.d);
  });

  it('keeps the prototype of a class instance', () => {
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
      norm(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    const copy = copyRecordValue(new Point(3, 4)) as Point;
    expect(copy).toBeInstanceOf(Point);
    expect(copy.norm()).toBe(5);
  });
});

describe('records between chained operators', () => {
  /** source -> keep (remembers each output) -> mutate (changes its input) -> sink, all chained. */
  function keepThenMutate(kept: { v: number }[]) {
    const b = new DataflowBuilder('reuse');
    b.source<number>('numbers')
      .map((x) => {
        const o = { v: x };
        kept.push(o);
        return o;
      }, 'keep')
      .map((o: { v: number }) => {
        o.v = -1;
        return o;
      }, 'mutate')
      .sink('out');
    return b.build();
  }
  const input = Array.from({ length: 50 }, (_, i) => i);

  it('off (the default): each chained edge copies, so the kept objects are untouched', async () => {
    const kept: { v: number }[] = [];
    const r = await runBounded(flinkEngine, keepThenMutate(kept), input, {});
    expect(r.stats.objectReuse).toBe(false);
    expect(r.stats.chains.map((c) => c.operators.length)).toEqual([4]);
    expect(kept.map((o) => o.v)).toEqual(input);
    expect(r.sinks.out!.map((s) => s.value)).toEqual(input.map(() => ({ v: -1 })));
    // three chained edges (source -> keep -> mutate -> sink), one copy each per record
    expect(r.stats.tasks[0]!.recordsCopied).toBe(3 * input.length);
  });

  it('on: records are passed by reference, so the later change shows in the kept objects', async () => {
    const kept: { v: number }[] = [];
    const r = await runBounded(flinkEngine, keepThenMutate(kept), input, { values: { objectReuse: true } });
    expect(r.stats.objectReuse).toBe(true);
    expect(kept.map((o) => o.v)).toEqual(input.map(() => -1));
    expect(r.stats.tasks[0]!.recordsCopied).toBe(0);
  });
});
