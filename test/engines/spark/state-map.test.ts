/**
 * mapWithState's OpenHashMapBasedStateMap: a delta map per version over its parent, lookups through the
 * chain, removals as markers, old versions unchanged by new ones, and compaction when a serialization
 * (a checkpoint) finds the chain at the threshold.
 */
import { describe, expect, it } from 'vitest';
import { EmptyStateMap, OpenHashMapBasedStateMap, type StateMap, type StateMapRecord } from '../../../engines/spark/state/state-map.js';

function entries<S>(map: StateMap<S>): [string | number, S][] {
  const out: [string | number, S][] = [];
  map.forEach((k, s) => out.push([k, s]));
  return out.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

describe('OpenHashMapBasedStateMap', () => {
  it('copies in O(1): the new version holds only what changed, reads through to older ones, and leaves them unchanged', () => {
    const v0 = new EmptyStateMap<number>().copy();
    v0.put('a', 1, 10);
    v0.put('b', 2, 10);
    const v1 = v0.copy();
    expect(v1.get('a')).toBe(1);
    v1.put('a', 10, 20);
    v1.remove('b');
    v1.put('c', 3, 20);
    expect(entries(v1)).toEqual([
      ['a', 10],
      ['c', 3],
    ]);
    expect(entries(v0)).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(v1.get('b')).toBeUndefined();
    expect(v0.get('b')).toBe(2);
    expect((v1 as OpenHashMapBasedStateMap<number>).deltaSize).toBe(3);
    // Every level's entries are held: 2 in v0, 3 in v1 (the removal of b included).
    expect(v1.approxSize).toBe(5);
    expect([v0.deltaChainLength, v1.deltaChainLength, v1.copy().deltaChainLength]).toEqual([0, 1, 2]);
    // A key removed and put again in the same version is live again.
    v1.put('b', 4, 20);
    expect(v1.get('b')).toBe(4);
  });

  it('a scan visits each live key once, with its newest state, filtered level by level', () => {
    let m: StateMap<number> = new EmptyStateMap<number>().copy();
    for (let v = 0; v < 5; v++) {
      m = m.copy();
      for (let k = 0; k <= v; k++) m.put(k, v, v);
      if (v === 3) m.remove(0);
    }
    expect(entries(m)).toEqual([
      [0, 4],
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    const updateTimes: number[] = [];
    m.forEach((_k, _s, t) => updateTimes.push(t));
    expect(updateTimes).toEqual([4, 4, 4, 4, 4]);
  });

  it("serializes the delta (removals too) then the parents' live entries, and compacts the parents once the chain reaches the threshold", () => {
    let m = new EmptyStateMap<string>().copy() as OpenHashMapBasedStateMap<string>;
    m.put('x', 'x0', 0);
    m.put('y', 'y0', 0);
    const threshold = 3;
    m = new OpenHashMapBasedStateMap<string>(m, threshold);
    for (let v = 1; v <= 3; v++) {
      if (v > 1) m = m.copy() as OpenHashMapBasedStateMap<string>;
      m.put('x', `x${v}`, v);
    }
    m.remove('y');
    expect(m.deltaChainLength).toBe(3);
    const records: StateMapRecord<string>[] = [];
    m.writeRecords((r) => records.push(r));
    // The delta's entries, then every live entry of the parents (overridden ones too, as Spark writes them).
    expect(records).toEqual([
      ['x', 'x3', 3],
      ['y', null, -1, true],
      ['y', 'y0', 0],
      ['x', 'x2', 2],
    ]);
    // Compacted: one parent map with the parents' live entries (x as of version 2, y), this delta above it.
    expect(m.deltaChainLength).toBe(1);
    expect(m.approxSize).toBe(2 + 2);
    expect(entries(m)).toEqual([['x', 'x3']]);
    // Below the threshold nothing is compacted.
    const n = m.copy() as OpenHashMapBasedStateMap<string>;
    n.writeRecords(() => {});
    expect(n.deltaChainLength).toBe(2);
  });
});
