/**
 * Backpressure: a deliberately slow sink (its writer burns CPU per record) consumes slower than the
 * source reads. Credits run out, the tasks in between park back-pressured one after another, the source
 * stops reading the log, and the backlog grows in the log while the records inside the engine stay bounded
 * by its buffers. When the sink speeds up, everything drains and every record arrives.
 *
 * Real time is used (the slowness is real CPU work), but nothing is asserted about durations: the test
 * waits until the source is seen back-pressured, then checks counts.
 */
import { describe, expect, it } from 'vitest';
import { DataflowBuilder, type SinkSet } from '../../../engines/api/index.js';
import { systemClock } from '../../../engines/runtime/index.js';
import { startFlinkJob, type SourceStreamTask } from '../../../engines/flink/index.js';
import { EventLog } from '../../../bench/driver/index.js';
import { LateRecordCounter } from '../../../bench/metrics/index.js';
import { flinkValues } from './support.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('backpressure', () => {
  it('a slow sink stops the source; the backlog grows in the log; memory in the engine stays bounded', async () => {
    const b = new DataflowBuilder('slow-sink');
    b.source<number>('events')
      .map((x) => ({ x, y: x * 2 }), { name: 'double', hints: { flink: { disableChaining: true } } })
      .sink({ name: 'out', hints: { flink: { disableChaining: true } } });
    const flow = b.build();

    const total = 200_000;
    const log = new EventLog(1, systemClock);
    for (let k = 0; k < total; k++) log.append(0, k, k);
    log.publish();
    let slow = true;
    let written = 0;
    let sink = 0;
    const sinks: SinkSet = {
      get: () => ({
        write: () => {
          written++;
          if (slow) for (let i = 0; i < 20_000; i++) sink += Math.sqrt(i); // about 20-50 µs of CPU
        },
      }),
    };
    const bufferSize = 1024;
    const job = startFlinkJob(flow, { log, sinks, clock: systemClock, metrics: new LateRecordCounter() },
      { parallelism: 1, values: flinkValues({ bufferSize, bufferTimeout: 10 }) });
    const [source, middle, last] = job.tasks;
    expect(job.tasks.map((t) => t.chain.vertex.name)).toEqual(['Source: events', 'double', 'Sink: out']);

    // Wait until the source is parked on its output, and has been for a while.
    for (let i = 0; i < 1000 && !(source.isBackPressured && source.backPressuredMs > 50); i++) await pause(20);
    expect(source.isBackPressured).toBe(true);
    expect(middle.isBackPressured).toBe(true); // the stop propagated through the middle task

    const read = (source as SourceStreamTask).recordsIn;
    // The backlog grows in the log: the source has read only a sliver of it (the log counts a read batch
    // as read; the source stopped inside its last batch).
    expect(total - read - log.backlog).toBeGreaterThanOrEqual(0);
    expect(total - read - log.backlog).toBeLessThanOrEqual(512);
    expect(log.backlog).toBeGreaterThan(total / 2);
    // Records inside the engine are bounded by its buffers: two edges, each at most the producer's pool
    // (1 subpartition x 2 + 8 floating = 10 buffers) plus the consumer's 2 exclusive + 8 floating, plus the
    // ones being filled; a buffer of 1024 bytes holds about 30 records of this shape.
    const inFlight = read - written;
    const perBuffer = Math.ceil(bufferSize / 28);
    expect(inFlight).toBeLessThanOrEqual(2 * (10 + 10 + 2) * perBuffer);
    const stats = job.stats();
    expect((stats.buffers).maxOverdraftBuffers).toBeLessThanOrEqual(1);
    const before = read;
    await pause(100);
    // Still stopped: it reads only as fast as the sink frees buffers.
    expect((source as SourceStreamTask).recordsIn - before).toBeLessThan(total / 4);

    // The sink speeds up: everything drains, nothing is lost.
    slow = false;
    log.close();
    await job.drained();
    expect(written).toBe(total);
    expect(last.recordsIn).toBe(total);
    const tasks = job.stats().tasks;
    expect(tasks.find((t) => t.name === 'Source: events')!.backPressuredMs).toBeGreaterThan(0);
    expect(tasks.find((t) => t.name === 'Sink: out')!.backPressuredMs).toBe(0);
    expect(sink).toBeGreaterThan(0);
  });
});
