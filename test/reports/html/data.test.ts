import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../engines/runtime/index.js';
import { groupRuns, phaseBands, representativeRun, sampleSeries, type ReportSource } from '../../../reports/html/data.js';
import { decimateByMax, decimateMinMax, type Point } from '../../../reports/html/decimate.js';
import { digestAgreement } from '../../../reports/html/digests.js';
import { median } from '../../../reports/compare/quantile.js';
import { cpuSecondsPerMillion, FIGURES } from '../../../reports/html/figures.js';
import { percentileCurve, quantileOfX } from '../../../reports/html/percentile-curve.js';
import type { RunResult } from '../../../reports/schema.js';
import { SeededRandom } from '../../../engines/api/index.js';
import { syntheticResults, syntheticRun } from './fixtures.js';

const source = (label: string, spec: Parameters<typeof syntheticResults>[0] = {}): ReportSource => ({
  label,
  results: syntheticResults(spec),
});

describe('groupRuns', () => {
  it('groups trials by engine and workload, in order, and names pairs found in two files after the file', () => {
    const { groups, skipped } = groupRuns([
      source('a.json', { engines: ['reference', 'flink'], workloads: ['wordcount'], trials: 2 }),
      source('b.json', { engines: ['flink'], workloads: ['wordcount'], trials: 1 }),
    ]);
    expect(skipped).toEqual([]);
    expect(groups.map((g) => [g.label, g.runs.map((r) => r.trial)])).toEqual([
      ['reference', [1, 2]],
      ['flink (a.json)', [1, 2]],
      ['flink (b.json)', [1]],
    ]);
    expect(new Set(groups.map((g) => g.id)).size).toBe(3);
  });

  it('keeps failed trials apart and skips entries it cannot read, saying why', () => {
    const results = syntheticResults({ engines: ['reference'], workloads: ['wordcount'], trials: 1 });
    results.runs.push({ engine: 'reference', workload: 'wordcount', trial: 2, status: 'failed', error: 'boom' });
    (results.runs as unknown[]).push({ engine: 'reference', workload: 'wordcount', trial: 3, status: 'ok' }, null);
    const { groups, skipped } = groupRuns([{ label: 'x', results }]);
    expect(groups[0]!.failed.map((f) => f.error)).toEqual(['boom']);
    expect(skipped.map((s) => s.reason)).toEqual(['throughput missing', 'not an object']);
  });
});

describe('representativeRun', () => {
  it('is the trial with the median input throughput', () => {
    const runs = [30, 10, 20].map((rate, i) => ({
      ...syntheticRun({ engine: 'e', workload: 'w', trial: i + 1, latencyMs: 1 }, i),
      throughput: { inputEventsPerSec: rate, outputRecordsPerSec: 0 },
    }));
    expect(representativeRun({ id: 'g', engine: 'e', workload: 'w', label: 'e', source: 0, runs, failed: [] })!.trial).toBe(3);
    expect(representativeRun({ id: 'g', engine: 'e', workload: 'w', label: 'e', source: 0, runs: [], failed: [] })).toBeUndefined();
  });
});

describe('decimation', () => {
  it('keeps at most the limit, in x order, with every extreme of the series', () => {
    const random = new SeededRandom(3);
    const points: Point[] = Array.from({ length: 3600 }, (_, i) => ({ x: i, y: random.next() }));
    points[1234]!.y = 50; // a spike
    points[2345]!.y = -50; // a dip
    const out = decimateMinMax(points, 500);
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out.map((p) => p.x)).toEqual([...out.map((p) => p.x)].sort((a, b) => a - b));
    expect(out).toContainEqual({ x: 1234, y: 50 });
    expect(out).toContainEqual({ x: 2345, y: -50 });
  });

  it('keeps gaps that span a whole bucket, and short series unchanged', () => {
    const points: Point[] = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: i >= 400 && i < 600 ? null : 1 }));
    expect(decimateMinMax(points, 100).some((p) => p.y === null)).toBe(true);
    const short = [
      { x: 0, y: 1 },
      { x: 1, y: null },
    ];
    expect(decimateMinMax(short, 100)).toEqual(short);
  });

  it('keeps the worst item of each run for bar charts', () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ i, delay: i === 777 ? 1e6 : i % 10 }));
    const out = decimateByMax(items, 100, (b) => b.delay);
    expect(out).toHaveLength(100);
    expect(out.some((b) => b.i === 777)).toBe(true);
  });
});

describe('percentileCurve', () => {
  it('follows the merged histograms: min first, max at x = count, quantiles in between', () => {
    const random = new SeededRandom(11);
    const parts = [new LatencyHistogram(), new LatencyHistogram()];
    const all = new LatencyHistogram();
    for (let i = 0; i < 20000; i++) {
      const v = random.next() * 100;
      parts[i % 2]!.record(v);
      all.record(v);
    }
    const curve = percentileCurve(parts.map((h) => h.toJSON()));
    expect(curve[0]).toEqual({ x: 1, y: all.min });
    expect(curve[curve.length - 1]).toEqual({ x: 20000, y: all.max });
    for (let i = 1; i < curve.length; i++) {
      expect(curve[i]!.x).toBeGreaterThan(curve[i - 1]!.x);
      expect(curve[i]!.y).toBeGreaterThanOrEqual(curve[i - 1]!.y!);
    }
    const p99 = curve.find((p) => Math.abs(p.x - 100) < 1e-6)!;
    expect(p99.y).toBe(all.quantile(0.99));
    expect(quantileOfX(1000)).toBeCloseTo(0.999, 12);
  });

  it('is empty without values, and draws zero latency at the 1 µs floor', () => {
    expect(percentileCurve([new LatencyHistogram().toJSON()])).toEqual([]);
    const zero = new LatencyHistogram();
    zero.recordMany(0, 10);
    expect(percentileCurve([zero.toJSON()]).every((p) => p.y === 0.001)).toBe(true);
  });
});

describe('time series and phases', () => {
  it('samples one series per trial and shades warm-up and drain', () => {
    const run = syntheticRun({ engine: 'e', workload: 'w', trial: 1, latencyMs: 2, seconds: 6 }, 5);
    const series = sampleSeries(run, (s) => s.latency?.p99);
    expect(series).toHaveLength(6);
    expect(series[0]!.y).toBeNull(); // no sink record in the first second
    expect(phaseBands(run)).toEqual([
      { from: 0, to: 1, label: 'warm-up' },
      { from: run.timeseries[4]!.t, to: run.timeseries[5]!.t, label: 'drain' },
    ]);
  });
});

describe('digestAgreement', () => {
  const digests = (spec: Parameters<typeof syntheticResults>[0]) => {
    const { groups } = groupRuns([{ label: 'x', results: syntheticResults(spec) }]);
    const agreement = digestAgreement(groups);
    return Object.fromEntries(groups.map((g) => [`${g.engine}/${g.workload}`, agreement.get(g.id)!.status]));
  };

  it('compares engines only when the input came from a file', () => {
    expect(digests({ engines: ['reference', 'flink'], workloads: ['wordcount'] })).toEqual({
      'reference/wordcount': 'not-comparable',
      'flink/wordcount': 'not-comparable',
    });
  });

  it('holds every engine against the reference engine for the same input', () => {
    // The fixture gives storm a different digest from everyone else.
    expect(digests({ engines: ['reference', 'flink', 'storm'], workloads: ['wordcount'], input: 'file' })).toEqual({
      'reference/wordcount': 'agrees',
      'flink/wordcount': 'agrees',
      'storm/wordcount': 'differs',
    });
    expect(digests({ engines: ['flink'], workloads: ['wordcount'], input: 'file' })).toEqual({ 'flink/wordcount': 'alone' });
  });

  it('says when an engine\u2019s own trials disagree', () => {
    const results = syntheticResults({ engines: ['reference', 'flink'], workloads: ['wordcount'], input: 'file', trials: 2 });
    (results.runs[3] as RunResult).output.digest = '1:0000000000000000';
    const { groups } = groupRuns([{ label: 'x', results }]);
    expect(digestAgreement(groups).get(groups[1]!.id)!.status).toBe('inconsistent');
  });
});

describe('figures', () => {
  it('computes medians and CPU seconds per million events', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeUndefined();
    const run = syntheticRun({ engine: 'e', workload: 'w', trial: 1, latencyMs: 1 }, 1);
    run.resources.cpuUserMs = 1500;
    run.resources.cpuSystemMs = 500;
    run.input.events = 4_000_000;
    expect(cpuSecondsPerMillion(run)).toBe(0.5);
    expect(FIGURES.map((f) => f.key)).toContain('eventTime.p999');
  });
});
