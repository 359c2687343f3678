/**
 * Backpressure: a deliberately slow sink (each write spends 30 µs of the ManualClock's time, so the
 * scheduler's time slices end after few sink records while the source fills a whole slice) consumes slower
 * than the source reads. Credits run out, the tasks in between park back-pressured one after another, the
 * source stops reading the log, and the backlog grows in the log while the records inside the engine stay
 * bounded by its buffers. When the sink speeds up, everything drains and every record arrives.
 *
 * Virtual time: the whole run happens inside the clock's deferred work, so the state mid-run is observed
 * from the sink itself, at fixed record counts: deterministic on any machine.
 */
import { describe, expect, it } from 'vitest';
import { DataflowBuilder, type SinkSet } from '../../../engines/api/index.js';
import { ManualClock, RECORD_HEADER_BYTES } from '../../../engines/runtime/index.js';
import { startFlinkJob, type SourceStreamTask } from '../../../engines/flink/index.js';
import { EventLog } from '../../../bench/driver/index.js';
import { LateRecordCounter } from '../../../bench/metrics/index.js';
import { driveUntilDrained, VIRTUAL_START_MS } from '../../support/run-bounded.js';
import { flinkValues } from './support.js';

describe('backpressure', () => {
  it('a slow sink stops the source; the backlog grows in the log; memory in the engine stays bounded', async () => {
    const b = new DataflowBuilder('slow-sink');
    b.source<number>('events')
      .map((x) => ({ x, y: x * 2 }), { name: 'double', hints: { flink: { disableChaining: true } } })
      .sink({ name: 'out', hints: { flink: { disableChaining: true } } });
    const flow = b.build();

    const total = 200_000;
    const clock = new ManualClock(VIRTUAL_START_MS);
    const log = new EventLog(1, clock);
    for (let k = 0; k < total; k++) log.append(0, k, k);
    log.close();
    const bufferSize = 1024;
    /** What the sink saw every 500 records from its 20 000th to its 30 000th, while still slow. */
    const seen: {
      read: number;
      written: number;
      backlog: number;
      sourceBackPressured: boolean;
      middleBackPressured: boolean;
      sourceBackPressuredMs: number;
    }[] = [];
    let written = 0;
    const sinks: SinkSet = {
      get: () => ({
        write: () => {
          written++;
          if (written <= 30_000) clock.elapse(0.03);
          if (written >= 20_000 && written <= 30_000 && written % 500 === 0) {
            const [source, middle] = job.tasks;
            const now = clock.now();
            seen.push({
              read: (source as SourceStreamTask).recordsIn,
              written,
              backlog: log.backlog,
              sourceBackPressured: source!.isBackPressured,
              middleBackPressured: middle!.isBackPressured,
              sourceBackPressuredMs: source!.backPressuredMs + (source!.isBackPressured ? now - source!.backPressuredSinceMs : 0),
            });
          }
        },
      }),
    };
    const job = startFlinkJob(
      flow,
      { log, sinks, clock, metrics: new LateRecordCounter() },
      { parallelism: 1, values: flinkValues({ bufferSize, bufferTimeout: 10 }) },
    );
    expect(job.tasks.map((t) => t.chain.vertex.name)).toEqual(['Source: events', 'double', 'Sink: out']);
    await driveUntilDrained(job, { kind: 'next-timer' }, clock, total);

    const at20k = seen[0]!;
    const at30k = seen[seen.length - 1]!;
    expect(seen).toHaveLength(21);
    // Both upstream tasks park back-pressured again and again (each wakes briefly when a credit returns).
    expect(seen.some((s) => s.sourceBackPressured)).toBe(true);
    expect(seen.some((s) => s.middleBackPressured)).toBe(true); // the stop propagated through the middle task
    // The backlog grows in the log: the source has read only a sliver of it.
    expect(at20k.backlog).toBeGreaterThan(total / 2);
    // Records inside the engine are bounded by its buffers: two edges, each at most the producer's pool
    // (1 subpartition x 2 + 8 floating = 10 buffers) plus the consumer's 2 exclusive + 8 floating, plus the
    // ones being filled; a buffer of 1024 bytes holds about 30 records of this shape (at most one per
    // frame header's worth of bytes).
    const perBuffer = Math.ceil(bufferSize / RECORD_HEADER_BYTES);
    for (const s of seen) expect(s.read - s.written, `in flight at ${s.written}`).toBeLessThanOrEqual(2 * (10 + 10 + 2) * perBuffer);
    // Still held back 10 000 slow records (300 virtual ms) later: it reads only as fast as the sink frees
    // buffers, parking whenever its output has no buffer left.
    expect(at30k.read - at20k.read).toBeLessThanOrEqual(10_000 + 2 * (10 + 10 + 2) * perBuffer);
    expect(at30k.sourceBackPressuredMs).toBeGreaterThan(at20k.sourceBackPressuredMs);

    // The sink sped up after 30 000 records: everything drained, nothing is lost.
    expect(written).toBe(total);
    const stats = job.stats();
    expect(stats.buffers.maxOverdraftBuffers).toBeLessThanOrEqual(1);
    expect(stats.tasks.find((t) => t.name === 'Sink: out')!.recordsIn).toBe(total);
    expect(stats.tasks.find((t) => t.name === 'Source: events')!.backPressuredMs).toBeGreaterThan(0);
    expect(stats.tasks.find((t) => t.name === 'Sink: out')!.backPressuredMs).toBe(0);
  });
});
