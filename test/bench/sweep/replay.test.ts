import { describe, expect, it } from 'vitest';
import { runSweeps, type ProbeRecord, type SweepSpec } from '../../../bench/sweep/index.js';
import type { SweepPoint } from '../../../reports/schema.js';

const spec = (engines: string[], budgetMs: number, precision: number): SweepSpec => ({
  engines,
  workload: 'stateless',
  rates: [],
  findSustainable: true,
  budgetMs,
  trials: 1,
  precision,
  isolation: 'inline',
  base: { parallelism: 1, seed: 42, options: {}, drainTimeoutMs: 30_000, warmupMs: 1000, durationMs: 2000 },
});

function point(offeredRate: number, verdict: 'sustained' | 'unsustained'): SweepPoint {
  const l = { p50: 1, p90: 2, p99: 3, p999: 4, max: 5 };
  return {
    offeredRate,
    achievedInputThroughput: offeredRate,
    latency: l,
    processingLatency: l,
    backlogSlope: 0,
    latencyGrowthMs: 0,
    verdict,
    reason: 'given',
    trial: 1,
    durationMs: 2000,
  };
}

const probe = (engine: string, rate: number | 'max', elapsedMs: number, result: ProbeRecord['result']): ProbeRecord => ({
  setting: 0,
  engine,
  rate,
  trial: 1,
  elapsedMs,
  result,
});

/** Runs the sweep on a journal; every probe it would run for real is counted (and must be none here). */
async function replay(s: SweepSpec, journal: ProbeRecord[]) {
  const live: string[] = [];
  let clock = 1_000_000;
  const sweeps = await runSweeps(s, { probeStarted: (engine, rate) => live.push(`${engine}@${rate}`) }, () => clock++, journal);
  return { sweeps, live };
}

describe('a sweep resumed from its journal', () => {
  it('takes the search to the same end from the journaled verdicts, measuring nothing again', async () => {
    const { sweeps, live } = await replay(spec(['reference'], 600_000, 0.5), [
      probe('reference', 'max', 4000, { capacity: 8000 }),
      probe('reference', 2000, 9000, point(2000, 'sustained')),
      probe('reference', 4000, 14000, point(4000, 'sustained')),
      probe('reference', 6000, 19000, point(6000, 'unsustained')),
    ]);
    expect(live).toEqual([]);
    expect(sweeps).toHaveLength(1);
    expect(sweeps[0].capacityEventsPerSec).toBe(8000);
    expect(sweeps[0].points.map((p) => [p.offeredRate, p.verdict])).toEqual([
      [2000, 'sustained'],
      [4000, 'sustained'],
      [6000, 'unsustained'],
    ]);
    expect(sweeps[0].sustainableEventsPerSec).toBe(4000);
    expect(sweeps[0].search).toBe('bracket [4000, 6000] events/s, within 50 %');
  });

  it("ends a search where the interrupted run's budget ended it, and counts the budget on from the journal's time", async () => {
    // 20 s budget, 4.5 s per probe. The run stopped the reference search after one ramp probe (the next
    // journaled probe is flink's) and was killed after flink's capacity probe, at 19 s.
    const { sweeps, live } = await replay(spec(['reference', 'flink'], 20_000, 0.05), [
      probe('reference', 'max', 3000, { capacity: 8000 }),
      probe('reference', 2000, 8000, point(2000, 'sustained')),
      probe('flink', 'max', 19000, { capacity: 6000 }),
    ]);
    expect(live).toEqual([]); // 1 s of budget left: flink's search has no time for a probe
    expect(sweeps.map((s) => [s.engine, s.sustainableEventsPerSec, s.search])).toEqual([
      ['reference', 2000, 'budget exhausted during the ramp'],
      ['flink', null, 'budget exhausted before the first probe'],
    ]);
  });

  it('refuses a journal that probed what this sweep does not', async () => {
    await expect(
      replay(spec(['reference'], 600_000, 0.5), [
        probe('reference', 'max', 4000, { capacity: 8000 }),
        probe('reference', 3000, 9000, point(3000, 'sustained')),
      ]),
    ).rejects.toThrow(
      /the journal's probe 2 is reference at 3000 ev\/s \(setting 1, trial 1\), but this sweep's is reference at 2000 ev\/s/,
    );
  });
});
