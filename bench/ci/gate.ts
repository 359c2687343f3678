/**
 * The project's performance gate, for CI: runs the short CI suite (bench/ci/suite.ts) and compares it with
 * the baseline committed in the repository, normalized by the reference engine of the same trial so that
 * a slower or busier CI machine does not read as a regression. Exit 0 pass, 1 regression, 2 input error.
 *
 *   node dist/bench/ci/gate.js                     run the suite, compare with bench/ci/baseline.json
 *   node dist/bench/ci/gate.js --update-baseline   run the suite and make it the new baseline
 *   node dist/bench/ci/gate.js --current <file>    compare an existing results file, without running
 *
 * A regression fails the gate only when it reproduces: the suite runs a second time and the same engine,
 * workload and metric must regress again (--no-confirm fails at once).
 *
 * With $GITHUB_STEP_SUMMARY set, the comparison is also appended there as Markdown.
 */
import { Command } from 'commander';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  compareResults,
  CompareInputError,
  formatMarkdown,
  formatTable,
  loadResultsFile,
  parseThresholds,
  type ComparisonReport,
} from '../../reports/compare/index.js';
import { packageRoot } from '../runner/package-paths.js';
import { runSuite } from './run-suite.js';
import { CI_SUITE, NOT_GATED, REFERENCE, suiteEngines } from './suite.js';

interface Flags {
  baseline: string;
  updateBaseline?: boolean;
  current?: string;
  trials?: string;
  /** False with --no-confirm. */
  confirm: boolean;
}

async function main(): Promise<number> {
  const flags = new Command('gate')
    .option(
      '--baseline <file>',
      'the committed baseline',
      join(relative(process.cwd(), packageRoot()) || '.', 'bench', 'ci', 'baseline.json'),
    )
    .option('--update-baseline', 'run the suite and write it as the baseline')
    .option('--current <file>', 'compare this results file instead of running the suite')
    .option(
      '--trials <n>',
      `trials per engine and workload (default ${CI_SUITE.trials}, and ${CI_SUITE.baselineTrials} for --update-baseline)`,
    )
    .option('--no-confirm', 'fail on the first run, without running the suite again to confirm a regression')
    .parse(process.argv)
    .opts<Flags>();
  const trials = flags.trials ? Number(flags.trials) : CI_SUITE.trials;

  if (flags.updateBaseline) {
    const path = await runSuite({ engines: suiteEngines(), trials: flags.trials ? trials : CI_SUITE.baselineTrials, verbose: true });
    const { results } = loadResultsFile(path);
    // The gate reads summary figures only: keep the committed file small. Time series, histogram buckets
    // and engine stats are dropped (so this file is for compare, not for the HTML report).
    for (const r of results.runs) {
      if (r.status !== 'ok') continue;
      r.timeseries = [];
      r.engineStats = {};
      for (const h of [r.latency.eventTime, r.latency.processingTime, r.sendLag]) h.histogram.buckets = [];
    }
    writeFileSync(flags.baseline, JSON.stringify(results, null, 1) + '\n');
    process.stdout.write(`baseline written to ${flags.baseline} (${results.runs.length} trials of ${suiteEngines().join(', ')})\n`);
    return 0;
  }

  const baseline = loadResultsFile(flags.baseline);
  const inBaseline = new Set(baseline.results.runs.map((r) => r.engine));
  const registered = suiteEngines();
  const engines = registered.filter((e) => inBaseline.has(e));
  const missing = registered.filter((e) => !inBaseline.has(e));
  if (missing.length > 0)
    process.stderr.write(`gate: not in the baseline, not run: ${missing.join(', ')} (refresh it with --update-baseline)\n`);
  for (const [engine, why] of Object.entries(NOT_GATED)) process.stderr.write(`gate: ${engine} is not gated: ${why}\n`);
  // Ratios need an engine besides the reference in both; raw figures depend on the machine: say so.
  const normalize = engines.some((e) => e !== REFERENCE) ? REFERENCE : undefined;
  if (!normalize)
    process.stderr.write(`gate: no engine besides ${REFERENCE} in the baseline: comparing raw figures, which depend on the machine\n`);

  const options = {
    thresholds: parseThresholds([...CI_SUITE.thresholds]),
    metrics: [...CI_SUITE.metrics],
    ...(normalize ? { normalize } : {}),
  };
  const currentPath = flags.current ?? (await runSuite({ engines, trials, verbose: true }));
  const report = compareResults(baseline, loadResultsFile(currentPath), options);
  print(report);
  if (report.summary.exitCode !== 0 && CI_SUITE.confirm && !flags.current && flags.confirm) {
    // A regression must reproduce on a fresh run before the gate fails: noise rarely strikes the same
    // engine, workload and metric twice in a row, a real slowdown does.
    process.stdout.write('\ngate: regression found; running the suite again to confirm it\n');
    const first = regressedRows(report);
    const again = compareResults(baseline, loadResultsFile(await runSuite({ engines, trials, verbose: true })), options);
    print(again);
    const confirmed = regressedRows(again).filter((r) => first.includes(r));
    process.stdout.write(
      confirmed.length > 0
        ? `gate: FAIL: confirmed on a second run: ${confirmed.join(', ')}\n`
        : 'gate: PASS: the regression did not reproduce on a second run (noise)\n',
    );
    return confirmed.length > 0 ? 1 : 0;
  }
  return report.summary.exitCode;
}

function regressedRows(report: ComparisonReport): string[] {
  return report.rows.filter((r) => r.verdict === 'regression').map((r) => `${r.engine} x ${r.workload} ${r.metric}`);
}

function print(report: ComparisonReport): void {
  process.stdout.write(formatTable(report) + '\n');
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, formatMarkdown(report) + '\n');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`gate: ${err.message}\n`);
    process.exitCode = err instanceof CompareInputError ? 2 : 1;
  },
);
