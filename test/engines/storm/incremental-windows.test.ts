/**
 * `storm.windowing=incremental` (the non-Storm optimisation): windowed bolts are driven by watermark
 * tuples that timestamps bolts emit every watermark interval; a task's watermark is the minimum over its
 * input channels; windows fire while the input is still open, and the window's tuples are acked when the
 * window fires.
 */
import { describe, expect, it } from 'vitest';
import { count, DataflowBuilder, tumbling, type WindowResult } from '../../../engines/api/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { stormEngine } from '../../../engines/storm/index.js';
import type { SupervisedTopology } from '../../../engines/storm/index.js';
import { EventLog } from '../../../bench/driver/index.js';
import { LateRecordCounter } from '../../../bench/metrics/index.js';
import { drive, START, stormValues } from './support/virtual-run.js';

interface Ev {
  t: number;
  k: string;
}

function flow() {
  const b = new DataflowBuilder('wm');
  b.source<Ev>('events')
    .withTimestamps((e) => e.t, { maxDelay: 10 }, 'timestamps')
    .keyBy((e) => e.k)
    .window(tumbling(100))
    .aggregate(count<Ev>(), 'count')
    .sink('out');
  return b.build();
}

describe('storm.windowing=incremental: watermark tuples', () => {
  for (const parallelism of [1, 3]) {
    it(`fire windows every watermark interval while the input is open (parallelism ${parallelism})`, async () => {
      const clock = new ManualClock(START);
      const log = new EventLog(parallelism, clock);
      const out: { value: WindowResult<string, number>; at: number }[] = [];
      const sinks = {
        get: () => ({ write: (value: unknown) => out.push({ value: value as WindowResult<string, number>, at: clock.now() }) }),
      };
      const late = new LateRecordCounter();
      const job = (
        (await stormEngine.start(
          flow(),
          { log, sinks, clock, metrics: late },
          { parallelism, values: stormValues({ watermarkInterval: 1000, windowing: 'incremental' }) },
        )) as SupervisedTopology
      ).topology;
      let k = 0;
      const append = (from: number, to: number) => {
        for (let t = from; t < to; t += 2) log.append(k++ % parallelism, { t, k: `k${t % 3}` }, t);
        log.publish();
      };
      // Event time 0..249: after one interval the watermark is 249 - 10 - 1 = 238 on every channel:
      // windows [0,100) and [100,200) fire, [200,300) stays open.
      append(0, 250);
      await drive(clock, () => clock.now() >= START + 1000 && out.length >= 6, 5000);
      expect(out.map((o) => o.value.windowStart).sort()).toEqual([0, 0, 0, 100, 100, 100]);
      expect(out.every((o) => o.at >= START + 1000 && o.at < START + 2000)).toBe(true);
      // Those windows' tuples are acked (expired); the open window's are not yet.
      const pendingBefore = job.stats().acker!.pending;
      expect(job.stats().acked).toBe(100 * 1);
      expect(pendingBefore).toBe(25);
      append(250, 420);
      log.close();
      await drive(clock, () => job.isEnded);
      const byWindow = new Map<number, number>();
      for (const o of out) byWindow.set(o.value.windowStart, (byWindow.get(o.value.windowStart) ?? 0) + o.value.value);
      expect([...byWindow].sort((a, b) => a[0] - b[0])).toEqual([
        [0, 50],
        [100, 50],
        [200, 50],
        [300, 50],
        [400, 10],
      ]);
      expect(late.total).toBe(0);
      expect(job.stats().acked).toBe(210);
    });
  }
});
