import { describe, expect, it } from 'vitest';
import { EventLog, SEGMENT_SIZE } from '../../../bench/driver/index.js';
import { partitionExhausted } from '../../../engines/api/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';

function valuesOf(log: EventLog, p: number, offset: number, max: number): unknown[] {
  const b = log.read(p, offset, max);
  if (!b) return [];
  return Array.from({ length: b.count }, (_, i) => b.values[b.index + i]);
}

describe('EventLog', () => {
  it('keeps partitions apart and reads by offset without copying', () => {
    const log = new EventLog(2, new ManualClock(0));
    for (let k = 0; k < 10; k++) log.append(k % 2, `e${k}`, 1000 + k);
    expect(log.endOffset(0)).toBe(5);
    expect(valuesOf(log, 0, 0, 100)).toEqual(['e0', 'e2', 'e4', 'e6', 'e8']);
    expect(valuesOf(log, 1, 2, 2)).toEqual(['e5', 'e7']);
    const b = log.read(1, 4, 10)!;
    expect(b.timestamps[b.index]).toBe(1009);
    expect(log.read(0, 5, 10)).toBeUndefined();
  });

  it('counts each entry as consumed once, however often it is re-read', () => {
    const log = new EventLog(1, new ManualClock(0));
    for (let k = 0; k < 100; k++) log.append(0, k, k);
    log.read(0, 0, 60);
    log.read(0, 0, 60); // rewind: a replay does not count twice
    expect(log.consumedCount).toBe(60);
    expect(log.backlog).toBe(40);
    log.read(0, 50, 100);
    expect(log.consumedCount).toBe(100);
  });

  it('reads never cross a segment, so a batch is one contiguous array slice', () => {
    const log = new EventLog(1, new ManualClock(0));
    for (let k = 0; k < SEGMENT_SIZE + 10; k++) log.append(0, k, k);
    expect(log.read(0, SEGMENT_SIZE - 5, 100)!.count).toBe(5);
    expect(log.read(0, SEGMENT_SIZE, 100)!.count).toBe(10);
  });

  it('drops committed segments, keeps what can still be rewound to, and refuses dropped offsets', () => {
    const log = new EventLog(1, new ManualClock(0));
    const n = SEGMENT_SIZE * 5;
    for (let k = 0; k < n; k++) log.append(0, k, k);
    expect(log.retainedEntries).toBe(n);
    log.commit(0, SEGMENT_SIZE * 2 + 7);
    expect(log.startOffset(0)).toBe(SEGMENT_SIZE * 2);
    expect(log.retainedEntries).toBe(n - SEGMENT_SIZE * 2);
    expect(valuesOf(log, 0, SEGMENT_SIZE * 2, 1)).toEqual([SEGMENT_SIZE * 2]); // rewind within retention
    expect(() => log.read(0, 3, 1)).toThrow(/dropped/);
    log.commit(0, 5); // commits never go backwards
    expect(log.startOffset(0)).toBe(SEGMENT_SIZE * 2);
  });

  it('wakes readers on publish and on close, at once when data is already there', () => {
    const log = new EventLog(2, new ManualClock(0));
    const woken: string[] = [];
    log.waitForData(0, 0, () => woken.push('a'));
    log.waitForData(1, 0, () => woken.push('b'));
    log.append(0, 'x', 0);
    expect(woken).toEqual([]); // appends are published in batches
    log.publish();
    expect(woken).toEqual(['a']);
    log.waitForData(0, 0, () => woken.push('now'));
    expect(woken).toEqual(['a', 'now']);
    log.close();
    expect(woken).toEqual(['a', 'now', 'b']);
    expect(partitionExhausted(log, 1, 0)).toBe(true);
    expect(partitionExhausted(log, 0, 0)).toBe(false);
    expect(() => log.append(0, 'late', 1)).toThrow(/closed/);
  });

  it('signals once when the backlog falls to a low-water mark', () => {
    const clock = new ManualClock(0);
    const log = new EventLog(1, clock);
    for (let k = 0; k < 10; k++) log.append(0, k, k);
    let calls = 0;
    log.onBacklogAtMost(4, () => calls++);
    log.read(0, 0, 5);
    clock.runDeferred();
    expect(calls).toBe(0);
    log.read(0, 5, 1);
    clock.runDeferred();
    expect(calls).toBe(1);
    log.read(0, 6, 4);
    clock.runDeferred();
    expect(calls).toBe(1);
  });
});
