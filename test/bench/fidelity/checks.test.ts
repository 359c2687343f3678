import { describe, expect, it } from 'vitest';
import type { OptionValue } from '../../../engines/api/index.js';
import type { FidelityTrial, TrialRunner } from '../../../bench/fidelity/check.js';
import { CHECKS, runFidelity } from '../../../bench/fidelity/index.js';
import { NEXMARK_FLINK, YSB_2020 } from '../../../bench/fidelity/published.js';
import type { RunResult } from '../../../reports/schema.js';
import { fakeRun } from '../../reports/compare/fake-results.js';

/** Answers each trial with figures chosen by the test; records what was asked. */
class ScriptedTrials implements TrialRunner {
  readonly asked: FidelityTrial[] = [];
  constructor(private readonly answer: (t: FidelityTrial) => Partial<RunResult>) {}
  async run(t: FidelityTrial): Promise<RunResult> {
    this.asked.push(t);
    return { ...fakeRun(t.engine, t.workload, this.asked.length), ...this.answer(t) };
  }
  async capacity(engine: string, workload: string, options = {}, durationMs = 3000): Promise<number> {
    const r = await this.run({ engine, workload, rate: 'max', warmupMs: 1000, durationMs, options });
    return r.throughput.inputEventsPerSec;
  }
  /** The unthrottled rate, taken as sustainable (no search probes). */
  async sustainable(engine: string, workload: string, options: Record<string, OptionValue>, probeMs: number) {
    const capacity = await this.capacity(engine, workload, options, probeMs);
    return { capacity, sustainable: capacity, summary: 'scripted' };
  }
}

const ysbStats = (p50: number, p90: number) => ({
  workloadStats: {
    sinkMode: 'flush',
    ysbLatency: { windows: 100, updates: 300, truncated: 0, p50, p90, p99: p90 + 50, max: p90 + 60, mean: p50 },
  },
});

describe('fidelity: ysb-latency', () => {
  const ysb = CHECKS['ysb-latency'];

  it('runs each engine at the published fractions of its own sustainable throughput, with YSB 2020 conditions', async () => {
    const trials = new ScriptedTrials((t) =>
      t.rate === 'max' ? { throughput: { inputEventsPerSec: 80_000, outputRecordsPerSec: 0 } } : ysbStats(500, 900),
    );
    await ysb.run(trials, ['flink']);
    const rates = trials.asked.map((t) => t.rate);
    expect(rates).toEqual(['max', 10_000, 22_000, 34_000]);
    expect(trials.asked[1].options).toMatchObject({
      'ysb.sinkMode': 'flush',
      'ysb.window': 10_000,
      'ysb.flushInterval': 1000,
      'spark.batchInterval': 3000,
    });
  });

  it('holds when per-event engines sit near half the flush and spark near its batch interval, above them', async () => {
    const trials = new ScriptedTrials((t) =>
      t.rate === 'max'
        ? { throughput: { inputEventsPerSec: 80_000, outputRecordsPerSec: 0 } }
        : t.engine === 'spark'
          ? ysbStats(2400, 2700)
          : ysbStats(600, 1100),
    );
    const outcome = await ysb.run(trials, ['flink', 'storm', 'spark']);
    expect(outcome.holds).toBe(true);
    expect(outcome.rows).toHaveLength(12);
    expect(outcome.rows[1].published).toBe(
      `${YSB_2020.latency.flink[0].p50} / ${YSB_2020.latency.flink[0].p90} / ${YSB_2020.latency.flink[0].p99} ms`,
    );
  });

  it("fails, saying where, when a per-event engine's p50 is far below half the flush", async () => {
    const trials = new ScriptedTrials((t) =>
      t.rate === 'max'
        ? { throughput: { inputEventsPerSec: 80_000, outputRecordsPerSec: 0 } }
        : t.engine === 'storm'
          ? ysbStats(120, 200)
          : ysbStats(600, 1100),
    );
    const outcome = await ysb.run(trials, ['flink', 'storm']);
    expect(outcome.holds).toBe(false);
    expect(outcome.rows.filter((r) => r.holds === false).map((r) => r.label.split(' ')[0])).toEqual(['storm', 'storm', 'storm']);
    expect(outcome.finding).toContain('storm p50 0.12x the flush interval');
  });
});

describe('fidelity: nexmark-per-core', () => {
  it("compares each query's cost relative to q0 with the published ratios", async () => {
    // CPU such that every query runs at the published per-core figure: every ratio is exact.
    const published: Record<string, number> = NEXMARK_FLINK.perCore;
    const trials = new ScriptedTrials((t) => ({
      input: { events: published[t.workload], eventsTotal: 0, rate: 'max', source: 'generator' },
      resources: { cpuUserMs: 900, cpuSystemMs: 100, heapPeakBytes: 0, rssPeakBytes: 0 },
    }));
    const holds = await CHECKS['nexmark-per-core'].run(trials, ['flink']);
    expect(holds.holds).toBe(true);
    expect(trials.asked.every((t) => t.engine === 'flink' && t.rate === 'max')).toBe(true);

    const flat = new ScriptedTrials(() => ({}));
    const fails = await CHECKS['nexmark-per-core'].run(flat, ['flink']);
    expect(fails.holds).toBe(false);
    expect(fails.finding).toContain('q0/q7 1.00x against 12.6x published');
  });
});

describe('runFidelity', () => {
  it('skips a check that does not fit the budget, and one whose engines were not selected, saying why', async () => {
    const { checks, trials } = await runFidelity({
      engines: ['storm'],
      checks: ['nexmark-per-core', 'spark-batch-interval'],
      budgetMs: 1,
      seed: 1,
      isolation: 'inline',
    });
    expect(trials.runs).toHaveLength(0);
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['nexmark-per-core', 'skipped'],
      ['spark-batch-interval', 'skipped'],
    ]);
    expect(checks[0].finding).toBe('needs flink');
    const budget = await runFidelity({
      engines: ['spark'],
      checks: ['spark-batch-interval'],
      budgetMs: 1000,
      seed: 1,
      isolation: 'inline',
    });
    expect(budget.checks[0].finding).toMatch(/^needs about \d+ s, \d+ s of the budget left \(raise --budget\)$/);
    expect(budget.checks[0].criterion).toContain('mean batch processing time is below the interval');
  });
});
