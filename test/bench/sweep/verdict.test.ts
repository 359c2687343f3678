import { describe, expect, it } from 'vitest';
import { uniform as rng } from '../../support/prng.js';
import type { TimeseriesSample } from '../../../reports/schema.js';
import { judge } from '../../../bench/sweep/index.js';

/** Measured samples every 0.5 s from t = 2 s: backlog and p50 latency as functions of time. */
function series(n: number, backlog: (t: number, i: number) => number, p50: (t: number, i: number) => number): TimeseriesSample[] {
  const warm: TimeseriesSample = {
    t: 1,
    phase: 'warmup',
    inputEventsPerSec: 0,
    outputRecordsPerSec: 0,
    backlog: 1e9,
    latency: { p50: 1e6, p99: 1e6, max: 1e6 },
    heapUsedBytes: 0,
    rssBytes: 0,
    cpuPercent: 0,
  };
  return [
    warm,
    ...Array.from({ length: n }, (_, i): TimeseriesSample => {
      const t = 2 + i * 0.5;
      const l = p50(t, i);
      return {
        t,
        phase: 'measure',
        inputEventsPerSec: 10_000,
        outputRecordsPerSec: 10_000,
        backlog: Math.max(0, Math.round(backlog(t, i))),
        latency: { p50: l, p99: l * 2, max: l * 3 },
        heapUsedBytes: 0,
        rssBytes: 0,
        cpuPercent: 50,
      };
    }),
  ];
}

describe('sustainability verdict', () => {
  it('a flat backlog and flat latency is sustained (warm-up samples are ignored)', () => {
    const v = judge(
      series(
        12,
        () => 20,
        () => 3,
      ),
      10_000,
    );
    expect(v.sustained).toBe(true);
    expect(v.backlogSlope).toBeCloseTo(0, 6);
    expect(v.reason).toMatch(/^kept up/);
  });

  it('a growing backlog is not: 5 % of the offered rate per second', () => {
    const v = judge(
      series(
        12,
        (t) => 500 * t,
        () => 3,
      ),
      10_000,
    );
    expect(v.sustained).toBe(false);
    expect(v.backlogSlope).toBeCloseTo(500, 6);
    expect(v.reason).toMatch(/backlog keeps growing: backlog slope 500 ev\/s \(limit 100\)/);
  });

  it('a noisy but flat backlog is sustained, even with a micro-batch sawtooth', () => {
    // Noise below the slope limit over the window (100 ev/s x 5 s between the thirds' centres) is sustained
    // whatever the draw. (Noise of half a second of input, 5000 events, is not: the thirds' peaks then differ
    // by more than the limit for some draws, and an earlier version of this test passed only by its seed.)
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const noisy = judge(
        series(
          16,
          () => 400 * r(),
          () => 2 + r(),
        ),
        10_000,
      );
      expect(noisy.sustained, `seed ${seed}: ${noisy.reason}`).toBe(true);
    }
    const sawtooth = judge(
      series(
        16,
        (_t, i) => (i % 2 === 0 ? 9000 : 0),
        (_t, i) => (i % 2 === 0 ? 900 : 400),
      ),
      10_000,
    );
    expect(sawtooth.sustained).toBe(true);
  });

  it('a slowly growing backlog under the 1 % limit is sustained, just over it is not', () => {
    expect(
      judge(
        series(
          12,
          (t) => 90 * t,
          () => 3,
        ),
        10_000,
      ).sustained,
    ).toBe(true);
    expect(
      judge(
        series(
          12,
          (t) => 110 * t,
          () => 3,
        ),
        10_000,
      ).sustained,
    ).toBe(false);
  });

  it('micro-batch latency, present in every other sample and noisy by half an interval, is sustained', () => {
    const r = rng(11);
    const v = judge(
      series(
        14,
        (_t, i) => (i % 2 ? 8000 : 0),
        (_t, i) => (i % 2 ? 300 + 400 * r() : Number.NaN),
      ).map((s) => (Number.isNaN(s.latency!.p50) ? { ...s, latency: null } : s)),
      10_000,
    );
    expect(v.sustained, v.reason).toBe(true);
  });

  it('a latency step during the window is not sustained, though the backlog is flat', () => {
    const v = judge(
      series(
        12,
        () => 0,
        (_t, i) => (i < 6 ? 4 : 250),
      ),
      10_000,
    );
    expect(v.sustained).toBe(false);
    expect(v.latencyGrowthMs).toBe(246);
    expect(v.reason).toMatch(/latency keeps rising/);
  });

  it('steadily rising latency is not sustained; noise around a high level is', () => {
    expect(
      judge(
        series(
          12,
          () => 0,
          (t) => 100 * t,
        ),
        10_000,
      ).sustained,
    ).toBe(false);
    const r = rng(3);
    expect(
      judge(
        series(
          12,
          () => 0,
          () => 1000 * (0.8 + 0.4 * r()),
        ),
        10_000,
      ).sustained,
    ).toBe(true);
  });

  it('judges a micro-batch sawtooth by its peaks, wherever the window falls in the batch cycle', () => {
    // 1 s batches sampled every 0.5 s: the backlog fills to 10 000 and empties, 12 samples.
    for (const phase of [0, 1]) {
      const flat = judge(
        series(
          12,
          (_t, i) => ((i + phase) % 2 === 1 ? 10_000 : 0),
          () => 500,
        ),
        10_000,
      );
      expect(flat.sustained, `phase ${phase}`).toBe(true);
      expect(flat.backlogSlope).toBe(0);
    }
    // the same sawtooth rising by 500 events per batch: 5 % of the offered rate per second
    const growing = judge(
      series(
        12,
        (_t, i) => (i % 2 === 1 ? 10_000 + 250 * i : 0),
        () => 500,
      ),
      10_000,
    );
    expect(growing.sustained).toBe(false);
    expect(growing.reason).toMatch(/backlog keeps growing/);
  });

  it('too few measured samples cannot be judged and say so', () => {
    const v = judge(
      series(
        2,
        () => 0,
        () => 3,
      ),
      10_000,
    );
    expect(v.sustained).toBe(false);
    expect(v.reason).toMatch(/only 2 samples in the measurement window \(need 6\)/);
  });
});
