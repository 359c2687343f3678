/**
 * Time in a running job: periodic watermarks (every watermarkInterval of processing time, not per
 * record), the minimum over input channels downstream (a window fires only when the slowest channel's
 * watermark has passed its end), and late records dropped and counted.
 */
import { describe, expect, it } from 'vitest';
import { count, DataflowBuilder, tumbling, type WindowResult } from '../../../engines/api/index.js';
import { runStepped } from './support.js';

interface E {
  t: number;
  k: string;
}

/** timestamps (maxDelay 0) at the run's parallelism, then a window of parallelism 1 fed by every source subtask. */
function flow() {
  const b = new DataflowBuilder('valve');
  b.source<E>('events')
    .withTimestamps((e) => e.t, { maxDelay: 0 }, 'timestamps')
    .keyBy((e) => e.k)
    .window(tumbling(100))
    .aggregate(count(), { name: 'count', parallelism: 1 })
    .sink({ name: 'out', parallelism: 1 });
  return b.build();
}

/** Window ends fired so far. */
function firedEnds(records: { value: unknown }[]): number[] {
  return [...new Set(records.map((r) => (r.value as WindowResult).windowEnd))].sort((a, b) => a - b);
}

describe('the watermark at a task is the minimum over its input channels', () => {
  // Each row: the event times each of the three source subtasks (log partitions) sees; the window task
  // then has three input channels. Watermark per channel = max time - 1; windows [0,100), [100,200)...
  const rows: { name: string; times: number[][]; fired: number[] }[] = [
    {
      name: 'all channels past 300: windows up to 300 fire',
      times: [
        [50, 150, 250, 350],
        [60, 160, 260, 360],
        [70, 170, 270, 370],
      ],
      fired: [100, 200, 300],
    },
    {
      name: 'one slow channel at 120 holds everything after 100',
      times: [
        [50, 450],
        [60, 460],
        [70, 120],
      ],
      fired: [100],
    },
    { name: 'a channel with no events at all holds every window', times: [[50, 450], [60, 460], []], fired: [] },
    {
      name: 'the minimum moves when the slow channel catches up',
      times: [
        [50, 450],
        [60, 460],
        [70, 120, 250],
      ],
      fired: [100, 200],
    },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const placed: [number, E][] = row.times.flatMap((ts, q) => ts.map((t): [number, E] => [q, { t, k: `k${q}` }]));
      const r = await runStepped(
        flow(),
        placed.map(([, e]) => e),
        { parallelism: 3, close: false, perStep: 100, stepMs: 500, partition: (k) => placed[k][0] },
      );
      const fired = firedEnds(r.sinks.out).filter((e) => e > 0);
      expect(fired).toEqual(row.fired);
      // At the end of input every window fires.
      r.log.close();
      for (let i = 0; i < 100 && r.job.scheduler.liveTasks > 0; i++) r.clock.advance(100);
      await r.job.drained();
      const all = firedEnds(r.sinks.out).filter((e) => e > 0);
      expect(all.length).toBeGreaterThanOrEqual(row.fired.length);
    });
  }
});

describe('periodic watermarks and late records', () => {
  function single() {
    const b = new DataflowBuilder('late');
    b.source<E>('events')
      .withTimestamps((e) => e.t, { maxDelay: 10 }, 'timestamps')
      .keyBy((e) => e.k)
      .window(tumbling(100))
      .aggregate(count(), 'count')
      .sink('out');
    return b.build();
  }

  it('watermarks are emitted on the processing-time interval, not per record: a window fires only after the next tick', async () => {
    // One event per 5 ms step; the watermark interval is 200 ms of clock time.
    const input: E[] = Array.from({ length: 30 }, (_, i) => ({ t: i * 10, k: 'a' }));
    const r = await runStepped(single(), input, { close: false, perStep: 1, stepMs: 5, values: { watermarkInterval: 200 } });
    // 150 ms of clock have passed: no tick yet, although event time reached 290.
    expect(r.sinks.out).toHaveLength(0);
    r.clock.advance(60);
    expect(firedEnds(r.sinks.out)).toEqual([100, 200]);
    await r.job.stop();
  });

  it('a record whose window has fired is dropped and counted; the rest is exact', async () => {
    const input: E[] = [
      { t: 10, k: 'a' },
      { t: 150, k: 'a' },
      { t: 320, k: 'a' },
      { t: 20, k: 'a' }, // after a watermark of 309: window [0,100) fired, late
      { t: 330, k: 'a' },
      { t: 95, k: 'b' }, // late too
      { t: 305, k: 'b' }, // on time: watermark 309 is below its window's end - 1
    ];
    const r = await runStepped(single(), input, { perStep: 1, stepMs: 300 });
    expect(r.late.total).toBe(2);
    expect(r.late.byOperator).toEqual({ count: 2 });
    expect(r.job.stats().lateRecordsDropped).toBe(2);
    expect(r.sinks.out.map((x) => x.value)).toEqual(
      expect.arrayContaining([
        { windowStart: 0, windowEnd: 100, key: 'a', value: 1 },
        { windowStart: 100, windowEnd: 200, key: 'a', value: 1 },
        { windowStart: 300, windowEnd: 400, key: 'a', value: 2 },
        { windowStart: 300, windowEnd: 400, key: 'b', value: 1 },
      ]),
    );
    expect(r.sinks.out).toHaveLength(4);
  });
});

describe('early firing (ContinuousProcessingTimeTrigger)', () => {
  it("emits changed windows on processing-time ticks; the last result of every window is the reference's", async () => {
    const { referenceEngine } = await import('../../../engines/reference/index.js');
    const { runBounded } = await import('../../support/run-bounded.js');
    const b = new DataflowBuilder('early');
    b.source<E>('events')
      .withTimestamps((e) => e.t, { maxDelay: 20 }, 'timestamps')
      .keyBy((e) => e.k)
      .window(tumbling(500))
      .aggregate(count(), { name: 'count', earlyFiring: { everyMs: 40 } })
      .sink('out');
    const flow = b.build();
    const input: E[] = Array.from({ length: 1200 }, (_, i) => ({ t: i * 2 - (i % 7), k: `k${i % 5}` }));
    for (const parallelism of [1, 3]) {
      const r = await runStepped(flow, input, { parallelism, perStep: 10, stepMs: 5 });
      const last = new Map<string, number>();
      const emitted = new Map<string, number>();
      for (const rec of r.sinks.out) {
        const v = rec.value as WindowResult<string, number>;
        const id = `${v.key}|${v.windowStart}`;
        if (last.has(id)) expect(v.value).toBeGreaterThanOrEqual(last.get(id)!);
        last.set(id, v.value);
        emitted.set(id, (emitted.get(id) ?? 0) + 1);
      }
      expect([...emitted.values()].some((n) => n > 2)).toBe(true);
      expect(r.job.stats().earlyResults).toBeGreaterThan(0);
      const ref = await runBounded(referenceEngine, flow, input, { parallelism });
      const finals = new Map<string, number>();
      for (const rec of ref.sinks.out) {
        const v = rec.value as WindowResult<string, number>;
        finals.set(`${v.key}|${v.windowStart}`, v.value);
      }
      expect(new Map([...last].sort())).toEqual(new Map([...finals].sort()));
    }
  });
});
