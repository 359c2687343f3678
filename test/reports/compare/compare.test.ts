import { describe, expect, it } from 'vitest';
import { compareResults, CompareInputError, parseThresholds, type ComparisonRow } from '../../../reports/compare/index.js';
import type { ResultsFile } from '../../../reports/schema.js';
import { failedRun, fakeResults, fakeRun, trialsOf, type FakeFigures } from './fake-results.js';

const f = (results: ResultsFile, label: string) => ({ label, results });
const row = (rows: ComparisonRow[], engine: string, workload: string, metric: string) =>
  rows.find((r) => r.engine === engine && r.workload === workload && r.metric === metric)!;

/** Five trials with small noise around the given figures. */
function steady(base: FakeFigures, factor = 1): FakeFigures[] {
  return [1, 1.01, 0.99, 1.005, 0.995].map((k) => ({
    throughput: ((base.throughput ?? 100_000) * k) / factor,
    p50: (base.p50 ?? 10) * k * factor,
    p99: (base.p99 ?? 40) * k * factor,
    cpuMs: (base.cpuMs ?? 1000) * k * factor,
    heap: (base.heap ?? 50e6) * k,
  }));
}

describe('compareResults', () => {
  it('compares every engine, workload and metric present in both; no verdict for the same distribution', () => {
    const a = fakeResults([...trialsOf('reference', 'wordcount', steady({})), ...trialsOf('reference', 'stateless', steady({}))]);
    const b = fakeResults([...trialsOf('reference', 'wordcount', steady({}).reverse()), ...trialsOf('reference', 'stateless', steady({}))]);
    const report = compareResults(f(a, 'a.json'), f(b, 'b.json'));
    expect(report.rows.length).toBe(2 * 11);
    expect(new Set(report.rows.map((r) => r.metric))).toEqual(
      new Set(['throughput', 'p50', 'p90', 'p99', 'p999', 'proc-p50', 'proc-p90', 'proc-p99', 'proc-p999', 'cpu', 'heap']),
    );
    expect(report.rows.every((r) => r.verdict === 'unchanged')).toBe(true);
    expect(report.summary).toMatchObject({ outcome: 'pass', exitCode: 0, regressions: 0 });
    const t = row(report.rows, 'reference', 'wordcount', 'throughput');
    expect(t.baseline).toMatchObject({ n: 5, median: 100_000 });
    expect(t.change).toBeCloseTo(0, 12);
    expect(t.interval!.low).toBeLessThanOrEqual(0);
    expect(t.interval!.high).toBeGreaterThanOrEqual(0);
    expect(report.confidence).toBeCloseTo(0.9, 12);
  });

  it('finds a 25 % slowdown as regressions of throughput, latency and CPU, and nothing else', () => {
    const a = fakeResults(trialsOf('flink', 'wordcount', steady({})));
    const b = fakeResults(trialsOf('flink', 'wordcount', steady({}, 1.25)));
    const report = compareResults(f(a, 'a'), f(b, 'b'));
    const t = row(report.rows, 'flink', 'wordcount', 'throughput');
    expect(t.verdict).toBe('regression');
    expect(t.change).toBeCloseTo(1 / 1.25 - 1, 12);
    expect(t.pWorse).toBeCloseTo(1 / 252, 12);
    expect(row(report.rows, 'flink', 'wordcount', 'p99').verdict).toBe('regression');
    expect(row(report.rows, 'flink', 'wordcount', 'cpu').verdict).toBe('regression');
    expect(row(report.rows, 'flink', 'wordcount', 'heap').verdict).toBe('unchanged');
    expect(report.summary.exitCode).toBe(1);
    // The same change read the other way is an improvement.
    const back = compareResults(f(b, 'b'), f(a, 'a'));
    expect(row(back.rows, 'flink', 'wordcount', 'throughput').verdict).toBe('improvement');
    expect(back.summary.exitCode).toBe(0);
  });

  it('per-metric thresholds let a known latency change through', () => {
    const a = fakeResults(trialsOf('flink', 'wordcount', steady({})));
    const b = fakeResults(trialsOf('flink', 'wordcount', steady({}, 1.25)));
    const report = compareResults(f(a, 'a'), f(b, 'b'), { thresholds: parseThresholds(['30%']), metrics: ['latency'] });
    expect(report.rows.every((r) => r.verdict === 'unchanged')).toBe(true);
    expect(report.rows.map((r) => r.metric)).toEqual(['p50', 'p90', 'p99', 'p999', 'proc-p50', 'proc-p90', 'proc-p99', 'proc-p999']);
    const strictP99 = compareResults(f(a, 'a'), f(b, 'b'), { thresholds: parseThresholds(['30%', 'p99=20%']), metrics: ['p99'] });
    expect(strictP99.rows.map((r) => `${r.metric}:${r.verdict}:${r.threshold}`)).toEqual(['p99:regression:0.2', 'proc-p99:regression:0.2']);
    const eventOnly = compareResults(f(a, 'a'), f(b, 'b'), { thresholds: parseThresholds(['p99=20%', 'proc-p99=30%']), metrics: ['p99'] });
    expect(eventOnly.rows.map((r) => `${r.metric}:${r.verdict}:${r.threshold}`)).toEqual(['p99:regression:0.2', 'proc-p99:unchanged:0.3']);
  });

  it('--normalize divides by the reference engine of the same trial, so a machine-wide slowdown is not a regression', () => {
    // The baseline machine is 30 % faster in every trial, for both engines.
    const trials = (speed: number, engineFactor: number) =>
      [1, 1.02, 0.98, 1.01, 0.99].flatMap((k, i) => [
        fakeRun('reference', 'wordcount', i + 1, { throughput: 1_000_000 * k * speed, p50: 1 / speed }),
        fakeRun('flink', 'wordcount', i + 1, { throughput: 200_000 * k * speed * engineFactor, p50: 10 / speed / engineFactor }),
      ]);
    const a = fakeResults(trials(1.3, 1));
    const b = fakeResults(trials(1, 1));
    expect(compareResults(f(a, 'a'), f(b, 'b')).summary.regressions).toBeGreaterThan(0);
    const normalized = compareResults(f(a, 'a'), f(b, 'b'), { normalize: 'reference' });
    expect(normalized.summary.regressions).toBe(0);
    expect(normalized.normalizedBy).toBe('reference');
    expect(normalized.rows.every((r) => r.engine === 'flink')).toBe(true);
    const t = row(normalized.rows, 'flink', 'wordcount', 'throughput');
    expect(t.unit).toBe('x reference');
    expect(t.kind).toBe('ratio');
    expect(t.baseline.median).toBeCloseTo(0.2, 12);
    expect(row(normalized.rows, 'flink', 'wordcount', 'p50').baseline.median).toBeCloseTo(10, 12);
    // ...while a slowdown of the engine itself still shows.
    const slow = fakeResults(trials(1, 0.8));
    expect(
      row(compareResults(f(a, 'a'), f(slow, 'slow'), { normalize: 'reference' }).rows, 'flink', 'wordcount', 'throughput').verdict,
    ).toBe('regression');
  });

  it('normalization leaves out a trial whose reference trial failed, and says so', () => {
    const runs = (n: number) =>
      Array.from({ length: n }, (_, i) => [fakeRun('reference', 'wordcount', i + 1), fakeRun('flink', 'wordcount', i + 1)]).flat();
    const withFailure = fakeResults([
      ...runs(4).filter((r) => !(r.engine === 'reference' && r.trial === 2)),
      failedRun('reference', 'wordcount', 2, 'boom'),
    ]);
    const report = compareResults(f(fakeResults(runs(4)), 'a'), f(withFailure, 'b'), { normalize: 'reference' });
    expect(row(report.rows, 'flink', 'wordcount', 'throughput').current.n).toBe(3);
    expect(report.notes).toContain('b: 1 failed trial left out: reference x wordcount trial 2 (boom)');
    expect(report.notes).toContain(
      'b: 1 trial left out, no successful reference trial beside it to normalize by: flink x wordcount trial 2',
    );
    expect(() =>
      compareResults(f(fakeResults(trialsOf('flink', 'wordcount', steady({}))), 'x.json'), f(withFailure, 'b'), { normalize: 'reference' }),
    ).toThrow(/--normalize reference: x.json has no successful trial of engine 'reference'/);
  });

  it('leaves failed trials out and mentions them; too few trials left is said per row', () => {
    const b = fakeResults([
      fakeRun('flink', 'wordcount', 1),
      failedRun('flink', 'wordcount', 2),
      failedRun('flink', 'wordcount', 3, 'drain timeout'),
    ]);
    const report = compareResults(f(fakeResults(trialsOf('flink', 'wordcount', steady({}))), 'a'), f(b, 'b'));
    expect(report.notes[0]).toBe(
      'b: 2 failed trials left out: flink x wordcount trial 2 (trial process exited with code 1); flink x wordcount trial 3 (drain timeout)',
    );
    expect(report.rows.every((r) => r.verdict === 'insufficient')).toBe(true);
    expect(report.rows[0].reason).toMatch(/5 vs 1 trials cannot reach/);
    expect(report.summary.line).toMatch(/^PASS: .* 11 not judged \(insufficient trials\), of 11 comparisons$/);
    expect(
      compareResults(f(fakeResults(trialsOf('flink', 'wordcount', steady({}))), 'a'), f(b, 'b'), { strict: true }).summary.exitCode,
    ).toBe(1);
  });

  it('needs an engine and workload in common, and names what each file has', () => {
    const a = fakeResults(trialsOf('flink', 'wordcount', steady({})));
    const b = fakeResults(trialsOf('storm', 'stateless', steady({})));
    expect(() => compareResults(f(a, 'a.json'), f(b, 'b.json'))).toThrow(CompareInputError);
    expect(() => compareResults(f(a, 'a.json'), f(b, 'b.json'))).toThrow(
      'no engine x workload in common: a.json has flink x wordcount; b.json has storm x stateless',
    );
  });

  it('notes engines in one file only, differing settings and different machines', () => {
    const a = fakeResults([...trialsOf('flink', 'wordcount', steady({})), ...trialsOf('spark', 'wordcount', steady({}))]);
    const b = fakeResults(
      [
        ...[1, 2, 3].map((t) => fakeRun('flink', 'wordcount', t, {}, { 'wordcount.window': 5000 })),
        ...trialsOf('storm', 'wordcount', steady({})),
      ],
      { environment: { node: 'v22.0.0', os: 'linux', cpuModel: 'other cpu', cores: 4, memoryBytes: 1, hostname: 'h' } },
    );
    const report = compareResults(f(a, 'a'), f(b, 'b'));
    expect(report.notes).toContain('only in a (not compared): spark x wordcount');
    expect(report.notes).toContain('only in b (not compared): storm x wordcount');
    expect(report.notes).toContain('flink x wordcount: settings differ between the files: wordcount.window 1000 -> 5000');
    expect(
      report.notes.some((n) =>
        n.startsWith(
          "the files come from different environments (CPU 'test cpu' -> 'other cpu', cores 2 -> 4, node v20.0.0 -> v22.0.0): raw figures",
        ),
      ),
    ).toBe(true);
  });

  it('skips metrics measured in neither file and notes one measured in one file only', () => {
    const a = fakeResults([1, 2, 3].map((t) => fakeRun('flink', 'wordcount', t, { noLatency: true })));
    const b = fakeResults([1, 2, 3].map((t) => fakeRun('flink', 'wordcount', t)));
    const none = compareResults(f(a, 'a'), f(a, 'a2'));
    expect(none.rows.map((r) => r.metric)).toEqual(['throughput', 'cpu', 'heap']);
    const one = compareResults(f(a, 'a'), f(b, 'b'));
    expect(one.notes).toContain('flink x wordcount p99: no value in a');
  });

  it('a baseline median of 0 cannot give a relative change', () => {
    const a = fakeResults([1, 2, 3].map((t) => fakeRun('flink', 'wordcount', t, { p50: 0 })));
    const b = fakeResults([1, 2, 3].map((t) => fakeRun('flink', 'wordcount', t, { p50: 5 })));
    const r = row(compareResults(f(a, 'a'), f(b, 'b')).rows, 'flink', 'wordcount', 'p50');
    expect(r.change).toBeNull();
    expect(r.verdict).toBe('insufficient');
    expect(r.reason).toMatch(/baseline median is 0/);
  });

  it('rejects a bad alpha and a metric selection that selects nothing', () => {
    const a = fakeResults(trialsOf('flink', 'wordcount', steady({})));
    expect(() => compareResults(f(a, 'a'), f(a, 'b'), { alpha: 0.7 })).toThrow(/--alpha/);
    expect(() => compareResults(f(a, 'a'), f(a, 'b'), { metrics: ['nothing'] })).toThrow(/selects no metric/);
  });
});
