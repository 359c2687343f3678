/**
 * A job's life: an unbounded run stops on request and emits nothing afterwards (no timer left behind); a
 * failing user function fails the job through drained(), naming the task.
 */
import { describe, expect, it } from 'vitest';
import { count, DataflowBuilder, tumbling } from '../../../engines/api/index.js';
import { runStepped, type Ev, events } from './support.js';

describe('job lifecycle', () => {
  it('stop() ends an unbounded run: nothing is emitted afterwards and no timer is left', async () => {
    const b = new DataflowBuilder('unbounded');
    b.source<Ev>('events')
      .withTimestamps((e) => e.t, { maxDelay: 10 }, 'timestamps')
      .keyBy((e) => e.k)
      .window(tumbling(50))
      .aggregate(count(), 'count')
      .sink('out');
    const input = events(41, 2000, { jitter: 9 });
    const r = await runStepped(b.build(), input.slice(0, 1000), { parallelism: 3, close: false, values: { checkpointInterval: 100 } });
    expect(r.sinks.out.length).toBeGreaterThan(0);
    await r.job.stop();
    await r.job.drained();
    const emitted = r.sinks.out.length;
    input.slice(1000).forEach((e, i) => r.log.append(i % 3, e, 1000 + i));
    r.log.publish();
    r.log.close();
    r.clock.advance(10_000);
    expect(r.sinks.out.length).toBe(emitted);
    expect(r.clock.pendingTimers).toBe(0);
  });

  it("a throwing user function fails drained() with the task's name", async () => {
    const b = new DataflowBuilder('failing');
    b.source<number>('events')
      .map(
        (x) => {
          if (x === 7) throw new Error('bad record');
          return x;
        },
        { name: 'fragile', hints: { flink: { disableChaining: true } } },
      )
      .sink('out');
    await expect(
      runStepped(
        b.build(),
        Array.from({ length: 20 }, (_, i) => i),
      ),
    ).rejects.toThrow(/task fragile \(1\/1\) failed: bad record/);
  });
});
