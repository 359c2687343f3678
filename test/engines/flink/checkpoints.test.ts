/**
 * The checkpoint coordinator and what checkpoints do to a job: periodic triggers at the sources, one
 * checkpoint at a time, completion when every task has acknowledged (finished tasks count), failure on
 * decline or timeout; source offsets committed to the log only when a checkpoint completes; completed
 * checkpoints hold each operator's state and are restorable.
 */
import { describe, expect, it } from 'vitest';
import { count, DataflowBuilder, tumbling } from '../../../engines/api/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { CheckpointCoordinator, operatorStatesOf, type TaskGateway } from '../../../engines/flink/index.js';
import { referenceEngine } from '../../../engines/reference/index.js';
import { runBounded, sortedValues } from '../../support/run-bounded.js';
import { events, runStepped, type Ev } from './support.js';

class FakeTask implements TaskGateway {
  finished = false;
  readonly triggered: number[] = [];
  readonly completed: number[] = [];
  readonly aborted: number[] = [];
  constructor(
    readonly name: string,
    readonly isSource: boolean,
  ) {}
  triggerCheckpoint(id: number): void {
    this.triggered.push(id);
  }
  notifyCheckpointComplete(id: number): void {
    this.completed.push(id);
  }
  notifyCheckpointAborted(id: number): void {
    this.aborted.push(id);
  }
}

const handle = (taskName: string, sizeBytes = 10) => ({
  taskName,
  vertexId: 0,
  subtaskIndex: 0,
  operators: [],
  sizeBytes,
  finished: false,
});
const metrics = (alignmentMs = 0, syncDurationMs = 0, asyncDurationMs = 0) => ({ alignmentMs, syncDurationMs, asyncDurationMs });

describe('CheckpointCoordinator', () => {
  function setup(interval = 100, timeout = 1000) {
    const clock = new ManualClock(0);
    const c = new CheckpointCoordinator(clock, interval, timeout, 'exactly_once');
    const src = new FakeTask('src', true);
    const win = new FakeTask('win', false);
    c.setTasks([src, win]);
    c.startCheckpointScheduler();
    return { clock, c, src, win };
  }

  it('triggers at the sources every interval; completes when every task acknowledged; notifies the tasks', () => {
    const { clock, c, src, win } = setup();
    clock.advance(99);
    expect(src.triggered).toEqual([]);
    clock.advance(1);
    expect(src.triggered).toEqual([1]);
    expect(win.triggered).toEqual([]);
    clock.advance(7);
    c.acknowledgeCheckpoint(1, handle('src', 5), metrics(0, 2, 3));
    expect(c.pendingCheckpointId).toBe(1);
    clock.advance(3);
    c.acknowledgeCheckpoint(1, handle('win', 20), metrics(4, 1.5, 6));
    expect(c.pendingCheckpointId).toBeUndefined();
    expect(c.history).toEqual([
      { id: 1, durationMs: 10, alignmentMs: 4, syncDurationMs: 2, asyncDurationMs: 6, sizeBytes: 25, status: 'completed' },
    ]);
    expect(src.completed).toEqual([1]);
    expect(win.completed).toEqual([1]);
    expect(c.latestCompleted?.taskStates.size).toBe(2);
  });

  it('one at a time: a tick while one is pending is skipped', () => {
    const { clock, c, src } = setup();
    clock.advance(250);
    expect(src.triggered).toEqual([1]);
    expect(c.skippedTicks).toBe(1);
  });

  it('fails on decline and on timeout; late acknowledgements are ignored; the next one still works', () => {
    const { clock, c, src } = setup(100, 50);
    clock.advance(100);
    c.declineCheckpoint('win', 1, 'no');
    clock.advance(100);
    expect(src.triggered).toEqual([1, 2]);
    clock.advance(60); // 2 expires after 50 ms
    c.acknowledgeCheckpoint(2, handle('src'), metrics());
    c.acknowledgeCheckpoint(2, handle('win'), metrics());
    clock.advance(40);
    c.acknowledgeCheckpoint(3, handle('src'), metrics());
    c.acknowledgeCheckpoint(3, handle('win'), metrics());
    expect(c.history.map((h) => [h.id, h.status, h.failureReason ?? ''])).toEqual([
      [1, 'failed', 'declined by win: no'],
      [2, 'failed', 'expired after 50 ms'],
      [3, 'completed', ''],
    ]);
    expect(c.failedCount).toBe(2);
    // The tasks are told of each failure (their asynchronous parts stop).
    expect(src.aborted).toEqual([1, 2]);
  });

  it('a finished task counts as acknowledged with no state; no checkpoint once every source has ended', () => {
    const { clock, c, src, win } = setup();
    clock.advance(100);
    c.acknowledgeCheckpoint(1, handle('src'), metrics());
    c.reportTaskFinished('win', 0, 0);
    expect(c.history.map((h) => h.status)).toEqual(['completed']);
    win.finished = true;
    clock.advance(100);
    expect(src.triggered).toEqual([1, 2]);
    c.acknowledgeCheckpoint(2, handle('src'), metrics());
    expect(c.completedCount).toBe(2);
    src.finished = true;
    clock.advance(500);
    expect(src.triggered).toEqual([1, 2]);
    c.stop();
  });
});

function countFlow() {
  const b = new DataflowBuilder('counts');
  b.source<Ev>('events')
    .withTimestamps((e) => e.t, { maxDelay: 20 }, 'timestamps')
    .keyBy((e) => e.k)
    .window(tumbling(1000))
    .aggregate(count(), 'count')
    .sink('out');
  return b.build();
}

describe('checkpoints in a running job', () => {
  it('with checkpoints the sources commit offsets only when a checkpoint completes; without, right after reading', async () => {
    const input = events(31, 10_000, { step: 2, jitter: 19 });
    // Checkpoints every 60 s of clock: none completes during the run, so the log keeps everything read.
    const held = await runStepped(countFlow(), input, { perStep: 500, close: false, values: { checkpointInterval: 60_000 } });
    expect(held.log.consumedCount).toBe(10_000);
    expect(held.log.retainedEntries).toBe(10_000);
    // Completing one commits the offsets it holds (the log drops whole segments below them).
    held.clock.advance(60_000);
    expect(held.completed).toHaveLength(1);
    const states = operatorStatesOf(held.completed[0]);
    const offsets = (states.get(0) as { offsets: [number, number][] }[])[0].offsets;
    expect(offsets).toEqual([[0, 10_000]]);
    expect(held.log.retainedEntries).toBeLessThan(4096);
    await held.job.stop();

    const off = await runStepped(countFlow(), input, { perStep: 500, close: false });
    expect(off.log.retainedEntries).toBeLessThan(4096);
    await off.job.stop();
  });

  it("a completed checkpoint holds every task's state: source offsets and window state by key group", async () => {
    const input = events(32, 3000, { jitter: 19, keys: 20 });
    const r = await runStepped(countFlow(), input, { parallelism: 3, close: false, values: { checkpointInterval: 50 } });
    const last = r.completed[r.completed.length - 1];
    const states = operatorStatesOf(last);
    const sources = states.get(0) as { offsets: [number, number][] }[];
    expect(sources.flatMap((s) => s.offsets.map(([q]) => q)).sort()).toEqual([0, 1, 2]);
    const windows = states.get(2) as { maxParallelism: number; keyGroups: [number, { entries: unknown[] }][] }[];
    expect(windows).toHaveLength(3);
    expect(windows.every((w) => w.maxParallelism === 128)).toBe(true);
    expect(windows.flatMap((w) => w.keyGroups).length).toBeGreaterThan(0);
    const stats = r.job.stats();
    const cps = stats.checkpoints;
    expect(cps[cps.length - 1]).toMatchObject({ id: last.checkpointId, status: 'completed', sizeBytes: last.sizeBytes });
    await r.job.stop();
  });

  it('at least once: no alignment, every checkpoint completes, results stay exact without failures', async () => {
    const input = events(33, 2000, { jitter: 19 });
    const r = await runStepped(countFlow(), input, {
      parallelism: 3,
      values: { checkpointInterval: 30, checkpointMode: 'at_least_once', chaining: false },
    });
    const cps = r.job.stats().checkpoints;
    expect(cps.length).toBeGreaterThan(2);
    expect(cps.every((c) => c.status === 'completed' && c.alignmentMs === 0)).toBe(true);
    const ref = await runBounded(referenceEngine, countFlow(), input, { parallelism: 3 });
    expect(sortedValues(r.sinks.out)).toEqual(sortedValues(ref.sinks.out));
  });
});
