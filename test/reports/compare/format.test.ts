import { describe, expect, it } from 'vitest';
import {
  compareResults,
  formatGithubBenchmark,
  formatJson,
  formatMarkdown,
  formatTable,
  githubBenchmarkEntries,
} from '../../../reports/compare/index.js';
import { fakeResults, trialsOf, type FakeFigures } from './fake-results.js';

const figures = (factor: number): FakeFigures[] =>
  [1, 1.01, 0.99].map((k) => ({ throughput: (100_000 * k) / factor, p50: 10 * k * factor, cpuMs: 1000 * k }));
const baseline = fakeResults([...trialsOf('flink', 'wordcount', figures(1)), ...trialsOf('flink', 'stateless', figures(1).slice(0, 2))]);
const current = fakeResults([...trialsOf('flink', 'wordcount', figures(1.25)), ...trialsOf('flink', 'stateless', figures(1))]);
const report = compareResults({ label: 'base.json', results: baseline }, { label: 'cur.json', results: current });

describe('compare formats', () => {
  it('table: one row per metric with medians, change, interval, p and verdict; the reasons and the summary under it', () => {
    const text = formatTable(report);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^baseline: base\.json \(2026-01-01T00:00:00\.000Z, 5 trials\)$/);
    expect(text).toMatch(/engine\s+workload\s+metric\s+baseline\s+current\s+change\s+90% CI\s+p\s+verdict/);
    expect(lines.find((l) => /^flink\s+wordcount\s+throughput\s/.test(l))).toMatch(
      /100\.0k\/s \(3\)\s+80\.0k\/s \(3\)\s+-20\.0%\s+\[.*\]\s+0\.05\s+REGRESSION$/,
    );
    expect(lines.find((l) => /^flink\s+wordcount\s+heap\s/.test(l))).toMatch(/50\.0 MiB \(3\)\s+50\.0 MiB \(3\)\s+0\.0%.*~$/);
    expect(lines.find((l) => /^flink\s+stateless\s+p50\s/.test(l))).toMatch(/insufficient trials$/);
    expect(text).toContain('regression: flink x wordcount throughput (input throughput): worse by 20.0% (> 10.0%), p = 0.05');
    expect(text).toContain('not judged (11 rows): 2 vs 3 trials cannot reach p <= 0.05 (best 0.1); use at least 3 per side');
    expect(lines.at(-1)).toMatch(
      /^FAIL: \d+ regressions, 0 improvements, \d+ without significant change, 11 not judged \(insufficient trials\), of 22 comparisons$/,
    );
  });

  it('md: a GitHub table, regressions first, pipes and tildes escaped', () => {
    const md = formatMarkdown(report);
    const lines = md.split('\n');
    expect(lines[0]).toBe('### streamarena compare: regression');
    expect(md).toContain('| engine | workload | metric | baseline | current | change | 90% CI | p | verdict |');
    const rows = lines.filter((l) => l.startsWith('| flink'));
    expect(rows.length).toBe(22);
    expect(rows[0]).toMatch(/\*\*REGRESSION\*\* \|$/);
    expect(rows.at(-1)).toMatch(/\| \\~ \|$/);
    for (const r of rows) expect(r.split(/(?<!\\)\|/).length).toBe(11);
  });

  it('json: the whole report, parseable, with the figures', () => {
    const parsed = JSON.parse(formatJson(report)) as typeof report;
    expect(parsed.summary.exitCode).toBe(1);
    expect(parsed.rows).toHaveLength(22);
    const t = parsed.rows.find((r) => r.workload === 'wordcount' && r.metric === 'throughput')!;
    expect(t).toMatchObject({ verdict: 'regression', direction: 'bigger', unit: 'events/s', baseline: { n: 3, median: 100_000 } });
    expect(t.change).toBeCloseTo(-0.2, 12);
  });

  it('github-benchmark: {name, unit, value, range, extra} of the current medians, one direction per call', () => {
    const smaller = githubBenchmarkEntries(report, 'customSmallerIsBetter');
    const bigger = githubBenchmarkEntries(report, 'customBiggerIsBetter');
    expect(bigger.map((e) => e.name)).toEqual(['flink/wordcount/throughput', 'flink/stateless/throughput']);
    expect(smaller.map((e) => e.name)).not.toContain('flink/wordcount/throughput');
    expect(smaller.length + bigger.length).toBe(22);
    const p50 = smaller.find((e) => e.name === 'flink/wordcount/p50')!;
    expect(p50).toMatchObject({ unit: 'ms', value: 12.5, range: '± 0.125' });
    expect(p50.extra).toContain('baseline 10 (3), change +25.0%');
    expect(p50.extra).toContain('verdict REGRESSION');
    for (const e of [...smaller, ...bigger]) expect(Object.keys(e).sort()).toEqual(['extra', 'name', 'range', 'unit', 'value']);
    expect(JSON.parse(formatGithubBenchmark(report, 'customBiggerIsBetter'))).toEqual(bigger);
  });
});
