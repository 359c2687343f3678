import { describe, expect, it } from 'vitest';
import { EventLog, OpenLoopDriver, generatedEvents, recordedEvents } from '../../../bench/driver/index.js';
import { INITIAL_AHEAD, MAX_AHEAD_CAP } from '../../../bench/driver/open-loop-driver.js';
import type { Clock } from '../../../engines/api/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';

function drain(log: EventLog): { value: unknown; ts: number }[] {
  const out: { value: unknown; ts: number }[] = [];
  const offsets = new Array(log.partitions).fill(0);
  for (let more = true; more; ) {
    more = false;
    for (let p = 0; p < log.partitions; p++) {
      const b = log.read(p, offsets[p], 1);
      if (!b) continue;
      out.push({ value: b.values[b.index], ts: b.timestamps[b.index] });
      offsets[p]++;
      more = true;
    }
  }
  return out;
}

describe('OpenLoopDriver (paced)', () => {
  it('schedules event k at t0 + k / rate and stamps it with that intended time', () => {
    const clock = new ManualClock(1_000_000);
    const log = new EventLog(1, clock);
    const driver = new OpenLoopDriver(
      log,
      generatedEvents((k, t) => ({ k, t })),
      clock,
      { rate: 1000, durationMs: 10, warmupMs: 0 },
    );
    driver.start();
    for (let i = 0; i < 20; i++) clock.advance(1);
    const events = drain(log);
    expect(events.map((e) => e.ts)).toEqual(Array.from({ length: 10 }, (_, k) => 1_000_000 + k));
    expect(events.map((e) => (e.value as { k: number }).k)).toEqual(Array.from({ length: 10 }, (_, k) => k));
    expect(log.isClosed()).toBe(true);
  });

  it('catches up after a stall without dropping, and the lag is recorded', () => {
    // A clock whose timers fire late: the process was busy for 30 ms, so 30 events are overdue at once.
    let now = 0;
    let due: (() => void) | undefined;
    const deferred: (() => void)[] = [];
    const stalling: Clock = {
      now: () => now,
      schedule: (_at, cb) => ((due = cb), { cancel: () => (due = undefined) }),
      defer: (cb) => deferred.push(cb),
    };
    const log = new EventLog(2, stalling);
    const driver = new OpenLoopDriver(
      log,
      generatedEvents((k) => k),
      stalling,
      { rate: 1000, events: 50, warmupMs: 0 },
    );
    driver.start();
    expect(driver.produced).toBe(1);
    now = 30;
    due!();
    expect(driver.produced).toBe(31);
    expect(driver.sendLag.max).toBeCloseTo(29, 1); // event 1 was due at 1 ms and sent at 30 ms
    for (now = 31; now < 100; now++) due?.();
    const events = drain(log);
    expect(events.map((e) => e.value)).toEqual(Array.from({ length: 50 }, (_, k) => k));
    expect(events.every((e, k) => e.ts === k)).toBe(true); // intended, not actual, send times
    expect(driver.produced).toBe(50);
  });

  it('appends event k to partition k % partitions and stops at the end of a recorded input', async () => {
    const clock = new ManualClock(0);
    const log = new EventLog(3, clock);
    const driver = new OpenLoopDriver(log, recordedEvents(['a', 'b', 'c', 'd', 'e']), clock, { rate: 1e6, warmupMs: 0 });
    driver.start();
    clock.advance(1);
    await driver.done;
    expect(log.endOffset(0)).toBe(2);
    expect(log.endOffset(1)).toBe(2);
    expect(log.endOffset(2)).toBe(1);
    expect(drain(log).map((e) => e.value)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('reports where the measurement window starts', () => {
    const clock = new ManualClock(500);
    const driver = new OpenLoopDriver(
      new EventLog(1, clock),
      generatedEvents((k) => k),
      clock,
      { rate: 10, durationMs: 1000, warmupMs: 250 },
    );
    driver.start();
    expect(driver.measureFrom).toBe(750);
  });

  it('refuses an unbounded generator without a duration or count', () => {
    const clock = new ManualClock(0);
    expect(
      () =>
        new OpenLoopDriver(
          new EventLog(1, clock),
          generatedEvents((k) => k),
          clock,
          { rate: 10, warmupMs: 0 },
        ),
    ).toThrow(/duration/);
  });
});

describe('OpenLoopDriver (rate max)', () => {
  it('keeps a bounded backlog ahead of the consumer and refills as it is read', () => {
    const clock = new ManualClock(0);
    const log = new EventLog(1, clock);
    const driver = new OpenLoopDriver(
      log,
      generatedEvents((k) => k),
      clock,
      { rate: 'max', events: 200_000, warmupMs: 0 },
    );
    driver.start();
    clock.runDeferred();
    const firstFill = log.appendedCount;
    expect(firstFill).toBeGreaterThan(0);
    expect(firstFill).toBeLessThanOrEqual(32_768);
    let offset = 0;
    let maxBacklog = 0;
    while (offset < 200_000) {
      const b = log.read(0, offset, 4096);
      if (b) offset += b.count;
      log.commit(0, offset);
      clock.runDeferred();
      maxBacklog = Math.max(maxBacklog, log.backlog);
      expect(log.retainedEntries).toBeLessThanOrEqual(32_768 + 2 * 4096);
    }
    expect(maxBacklog).toBeLessThanOrEqual(INITIAL_AHEAD); // a steady consumer never empties the log
    expect(driver.produced).toBe(200_000);
    expect(log.isClosed()).toBe(true);
  });

  it('grows the look-ahead while a full log is left unread (micro-batches), within a cap', () => {
    const clock = new ManualClock(0);
    const log = new EventLog(1, clock);
    const driver = new OpenLoopDriver(
      log,
      generatedEvents((k) => k),
      clock,
      { rate: 'max', events: 20_000_000, warmupMs: 0 },
    );
    driver.start();
    let offset = 0;
    const batchSizes: number[] = [];
    for (let batch = 0; batch < 8; batch++) {
      clock.advance(1000); // a batch interval with no reads: the growth check sees a full, idle log
      let taken = 0;
      for (let b = log.read(0, offset, 1 << 30); b; b = log.read(0, offset, 1 << 30)) {
        offset += b.count;
        taken += b.count;
      }
      log.commit(0, offset);
      batchSizes.push(taken);
      expect(log.retainedEntries).toBeLessThanOrEqual(MAX_AHEAD_CAP + 4096);
    }
    expect(batchSizes[0]).toBeGreaterThan(INITIAL_AHEAD);
    expect(Math.max(...batchSizes)).toBe(MAX_AHEAD_CAP);
    expect(driver.ahead).toBe(MAX_AHEAD_CAP);
  });

  it('keeps the small look-ahead for a consumer that reads continuously', () => {
    const clock = new ManualClock(0);
    const log = new EventLog(1, clock);
    const driver = new OpenLoopDriver(
      log,
      generatedEvents((k) => k),
      clock,
      { rate: 'max', events: 2_000_000, warmupMs: 0 },
    );
    driver.start();
    let offset = 0;
    while (offset < 2_000_000) {
      clock.advance(1);
      const b = log.read(0, offset, 2048);
      if (b) offset += b.count;
      log.commit(0, offset);
    }
    expect(driver.ahead).toBe(INITIAL_AHEAD);
  });
});
