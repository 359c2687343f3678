/**
 * Batch scheduling: the JobGenerator's batch times, the JobScheduler's queue (concurrentJobs), and the
 * batch timeline under overload: a batch that takes longer than the interval delays the next, so the
 * scheduling delay grows batch after batch.
 *
 * Virtual time throughout: a slow map spends ManualClock time per record (`elapse`), so a batch's
 * processing takes exactly as long as its records cost, whatever the machine's load.
 */
import { describe, expect, it } from 'vitest';
import { DataflowBuilder } from '../../../engines/api/index.js';
import { sparkEngine } from '../../../engines/spark/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { runVirtual } from './support.js';

/** A map that spends `ms` of `clock`'s time per record (work that costs virtual time). */
function slowFlow(ms: number, clock?: ManualClock) {
  const b = new DataflowBuilder('slow');
  b.source<number>('numbers')
    .map((x) => {
      clock?.elapse(ms);
      return x;
    }, 'slow')
    .sink('out');
  return b.build();
}

/** Runs `slowFlow(ms)` over `input` on virtual time with the slow map's own clock. */
function runSlow(ms: number, input: readonly number[], values: Record<string, number>) {
  const clock = new ManualClock(1_000_000);
  return runVirtual(sparkEngine, slowFlow(ms, clock), input, { values, clock });
}

describe('batch scheduling', () => {
  it('generates a batch at every multiple of the interval; without load the delays are zero (virtual time)', async () => {
    const input = Array.from({ length: 100 }, (_, i) => i);
    const r = await runVirtual(sparkEngine, slowFlow(0), input, {
      values: { batchInterval: 25, maxRatePerPartition: 400 },
      startMs: 1_000_010,
    });
    const batches = r.stats.batches;
    expect(batches.map((b) => b.time)).toEqual(Array.from({ length: 10 }, (_, i) => 1_000_025 + 25 * i));
    expect(batches.map((b) => b.records)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
    for (const b of batches) expect([b.schedulingDelayMs, b.processingDelayMs, b.totalDelayMs]).toEqual([0, 0, 0]);
    expect(r.stats.batchesTotal).toBe(10);
    expect(r.sinks.out.length).toBe(100);
  });

  it('under overload (processing about 3x the interval) the scheduling delay grows with every batch', async () => {
    // 20 ms batches of 60 records at 1 ms each: every batch waits for all earlier ones.
    const input = Array.from({ length: 480 }, (_, i) => i);
    const r = await runSlow(1, input, { batchInterval: 20, maxRatePerPartition: 3000 });
    const batches = r.stats.batches;
    expect(batches.length).toBe(8);
    for (const b of batches) {
      expect(b.records).toBe(60);
      // 60 records at 1 ms each, nothing else costs virtual time.
      expect(b.processingDelayMs).toBe(60);
      expect(b.totalDelayMs).toBe(b.schedulingDelayMs + b.processingDelayMs);
    }
    for (let i = 1; i < batches.length; i++) {
      expect(batches[i].schedulingDelayMs, `batch ${i}`).toBeGreaterThan(batches[i - 1].schedulingDelayMs);
    }
    expect(r.sinks.out.length).toBe(480);
  });

  it('concurrentJobs 1 runs batches strictly one after another; with 2, a batch starts while the previous one runs', async () => {
    const input = Array.from({ length: 320 }, (_, i) => i);
    const values = { batchInterval: 20, maxRatePerPartition: 2000 };
    const serial = await runSlow(1, input, values);
    const sb = serial.stats.batches;
    for (let i = 1; i < sb.length; i++) expect(sb[i].processingStartTime).toBeGreaterThanOrEqual(sb[i - 1].processingEndTime);
    const concurrent = await runSlow(1, input, { ...values, concurrentJobs: 2 });
    const cb = concurrent.stats.batches;
    expect(cb.length).toBe(8);
    expect(cb.some((b, i) => i > 0 && b.processingStartTime < cb[i - 1].processingEndTime)).toBe(true);
    expect(concurrent.sinks.out.length).toBe(320);
  });
});
