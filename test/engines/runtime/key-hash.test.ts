import { describe, expect, it } from 'vitest';
import { hashKey, partitionOf } from '../../../engines/runtime/index.js';

describe('hashKey', () => {
  it('is deterministic, unsigned 32-bit, and tells strings from numbers', () => {
    expect(hashKey('word')).toBe(hashKey('word'));
    expect(hashKey('word')).toBeGreaterThanOrEqual(0);
    expect(hashKey('word')).toBeLessThan(2 ** 32);
    expect(hashKey('1')).not.toBe(hashKey(1));
    expect(hashKey(0)).toBe(hashKey(-0));
    expect(hashKey('ab')).not.toBe(hashKey('ba'));
    expect(hashKey('')).not.toBe(hashKey(' '));
  });

  it('spreads sequential ids and words evenly over partitions', () => {
    for (const keys of [Array.from({ length: 30_000 }, (_, i) => i), Array.from({ length: 30_000 }, (_, i) => `w${i}`)]) {
      const counts = new Array(7).fill(0);
      for (const k of keys) counts[partitionOf(k, 7)]++;
      for (const c of counts) expect(Math.abs(c - keys.length / 7)).toBeLessThan((keys.length / 7) * 0.05);
    }
  });
});
