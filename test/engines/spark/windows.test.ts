/**
 * Windows: DStream (processing-time) windows over batches, with Spark's validation of their durations,
 * and the dataflow's event-time windows as a DStream program keeps them: keyed state by (key, window
 * start), closed by the event time seen in earlier batches; every batch with updateStateByKey, in the full
 * scans of mapWithState's checkpoint batches.
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

describe('event-time windows as keyed state by (key, window start)', () => {
  const b = new DataflowBuilder('tumbling');
  b.source<number>('times')
    .withTimestamps((t) => t, { maxDelay: 0 }, 'ts')
    .keyBy(() => 'k')
    .window(tumbling(100))
    .aggregate(count<number>(), 'count')
    .sink('out');
  const flow = b.build();
  // Event times 0..399, 50 per 10 ms batch (batches 1..8 read t 0-49, 50-99, ...). A batch's closing
  // threshold comes from the batches completed before it: after batch 3 (t <= 149) it is 148 >= 99.
  const input = Array.from({ length: 400 }, (_, t) => t);
  const values = { batchInterval: 10, maxRatePerPartition: 5000 };

  it("updateStateByKey: every batch's update sees every window, so each closes in the first batch whose threshold passed its end", async () => {
    const r = await runVirtual(sparkEngine, flow, input, { values: { ...values, stateMode: 'updateStateByKey' }, startMs: 1_000_000 });
    const out = r.sinks.out.map((s) => s.value as WindowResult<string, number>);
    expect(out.map((v) => [v.windowStart, v.value]).sort((x, y) => x[0] - y[0])).toEqual([
      [0, 100],
      [100, 100],
      [200, 100],
      [300, 100],
    ]);
    const batchTimes = (r.stats.batches as { time: number }[]).map((x) => x.time);
    expect(batchTimes.length).toBe(8);
    expect(r.writeTimes.out).toEqual([batchTimes[3], batchTimes[5], batchTimes[7], batchTimes[7]]);
  });

  it('mapWithState: windows close only in the full scans of its checkpoint batches (and the last); until then they wait in the state', async () => {
    // A checkpoint every 30 ms: full scans in batches 3 and 6, then the final batch 8.
    const r = await runVirtual(sparkEngine, flow, input, { values: { ...values, checkpointInterval: '30ms' }, startMs: 1_000_000 });
    const out = r.sinks.out.map((s) => s.value as WindowResult<string, number>);
    expect(out.map((v) => [v.windowStart, v.value]).sort((x, y) => x[0] - y[0])).toEqual([
      [0, 100],
      [100, 100],
      [200, 100],
      [300, 100],
    ]);
    const batches = r.stats.batches as { time: number; stateEntries: number }[];
    const batchTimes = batches.map((x) => x.time);
    // Batch 3's threshold is 98: nothing closes. Batch 6's is 248: [0, 100) and [100, 200), closed since batches 4 and 6.
    expect(r.writeTimes.out).toEqual([batchTimes[5], batchTimes[5], batchTimes[7], batchTimes[7]]);
    // [0, 100) stays in the state through batches 4 and 5, although its threshold had passed: 3 windows after batch 5.
    expect(batches.map((x) => x.stateEntries)).toEqual([1, 1, 2, 2, 3, 1, 2, 0]);
    expect(r.stats.stateFullScans).toBe(3);
  });

  it('a record is late only if its window closed in an earlier batch: the two state modes drop different records', async () => {
    // One record per batch: t 0..9, then 300, 50, 60, 70 (batches 11-14).
    const late = [...Array.from({ length: 10 }, (_, t) => t), 300, 50, 60, 70];
    const one = { batchInterval: 10, maxRatePerPartition: 100 };
    // updateStateByKey: batch 12 (t 50) closes [0, 100) at 299 (from t = 300), after adding 50 (its late
    // threshold is batch 11's, 8); 60 and 70 come after [0, 100) closed: late.
    const byKey = await runVirtual(sparkEngine, flow, late, { values: { ...one, stateMode: 'updateStateByKey' } });
    expect((byKey.stats.batches as { records: number }[]).map((x) => x.records)).toEqual(new Array(14).fill(1));
    const counts = (r: { sinks: Record<string, { value: unknown }[]> }) =>
      r.sinks.out
        .map((x) => x.value as WindowResult<string, number>)
        .map((v) => [v.windowStart, v.value])
        .sort((x, y) => x[0] - y[0]);
    expect(counts(byKey)).toEqual([
      [0, 11],
      [300, 1],
    ]);
    expect(byKey.late.byOperator).toEqual({ count: 2 });
    // mapWithState with a checkpoint every 50 ms: full scans in batches 5 and 10 (thresholds below 10), then
    // the final batch 14. [0, 100) is still in the state when 50, 60 and 70 arrive: nothing is late.
    const withState = await runVirtual(sparkEngine, flow, late, { values: { ...one, checkpointInterval: '50ms' } });
    expect(counts(withState)).toEqual([
      [0, 13],
      [300, 1],
    ]);
    expect(withState.late.total).toBe(0);
    expect(withState.stats.lateRecordsDropped).toBe(0);
  });
});

describe('early firing', () => {
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
