import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../../reports/schema.js';
import { failedRun, fakeResults, fakeRun, trialsOf, type FakeFigures } from '../../reports/compare/fake-results.js';
import { runCli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'streamarena-compare-'));
function write(name: string, content: ResultsFile | string): string {
  const path = join(tmp, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const figures = (factor: number): FakeFigures[] =>
  [1, 1.01, 0.99].map((k) => ({ throughput: (100_000 * k) / factor, p50: 10 * k * factor, cpuMs: 1000 * k * factor }));
const base = write(
  'base.json',
  fakeResults([...trialsOf('flink', 'wordcount', figures(1)), ...trialsOf('reference', 'wordcount', figures(0.2))]),
);
const same = write(
  'same.json',
  fakeResults([...trialsOf('flink', 'wordcount', figures(1).reverse()), ...trialsOf('reference', 'wordcount', figures(0.2))]),
);
const slower = write(
  'slower.json',
  fakeResults([...trialsOf('flink', 'wordcount', figures(1.25)), ...trialsOf('reference', 'wordcount', figures(0.2))]),
);
const fewer = write(
  'fewer.json',
  fakeResults([fakeRun('flink', 'wordcount', 1), failedRun('flink', 'wordcount', 2), fakeRun('reference', 'wordcount', 1)]),
);

/** A usage or input error: exit 2, one line on stderr, no stack, nothing on stdout. */
async function expectInputError(args: string[], message: RegExp | string) {
  const r = await runCli(['compare', ...args]);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
}

describe('streamarena compare: formats and exit codes', () => {
  it('table, no regression: exit 0', async () => {
    const r = await runCli(['compare', base, same]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^baseline: .*base\.json/);
    expect(r.stdout).toMatch(/flink\s+wordcount\s+throughput/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^PASS: 0 regressions, 0 improvements, 22 without significant change, of 22 comparisons$/,
    );
  });

  it('table, a 25 % slowdown: exit 1, regressions named', async () => {
    const r = await runCli(['compare', base, slower]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/flink\s+wordcount\s+throughput\s.*-20\.0%.*REGRESSION/);
    expect(r.stdout).toMatch(/^FAIL: \d+ regressions/m);
  });

  it('a threshold above the change passes it: exit 0', async () => {
    const r = await runCli(['compare', base, slower, '--threshold', '30%']);
    expect(r.code, r.stderr).toBe(0);
    const perMetric = await runCli([
      'compare',
      base,
      slower,
      '--threshold',
      '30%',
      '--threshold',
      'throughput=15%',
      '--metrics',
      'throughput',
    ]);
    expect(perMetric.code).toBe(1);
    expect(perMetric.stdout).toMatch(/FAIL: 1 regression, 0 improvements, 1 without significant change, of 2 comparisons/); // flink's, not reference's
  });

  it('md: Markdown for a job summary, exit 1 on the regression', async () => {
    const r = await runCli(['compare', base, slower, '--format', 'md']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^### streamarena compare: regression/);
    expect(r.stdout).toContain('| engine | workload | metric |');
  });

  it('json: only JSON on stdout, the verdict line on stderr', async () => {
    const r = await runCli(['compare', base, slower, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { summary: { exitCode: number }; rows: unknown[] };
    expect(report.summary.exitCode).toBe(1);
    expect(report.rows).toHaveLength(22);
    expect(r.stderr).toMatch(/^FAIL: /);
    const pass = await runCli(['compare', base, same, '--format', 'json']);
    expect(pass.code).toBe(0);
  });

  it('github-benchmark: the input of github-action-benchmark, smaller-is-better by default', async () => {
    const smaller = await runCli(['compare', base, same, '--format', 'github-benchmark']);
    expect(smaller.code).toBe(0);
    const entries = JSON.parse(smaller.stdout) as { name: string; unit: string; value: number }[];
    expect(entries.map((e) => e.name)).toContain('flink/wordcount/p99');
    expect(entries.map((e) => e.name)).not.toContain('flink/wordcount/throughput');
    const bigger = await runCli(['compare', base, slower, '--format', 'github-benchmark', '--github-tool', 'customBiggerIsBetter']);
    expect(bigger.code).toBe(1);
    expect(JSON.parse(bigger.stdout)).toEqual([
      expect.objectContaining({ name: 'flink/wordcount/throughput', unit: 'events/s', value: 80000 }),
      expect.objectContaining({ name: 'reference/wordcount/throughput' }),
    ]);
  });

  it('--normalize reference compares ratios to the reference engine', async () => {
    const r = await runCli(['compare', base, slower, '--normalize', 'reference']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/normalized by reference/);
    expect(r.stdout).toMatch(/flink\s+wordcount\s+throughput\s+0\.200x \(3\)\s+0\.160x \(3\)/);
    expect(r.stdout).not.toMatch(/^reference\s/m);
  });

  it('too few trials: said per row and in the summary, exit 0; exit 1 with --strict', async () => {
    const r = await runCli(['compare', base, fewer]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/insufficient trials/);
    expect(r.stdout).toMatch(/note: .*fewer\.json: 1 failed trial left out: flink x wordcount trial 2/);
    expect(r.stdout).toMatch(/PASS: .*22 not judged \(insufficient trials\), of 22 comparisons/);
    const strict = await runCli(['compare', base, fewer, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/FAIL: .*not judged \(insufficient trials, fails with --strict\)/);
  });

  it('prints help with every option', async () => {
    const r = await runCli(['compare', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--threshold', '--normalize', '--format', '--github-tool', '--metrics', '--alpha', '--strict', '--seed'])
      expect(r.stdout).toContain(flag);
  });
});

describe('streamarena compare: input errors exit 2 with one line', () => {
  it('a missing file', () => expectInputError([base, join(tmp, 'nope.json')], /cannot read .*nope\.json: no such file/));
  it('a file that is not JSON', () =>
    expectInputError([write('text.json', 'hello'), base], /text\.json is not a streamarena results file \(not JSON\)/));
  it('JSON that is not a results file', () =>
    expectInputError([base, write('other.json', '{"a": 1}')], /other\.json is not a streamarena results file\n$/));
  it('runs without engines', () =>
    expectInputError(
      [base, write('junk.json', '{"schemaVersion": 1, "runs": [{"x": 1}]}')],
      /junk\.json is not a streamarena results file \(runs\[0\]/,
    ));
  it('an incompatible schema version', () =>
    expectInputError(
      [write('v2.json', { ...fakeResults([]), schemaVersion: 2 }), base],
      /v2\.json has results schema version 2; this streamarena reads version 1/,
    ));
  it('a sweep file', () =>
    expectInputError(
      [base, write('sweep.json', { ...fakeResults([]), sweeps: [{}] } as ResultsFile)],
      /sweep\.json holds sweeps, not trials/,
    ));
  it('no engine or workload in common', () =>
    expectInputError(
      [base, write('storm.json', fakeResults(trialsOf('storm', 'stateless', figures(1))))],
      /no engine x workload in common: .*base\.json has flink x wordcount, reference x wordcount; .*storm\.json has storm x stateless/,
    ));
  it('a normalizing engine that is not there', () =>
    expectInputError([base, slower, '--normalize', 'spark'], /--normalize spark: .*base\.json has no successful trial of engine 'spark'/));
  it('a bad threshold', () => expectInputError([base, slower, '--threshold', 'p98=5%'], /--threshold: unknown metric 'p98'/));
  it('an unknown format', () =>
    expectInputError(
      [base, slower, '--format', 'markdown'],
      /--format: unknown format 'markdown'; known: table, md, json, github-benchmark/,
    ));
  it('an unknown metric', () => expectInputError([base, slower, '--metrics', 'p99,lat'], /--metrics: unknown metric 'lat'/));
  it('a bad alpha', () => expectInputError([base, slower, '--alpha', '1'], /--alpha: '1' is not a number between 0 and 0.5/));
  it('a missing argument', () => expectInputError([base], /missing required argument 'current'/));
});

describe('streamarena run --baseline', () => {
  it('checks the baseline before running: a missing file is exit 2 and nothing is written', async () => {
    const out = join(tmp, 'not-written');
    const r = await runCli(['run', '-e', 'reference', '-w', 'stateless', '--baseline', join(tmp, 'missing.json'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^streamarena: cannot read .*missing\.json: no such file\n$/);
    expect(readdirSync(tmp)).not.toContain('not-written');
  });

  it('runs, writes the results, then compares: exit 1 on a regression; with --json the comparison goes to stderr', async () => {
    // A baseline a thousand times faster than anything this machine does: the fresh run must regress.
    const fast = write(
      'fast.json',
      fakeResults(
        trialsOf(
          'reference',
          'stateless',
          [1, 1.01, 0.99].map((k) => ({ throughput: 1e9 * k })),
        ),
      ),
    );
    const out = join(tmp, 'run-out');
    const r = await runCli([
      'run',
      '-e',
      'reference',
      '-w',
      'stateless',
      '-r',
      '2000',
      '-d',
      '300ms',
      '--warmup',
      '100ms',
      '-t',
      '3',
      '--json',
      '--baseline',
      fast,
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ schemaVersion: 1 });
    expect(readdirSync(out)).toHaveLength(1);
    expect(r.stderr).toMatch(/compared with .*fast\.json:/);
    expect(r.stderr).toMatch(/reference\s+stateless\s+throughput\s.*REGRESSION/);
    expect(r.stderr).toMatch(/FAIL: \d+ regressions?, /);
  });
});
