/**
 * Key groups (KeyGroupRangeAssignment): Flink's default max parallelism, contiguous ranges per subtask,
 * the partitioner and the keyed state backend agreeing on every key's subtask, and keyed state that moves
 * to another parallelism by key group.
 */
import { describe, expect, it } from 'vitest';
import { count, tumbling } from '../../../engines/api/index.js';
import {
  assignKeyToParallelOperator,
  assignToKeyGroup,
  computeDefaultMaxParallelism,
  computeKeyGroupRangeForOperatorIndex,
  computeOperatorIndexForKeyGroup,
  KeyGroupPartitionedState,
  KeyGroupStreamPartitioner,
  keyGroupCount,
} from '../../../engines/flink/index.js';
import { WindowAggregation as SharedWindowAggregation } from '../../../engines/operators/index.js';
import { hashKey } from '../../../engines/runtime/index.js';

describe('key groups', () => {
  it('default max parallelism: roundUpToPowerOfTwo(p + p/2) within [128, 32768]', () => {
    const table: [number, number][] = [
      [1, 128],
      [3, 128],
      [85, 128],
      [86, 256],
      [100, 256],
      [171, 256],
      [172, 512],
      [1000, 2048],
      [21846, 32768],
      [30000, 32768],
    ];
    expect(table.map(([p]) => [p, computeDefaultMaxParallelism(p)])).toEqual(table);
  });

  it('ranges of the subtasks are contiguous, disjoint and cover every key group', () => {
    for (const [maxP, p] of [
      [128, 1],
      [128, 3],
      [128, 7],
      [256, 100],
      [10, 10],
    ]) {
      let next = 0;
      for (let i = 0; i < p; i++) {
        const r = computeKeyGroupRangeForOperatorIndex(maxP, p, i);
        expect(r.start).toBe(next);
        expect(keyGroupCount(r)).toBeGreaterThan(0);
        for (let kg = r.start; kg <= r.end; kg++) expect(computeOperatorIndexForKeyGroup(maxP, p, kg)).toBe(i);
        next = r.end + 1;
      }
      expect(next).toBe(maxP);
    }
    expect(computeKeyGroupRangeForOperatorIndex(128, 3, 0)).toEqual({ start: 0, end: 42 });
    expect(computeKeyGroupRangeForOperatorIndex(128, 3, 1)).toEqual({ start: 43, end: 85 });
    expect(computeKeyGroupRangeForOperatorIndex(128, 3, 2)).toEqual({ start: 86, end: 127 });
  });

  it('key group = hash(key) % maxParallelism; the partitioner routes to the owner of that key group', () => {
    const keys = ['the', 'fox', 'The', '', 'ünï', 0, 1, -0, 42, 3.5, 'k1', 'k2'];
    for (const maxP of [128, 256]) {
      for (const p of [1, 2, 3, 5]) {
        const partitioner = new KeyGroupStreamPartitioner((v) => v as string | number, maxP, p);
        for (const key of keys) {
          const kg = assignToKeyGroup(key, maxP);
          expect(kg).toBe(hashKey(key) % maxP);
          const subtask = partitioner.selectChannel(key);
          expect(subtask).toBe(assignKeyToParallelOperator(key, maxP, p));
          const range = computeKeyGroupRangeForOperatorIndex(maxP, p, subtask);
          expect(kg >= range.start && kg <= range.end).toBe(true);
        }
      }
    }
  });

  it('spreads keys evenly over subtasks', () => {
    const partitioner = new KeyGroupStreamPartitioner((v) => v as string, 128, 4);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[partitioner.selectChannel(`w${i}`)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(800);
  });

  it('keyed state lives per key group, refuses keys of other subtasks, and restores at another parallelism', () => {
    const make = (p: number, i: number) =>
      new KeyGroupPartitionedState(
        computeKeyGroupRangeForOperatorIndex(128, p, i),
        128,
        () => new SharedWindowAggregation(tumbling(10), count()),
        'w',
      );
    const three = [0, 1, 2].map((i) => make(3, i));
    const keys = Array.from({ length: 60 }, (_, i) => `key${i}`);
    for (const key of keys) {
      const owner = assignKeyToParallelOperator(key, 128, 3);
      three[owner].forKey(key).add(key, key, 0, 5, 0, 0, Number.NEGATIVE_INFINITY);
      expect(() => three[(owner + 1) % 3].forKey(key)).toThrow(/is not in this subtask's range/);
    }
    const snapshots = three.map((s) => s.snapshot());
    const groups = new Set(snapshots.flatMap((s) => s.keyGroups.map(([kg]) => kg)));
    expect(groups.size).toBe(new Set(keys.map((k) => assignToKeyGroup(k, 128))).size);
    // Rescale 3 -> 2: each new subtask takes the key groups of its range from all old snapshots.
    const two = [0, 1].map((i) => make(2, i));
    for (const s of two) s.restore(snapshots);
    const entries = two.reduce((n, s) => n + s.active.reduce((m, w) => m + w.size, 0), 0);
    expect(entries).toBe(keys.length);
    const fired: unknown[] = [];
    for (const s of two) for (const w of s.active) w.advance(Number.POSITIVE_INFINITY, (v) => fired.push(v));
    expect(fired).toHaveLength(keys.length);
    for (const key of keys) expect(fired).toContainEqual({ windowStart: 0, windowEnd: 10, key, value: 1 });
  });
});
