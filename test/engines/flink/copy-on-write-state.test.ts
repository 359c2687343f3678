/**
 * The keyed state backend's copy-on-write snapshots: the synchronous part only notes the key groups; a
 * group the task changes before the asynchronous part has read it is copied first, so what the
 * asynchronous part reads is exactly the state at the snapshot, however the live state changed since.
 */
import { deserialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { count, tumbling } from '../../../engines/api/index.js';
import { computeKeyGroupRangeForOperatorIndex, KeyGroupPartitionedState, type KeyedStateSnapshot } from '../../../engines/flink/index.js';
import { WindowAggregation } from '../../../engines/operators/index.js';

function makeState() {
  return new KeyGroupPartitionedState(
    computeKeyGroupRangeForOperatorIndex(128, 1, 0),
    128,
    () => new WindowAggregation(tumbling(10), count()),
    'w',
  );
}

const NO_WATERMARK = Number.NEGATIVE_INFINITY;

/** Reads one key group as a restore does. */
function readNext(snap: KeyedStateSnapshot): readonly [number, unknown] | undefined {
  const bytes = snap.next();
  return bytes === undefined ? undefined : deserialize(bytes);
}

describe('copy-on-write keyed state snapshots', () => {
  it('reads the state as of the snapshot while the task adds, fires and creates key groups', () => {
    const state = makeState();
    const keys = Array.from({ length: 40 }, (_, i) => `key${i}`);
    for (const key of keys) state.forKey(key).add(key, key, 0, 5, 0, 0, NO_WATERMARK);
    const expected = state.snapshot();

    const snap = state.snapshotCopyOnWrite();
    expect(snap.keyGroupCount).toBe(expected.keyGroups.length);
    expect(state.snapshotsInFlight).toBe(1);
    // The asynchronous part reads a few groups, then the task changes the state in three ways.
    const read = [readNext(snap)!, readNext(snap)!];
    for (const key of keys) state.forKey(key).add(key, key, 0, 6, 0, 0, NO_WATERMARK); // update every key
    state.forKey('a-new-key').add('a-new-key', 'a-new-key', 0, 7, 0, 0, NO_WATERMARK); // maybe a new group
    const fired: unknown[] = [];
    for (let i = 0; i < state.active.length; i++) state.activeForWrite(i).advance(100, (v) => fired.push(v)); // empty every group
    expect(fired.length).toBe(keys.length + 1);
    for (let e = readNext(snap); e !== undefined; e = readNext(snap)) read.push(e);

    expect(read).toEqual(expected.keyGroups);
    // Every group not yet read when the task first wrote to it was serialized on write, once.
    expect(snap.copiedOnWrite).toBe(expected.keyGroups.length - 2);
    expect(state.snapshotsInFlight).toBe(0);
    // The live state moved on: nothing is open any more.
    expect(state.active.reduce((n, g) => n + g.size, 0)).toBe(0);
  });

  it('copies nothing when no write comes before the read, and stops copying for a released snapshot', () => {
    const state = makeState();
    for (const key of ['a', 'b', 'c']) state.forKey(key).add(key, key, 0, 5, 0, 0, NO_WATERMARK);
    const untouched = state.snapshotCopyOnWrite();
    const all: unknown[] = [];
    for (let e = readNext(untouched); e !== undefined; e = readNext(untouched)) all.push(e);
    expect(all).toEqual(state.snapshot().keyGroups);
    expect(untouched.copiedOnWrite).toBe(0);

    const released = state.snapshotCopyOnWrite();
    released.release();
    expect(state.snapshotsInFlight).toBe(0);
    state.forKey('a').add('a', 'a', 0, 6, 0, 0, NO_WATERMARK);
    expect(released.copiedOnWrite).toBe(0);
    expect(released.next()).toBeUndefined();
  });

  it('an empty state gives an empty snapshot that is never in flight', () => {
    const state = makeState();
    const snap = state.snapshotCopyOnWrite();
    expect(snap.keyGroupCount).toBe(0);
    expect(state.snapshotsInFlight).toBe(0);
    expect(snap.next()).toBeUndefined();
  });
});
