import { describe, expect, it } from 'vitest';
import { EventLog, OpenLoopDriver, generatedEvents, recordedEvents, type LoadPlan } from '../../../bench/driver/index.js';
import { INITIAL_AHEAD, MAX_AHEAD_CAP } from '../../../bench/driver/open-loop-driver.js';
import type { Clock } from '../../../engines/api/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { StepClock } from '../../support/step-clock.js';

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

describe('OpenLoopDriver at a rate it cannot reach', () => {
  /** Making an event costs 1 µs of virtual time: the driver sends at most 1M events/s. */
  function costlyDriver(plan: LoadPlan) {
    const clock = new StepClock(0);
    const log = new EventLog(2, clock);
    const source = generatedEvents((k) => {
      clock.spend(0.001);
      return k;
    });
    const run = (steps: number) => clock.run(steps);
    const stall = (ms: number) => clock.spend(ms);
    return { clock, log, run, stall, driver: new OpenLoopDriver(log, source, clock, plan) };
  }

  it('ends at its duration whatever the rate, and says it was driver-bound', () => {
    const { clock, log, run, driver } = costlyDriver({ rate: 1e12, warmupMs: 100, durationMs: 200 });
    driver.start();
    run(1000); // ~37 turns of 8192 events fill 300 ms; a driver that waited for its schedule would never stop
    expect(log.isClosed()).toBe(true);
    expect(driver.driverBound).toBe(true);
    // It stopped at the end of the turn (8192 events, 8.192 ms) during which the 300 ms ran out.
    expect(clock.now()).toBeGreaterThanOrEqual(300);
    expect(clock.now()).toBeLessThan(300 + 8.2);
    expect(driver.produced).toBe(Math.round(clock.now() * 1000));
    expect(driver.offered).toBe(300e9);
  });

  it('a count sent far behind its schedule is driver-bound too', () => {
    // 500 000 events at 10M/s are due within 50 ms; at 1 µs each they take 500 ms.
    const { log, run, driver } = costlyDriver({ rate: 1e7, warmupMs: 0, events: 500_000 });
    driver.start();
    run(1000);
    expect(log.isClosed()).toBe(true);
    expect(driver.produced).toBe(500_000);
    expect(driver.offered).toBe(500_000);
    expect(driver.driverBound).toBe(true);
  });

  it('a driver that keeps its schedule is not driver-bound, even with a late last timer', () => {
    const { clock, log, run, stall, driver } = costlyDriver({ rate: 1000, warmupMs: 100, durationMs: 200 });
    driver.start();
    run(249); // event 0 at start, events 1..249 each on its timer
    expect(driver.produced).toBe(250);
    stall(330 - clock.now()); // the process is busy until 330 ms: the timer of event 250 fires 80 ms late
    run(1000);
    expect(log.isClosed()).toBe(true);
    expect(driver.produced).toBe(300); // the 50 overdue events go out at once, and the schedule ends
    expect(driver.offered).toBe(300);
    expect(driver.driverBound).toBe(false);
  });
});
