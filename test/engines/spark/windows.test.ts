/**
 * Windows: DStream (processing-time) windows over batches, with Spark's validation of their durations,
 * and the dataflow's event-time windows as keyed state across batches, each window emitted once, in the
 * batch in which the watermark (advanced at batch boundaries) passes its end.
 */
import { describe, expect, it } from 'vitest';
import { count, DataflowBuilder, tumbling, type WindowResult } from '../../../engines/api/index.js';
import { sparkConf, sparkEngine, StreamingContext, type DStream } from '../../../engines/spark/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { EventLog } from '../../../bench/driver/index.js';
import { runVirtual } from './support.js';

function context(batchInterval: number) {
  const clock = new ManualClock(0);
  const log = new EventLog(1, clock);
  const ssc = new StreamingContext(sparkConf({ batchInterval }), {
    log,
    clock,
    metrics: { lateRecordsDropped: () => {} },
    sinks: { get: () => ({ write: () => {} }) },
  });
  return { ssc, log, clock, input: ssc.inputStream('in') as DStream };
}

describe('DStream windows', () => {
  it("must have a length and a slide that are multiples of the parent's slide duration, as Spark requires", () => {
    const { input } = context(100);
    expect(() => input.window(250, 100)).toThrow(
      'The window duration of windowed DStream (250 ms) must be a multiple of the slide duration of parent DStream (100 ms)',
    );
    expect(() => input.window(300, 150)).toThrow(
      'The slide duration of windowed DStream (150 ms) must be a multiple of the slide duration of parent DStream (100 ms)',
    );
    expect(() => input.window(0, 100)).toThrow('must be a multiple');
    const w = input.window(600, 200);
    expect(w.slideDuration).toBe(200);
    // A window over a window: multiples of the windowed stream's slide (200 ms), not of the batch interval.
    expect(() => w.window(1000, 300)).toThrow('(300 ms) must be a multiple of the slide duration of parent DStream (200 ms)');
    expect(() => w.window(1000, 400)).not.toThrow();
  });

  it('every slide, the union of the batches of the last window length (parent persisted, RDDs remembered)', () => {
    const { ssc, log, clock, input } = context(100);
    const seen: [number, number[]][] = [];
    input
      .map((x) => x * 10, 'times10')
      .window(300, 200)
      .foreachRDD((ctx) => {
        const mine: number[] = [];
        seen.push([ctx.batch.time, mine]);
        return (v) => mine.push(v as number);
      }, 'collect');
    ssc.start();
    // One record per 50 ms; batches every 100 ms (at 100, 200, ...); windows at multiples of 200.
    for (let t = 0; t < 1000; t += 50) {
      clock.set(t);
      log.append(0, t / 50, t);
      log.publish();
    }
    clock.set(1001);
    ssc.stop();
    const windows = new Map<number, number[]>();
    for (const [time, values] of seen) windows.set(time, [...(windows.get(time) ?? []), ...values]);
    // Batch at 100 read records 0,1 (t 0, 50); at 200: 2,3; ... Windows of 300 ms at 200, 400, ...
    expect([...windows.keys()]).toEqual([200, 400, 600, 800, 1000]);
    expect(windows.get(200)!.sort((a, b) => a - b)).toEqual([0, 10, 20, 30]);
    expect(windows.get(400)!.sort((a, b) => a - b)).toEqual([20, 30, 40, 50, 60, 70]);
    expect(windows.get(1000)!.sort((a, b) => a - b)).toEqual([140, 150, 160, 170, 180, 190]);
  });
});

describe('event-time windows across batches', () => {
  const b = new DataflowBuilder('tumbling');
  b.source<number>('times')
    .withTimestamps((t) => t, { maxDelay: 0 }, 'ts')
    .keyBy(() => 'k')
    .window(tumbling(100))
    .aggregate(count<number>(), 'count')
    .sink('out');
  const flow = b.build();

  it('fire once, in the batch whose start sees a watermark past their end (append mode)', async () => {
    // Event times 0..399, 50 per 10 ms batch. The watermark of batch n comes from batches before n.
    const input = Array.from({ length: 400 }, (_, t) => t);
    const r = await runVirtual(sparkEngine, flow, input, { values: { batchInterval: 10, maxRatePerPartition: 5000 }, startMs: 1_000_000 });
    const values = r.sinks.out.map((s) => s.value as WindowResult<string, number>);
    expect(values.map((v) => [v.windowStart, v.value])).toEqual([
      [0, 100],
      [100, 100],
      [200, 100],
      [300, 100],
    ]);
    const batchTimes = r.stats.batches.map((x) => x.time);
    expect(batchTimes.length).toBe(8);
    // Batches 1..8 read t 0-49, 50-99, ...; after batch 3 (t <= 149) the watermark is 148 >= 99: [0,100) fires in batch 4.
    expect(r.writeTimes.out).toEqual([batchTimes[3], batchTimes[5], batchTimes[7], batchTimes[7]]);
  });

  it('drop a record only when it is behind the watermark of the previous batch boundary', async () => {
    // One record per batch: t 0..9, then 300, 50, 60. The batch reading 50 drops records behind its
    // late-data watermark, the previous batch's eviction watermark (8, from t <= 9), so 50 is kept, and
    // [0,100) fires in that batch at the eviction watermark 299 (from t = 300). The batch reading 60 drops
    // it: 60 is behind 299. The reference engine, advancing per record, would drop both.
    const input = [...Array.from({ length: 10 }, (_, t) => t), 300, 50, 60];
    const r = await runVirtual(sparkEngine, flow, input, { values: { batchInterval: 10, maxRatePerPartition: 100 } });
    expect(r.stats.batches.map((x) => x.records)).toEqual(new Array(13).fill(1));
    const out = r.sinks.out.map((s) => s.value as WindowResult<string, number>).map((v) => [v.windowStart, v.value]);
    expect(out).toEqual([
      [0, 11],
      [300, 1],
    ]);
    expect(r.late.byOperator).toEqual({ count: 1 });
    expect(r.stats.lateRecordsDropped).toBe(1);
  });
});

describe('early firing (update mode)', () => {
  it("every batch crossing a multiple of the interval emits the changed windows' running results; the last per window is final", async () => {
    const b = new DataflowBuilder('early');
    b.source<number>('times')
      .withTimestamps((t) => t, { maxDelay: 0 }, 'ts')
      .keyBy((t) => (t % 2 === 0 ? 'even' : 'odd'))
      .window(tumbling(200))
      .aggregate(count<number>(), { name: 'count', earlyFiring: { everyMs: 20 } })
      .sink('out');
    const input = Array.from({ length: 400 }, (_, t) => t);
    // 10 ms batches of 20 records: early results every other batch.
    const r = await runVirtual(sparkEngine, b.build(), input, {
      values: { batchInterval: 10, maxRatePerPartition: 2000 },
      startMs: 1_000_000,
    });
    const results = r.sinks.out.map((s) => s.value as WindowResult<string, number>);
    const last = new Map<string, number>();
    for (const v of results) last.set(`${v.key}@${v.windowStart}`, v.value);
    expect([...last].sort()).toEqual([
      ['even@0', 100],
      ['even@200', 100],
      ['odd@0', 100],
      ['odd@200', 100],
    ]);
    expect(r.stats.earlyResults).toBeGreaterThan(10);
    // Running counts of a window only grow.
    const evens = results.filter((v) => v.key === 'even' && v.windowStart === 0).map((v) => v.value);
    expect(evens).toEqual([...evens].sort((a, c) => a - c));
    // Other batches write final results only (each window's final count is 100).
    r.writeTimes.out.forEach((t, i) => {
      if ((t - 1_000_000) % 20 !== 0) expect(results[i].value).toBe(100);
    });
  });
});
