import { describe, expect, it } from 'vitest';
import { EventLog, OpenLoopDriver, generatedEvents, type LoadPlan } from '../../../bench/driver/index.js';
import { InputWindow, type InputMeasurement } from '../../../bench/metrics/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { StepClock } from '../../support/step-clock.js';

/** How a consumer reads the log: every event as soon as it is published, or everything at batch boundaries. */
type Consumer = { kind: 'per-event' } | { kind: 'batch'; intervalMs: number; maxPerBatch?: number };

/**
 * Runs a driver into a log on virtual time with one consumer, the input window opened at the end of warm-up
 * and closed when the driver stops, as a trial does, and returns what the window measured once everything
 * sent was read (the drain).
 */
function measureOn(plan: LoadPlan, consumer: Consumer, partitions = 1): InputMeasurement {
  const clock = new ManualClock(1_000_000);
  const log = new EventLog(partitions, clock);
  const driver = new OpenLoopDriver(
    log,
    generatedEvents((k) => k),
    clock,
    plan,
  );
  const window = new InputWindow(log, driver, clock);
  const offsets = new Array<number>(partitions).fill(0);
  const readAll = (p: number, max = Infinity) => {
    for (let b = log.read(p, offsets[p], Math.min(max, 1 << 30)); b; b = log.read(p, offsets[p], Math.min(max, 1 << 30))) {
      offsets[p] += b.count;
      max -= b.count;
    }
    log.commit(p, offsets[p]);
  };
  if (consumer.kind === 'per-event') {
    const wait = (p: number) =>
      log.waitForData(p, offsets[p], () => {
        readAll(p);
        if (!log.isClosed()) wait(p);
      });
    for (let p = 0; p < partitions; p++) wait(p);
  } else {
    const batch = () => {
      for (let p = 0; p < partitions; p++) readAll(p, consumer.maxPerBatch);
      if (!(log.isClosed() && log.backlog === 0)) clock.schedule(clock.now() + consumer.intervalMs, batch);
    };
    clock.schedule(clock.now() + consumer.intervalMs, batch);
  }
  // The window closes itself when the driver stops sending (the driver's finish listener).
  driver.start();
  clock.schedule(driver.measureFrom, () => window.open());
  for (let i = 0; i < 1_000_000 && clock.nextTimerAt < Infinity; i++) clock.set(clock.nextTimerAt);
  clock.runDeferred();
  expect(log.isClosed()).toBe(true);
  expect(log.backlog).toBe(0);
  return window.measure();
}

describe('InputWindow at a paced rate', () => {
  const plan: LoadPlan = { rate: 1000, warmupMs: 1000, durationMs: 2000 };

  it('a per-event consumer reads exactly the offered rate', () => {
    const m = measureOn(plan, { kind: 'per-event' });
    expect(m.events).toBe(2000);
    expect(m.durationMs).toBe(2000);
    expect(m.inputEventsPerSec).toBe(1000);
    // It kept up: while the window was open (1000 ms to 2999 ms, when event 2999 was sent) it read events 1000..2999.
    expect(m.readEventsPerSec).toBe((2000 / 1999) * 1000);
    expect(m.backlogAtEnd).toBe(0);
    expect(m.lagAtEndMs).toBe(0);
  });

  it('a batch consumer (reads in bursts at 700 ms batch boundaries) reads exactly the offered rate', () => {
    const m = measureOn(plan, { kind: 'batch', intervalMs: 700 });
    expect(m.events).toBe(2000);
    expect(m.durationMs).toBe(2000);
    expect(m.inputEventsPerSec).toBe(1000);
    // Read time is what depends on the boundaries: the batches at 1400, 2100 and 2800 ms took events 700..2799
    // while the window was open, and events 2800..2999 waited for the next batch: a lag of one partial batch.
    expect(m.readEventsPerSec).toBe((2100 / 1999) * 1000);
    expect(m.backlogAtEnd).toBe(200);
    expect(m.lagAtEndMs).toBe(199);
  });

  it('a batch consumer that falls behind still counts what it read in the drain, and its read figures show it fell behind', () => {
    // 500 events per 700 ms batch is 714 events/s against 1000 offered.
    const m = measureOn(plan, { kind: 'batch', intervalMs: 700, maxPerBatch: 500 });
    expect(m.inputEventsPerSec).toBe(1000);
    expect(m.readEventsPerSec).toBe((1500 / 1999) * 1000);
    expect(m.backlogAtEnd).toBe(1000);
    expect(m.lagAtEndMs).toBe(999);
  });

  it('counts by intended send time over several partitions, and at a rate that does not divide a second', () => {
    const m = measureOn({ rate: 2.5, warmupMs: 1000, durationMs: 4000 }, { kind: 'batch', intervalMs: 1500 }, 3);
    // Events k = 3..12 are due in [1000, 5000) ms (every 400 ms): ten events over 4 s.
    expect(m.events).toBe(10);
    expect(m.inputEventsPerSec).toBe(2.5);
  });

  it('an event count ends the window at the last event, by schedule', () => {
    const m = measureOn({ rate: 500, warmupMs: 1000, events: 1500 }, { kind: 'batch', intervalMs: 300 });
    expect(m.events).toBe(1000);
    expect(m.durationMs).toBe(2000);
    expect(m.inputEventsPerSec).toBe(500);
  });
});

describe('InputWindow when the driver cannot reach the rate', () => {
  it('counts what the engine read while the window was open, not the schedule it never kept', () => {
    // Each event costs 1 µs to make: 1M events/s at most, against 1e12 offered.
    const clock = new StepClock(0);
    const log = new EventLog(1, clock);
    const source = generatedEvents((k) => {
      clock.spend(0.001);
      return k;
    });
    const driver = new OpenLoopDriver(log, source, clock, { rate: 1e12, warmupMs: 100, durationMs: 200 });
    const window = new InputWindow(log, driver, clock);
    let offset = 0;
    const read = () =>
      log.waitForData(0, offset, () => {
        for (let b = log.read(0, offset, 1 << 30); b; b = log.read(0, offset, 1 << 30)) offset += b.count;
        log.commit(0, offset);
        if (!log.isClosed()) read();
      });
    read();
    driver.start();
    clock.schedule(driver.measureFrom, () => window.open());
    clock.run(1000);
    expect(log.isClosed()).toBe(true);
    expect(driver.driverBound).toBe(true);
    const m = window.measure();
    // The window was open from the turn after 100 ms to the end of the one that crossed 300 ms; a per-event
    // reader took every event as it was made, one per µs.
    expect(m.durationMs).toBeGreaterThan(190);
    expect(m.durationMs).toBeLessThan(210);
    expect(m.events).toBe(Math.round(m.durationMs * 1000));
    expect(m.inputEventsPerSec).toBe(m.readEventsPerSec);
    expect(m.inputEventsPerSec).toBeCloseTo(1e6, -2);
    expect(m.backlogAtEnd).toBe(0);
  });
});
