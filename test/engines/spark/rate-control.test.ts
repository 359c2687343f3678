/**
 * Backpressure: Spark's PIDRateEstimator against values computed by hand from its formula, the direct
 * stream's per-partition limits (maxMessagesPerPartition), and the rate controller end to end.
 */
import { describe, expect, it } from 'vitest';
import { DataflowBuilder, type OptionValues } from '../../../engines/api/index.js';
import {
  DirectKafkaInputDStream,
  PIDRateEstimator,
  RateLimiter,
  sparkConf,
  sparkEngine,
  StreamingContext,
} from '../../../engines/spark/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { EventLog } from '../../../bench/driver/index.js';
import { runVirtual } from './support.js';

describe("PIDRateEstimator (Spark's formula, default gains kp 1.0, ki 0.2, kd 0.0, minRate 100)", () => {
  it('first computes nothing but the initial rate, then follows the formula term by term', () => {
    const pid = new PIDRateEstimator(1000);
    // processingRate = 2000 / 500 * 1000 = 4000: only remembered.
    expect(pid.compute(1000, 2000, 500, 0)).toBeUndefined();
    // processingRate 3000, error = 4000 - 3000 = 1000, historicalError = 200 * 3000 / 1000 = 600:
    // 4000 - 1.0 * 1000 - 0.2 * 600 - 0 = 2880.
    expect(pid.compute(2000, 3000, 1000, 200)).toBeCloseTo(2880, 9);
    // processingRate 500, error = 2880 - 500 = 2380, historical = 1500 * 500 / 1000 = 750: 2880 - 2380 - 150 = 350.
    expect(pid.compute(3000, 1000, 2000, 1500)).toBeCloseTo(350, 9);
    // processingRate 100, error 250, historical 5000 * 100 / 1000 = 500: 350 - 250 - 100 = 0 -> minRate 100.
    expect(pid.compute(4000, 100, 1000, 5000)).toBe(100);
  });

  it('ignores a batch that is not newer, is empty, or took no time', () => {
    const pid = new PIDRateEstimator(1000);
    expect(pid.compute(1000, 2000, 500, 0)).toBeUndefined();
    expect(pid.compute(1000, 3000, 1000, 200)).toBeUndefined(); // time not > latestTime
    expect(pid.compute(2000, 0, 1000, 200)).toBeUndefined(); // no elements
    expect(pid.compute(2000, 3000, 0, 200)).toBeUndefined(); // no processing delay
    expect(pid.compute(2000, 3000, 1000, 200)).toBeCloseTo(2880, 9); // the state was not disturbed
  });

  it('uses the derivative term over the time since the last update, and other gains', () => {
    const pid = new PIDRateEstimator(500, { proportional: 0.5, integral: 0.1, derived: 0.1, minRate: 10 });
    expect(pid.compute(500, 1000, 250, 0)).toBeUndefined(); // latestRate = 4000, latestError = 0
    // t = 2500: delaySinceUpdate 2 s; processingRate = 1500 / 500 * 1000 = 3000; error 1000;
    // historical = 100 * 3000 / 500 = 600; dError = (1000 - 0) / 2 = 500;
    // 4000 - 0.5 * 1000 - 0.1 * 600 - 0.1 * 500 = 3390.
    expect(pid.compute(2500, 1500, 500, 100)).toBeCloseTo(3390, 9);
    // t = 3000: delay 0.5 s; processingRate 2000; error = 3390 - 2000 = 1390; historical = 0;
    // dError = (1390 - 1000) / 0.5 = 780; 3390 - 695 - 0 - 78 = 2617.
    expect(pid.compute(3000, 1000, 500, 0)).toBeCloseTo(2617, 9);
  });

  it('rejects gains Spark rejects', () => {
    expect(() => new PIDRateEstimator(0)).toThrow('batch interval');
    expect(() => new PIDRateEstimator(100, { proportional: -1, integral: 0, derived: 0, minRate: 1 })).toThrow('Proportional');
    expect(() => new PIDRateEstimator(100, { proportional: 1, integral: 0, derived: 0, minRate: 0 })).toThrow('Minimum rate');
  });
});

function directStream(values: OptionValues, partitions: number): { stream: DirectKafkaInputDStream; log: EventLog } {
  const clock = new ManualClock(0);
  const log = new EventLog(partitions, clock);
  const ssc = new StreamingContext(sparkConf(values), {
    log,
    clock,
    metrics: { lateRecordsDropped: () => {} },
    sinks: { get: () => ({ write: () => {} }) },
  });
  return { stream: ssc.inputStream('events') as DirectKafkaInputDStream, log };
}

describe("the direct stream's per-batch limits (maxMessagesPerPartition)", () => {
  it('without limits a batch takes everything up to the latest offsets', () => {
    const { stream } = directStream({}, 2);
    expect(stream.maxMessagesPerPartition([100, 300])).toBeUndefined();
  });

  it('maxRatePerPartition x batch seconds per partition', () => {
    const { stream } = directStream({ batchInterval: 500, maxRatePerPartition: 1000 }, 2);
    expect(stream.maxMessagesPerPartition([100, 300])).toEqual([500, 500]);
  });

  it('with backpressure the rate is split over partitions in proportion to their lag, capped by maxRatePerPartition', () => {
    const { stream } = directStream(
      { batchInterval: 500, maxRatePerPartition: 1000, backpressure: true, backpressureInitialRate: 3000 },
      2,
    );
    // lags 100 and 300: 3000 * 1/4 = 750 and 3000 * 3/4 = 2250 -> capped at 1000; x 0.5 s.
    expect(stream.maxMessagesPerPartition([100, 300])).toEqual([375, 500]);
  });

  it('allocates offset ranges batch after batch and commits them when told a batch completed', () => {
    const { stream, log } = directStream({ batchInterval: 100, maxRatePerPartition: 100 }, 1);
    for (let i = 0; i < 25; i++) log.append(0, i, i);
    expect(stream.allocate(100)).toBe(10);
    expect(stream.allocate(200)).toBe(10);
    expect(stream.allocate(300)).toBe(5);
    stream.onBatchCompleted(100);
    stream.onBatchCompleted(200);
    expect(stream.exhausted).toBe(false); // the log is still open
    log.close();
    expect(stream.exhausted).toBe(true);
  });
});

describe('the receiver rate limiter', () => {
  it('grants permits at the rate, stores at most one second of them, and says when the next is due', () => {
    const r = new RateLimiter(100);
    expect(r.acquire(50, 0)).toBe(0);
    expect(r.nextPermitAt(0)).toBeCloseTo(10, 9);
    expect(r.acquire(50, 100)).toBe(10);
    expect(r.acquire(500, 10_000)).toBe(100); // one second's worth at most
    r.setRate(Infinity);
    expect(r.acquire(1e6, 10_001)).toBe(1e6);
  });
});

describe('backpressure end to end (virtual time: the slow map spends 0.2 ms of the clock per record)', () => {
  function slowFlow(clock: ManualClock) {
    const b = new DataflowBuilder('slow');
    b.source<number>('numbers')
      .map((x) => {
        clock.elapse(0.2);
        return x;
      }, 'slow')
      .sink('out');
    return b.build();
  }

  it('publishes PID estimates (never below minRate) that limit later batches; nothing is lost', async () => {
    const input = Array.from({ length: 1500 }, (_, i) => i);
    const clock = new ManualClock(1_000_000);
    const r = await runVirtual(sparkEngine, slowFlow(clock), input, {
      values: { batchInterval: 20, backpressure: true, backpressureInitialRate: 5000 },
      clock,
    });
    expect(r.sinks.out.length).toBe(1500);
    const rates = r.stats.rateLimit;
    expect(rates.length).toBeGreaterThan(0);
    for (const x of rates) expect(x.ratePerSec).toBeGreaterThanOrEqual(100);
    const batches = r.stats.batches;
    // Before the first estimate the initial rate limits a 20 ms batch to 5000 * 0.02 = 100 records.
    expect(batches[0].records).toBe(100);
    // A batch is generated before earlier batches complete under load, so it may use any earlier estimate.
    for (const x of batches) {
      const limit = Math.max(5000, ...rates.filter((q) => q.time < x.time).map((q) => q.ratePerSec));
      expect(x.records).toBeLessThanOrEqual(Math.max(1, Math.floor(limit * 0.02)));
    }
  });

  it('is off by default: no estimates, and a batch takes all the log has', async () => {
    const clock = new ManualClock(1_000_000);
    const r = await runVirtual(sparkEngine, slowFlow(clock), [1, 2, 3], { values: { batchInterval: 20 }, clock });
    expect(r.stats.rateLimit).toEqual([]);
    expect(r.stats.batches[0].records).toBe(3);
  });
});
