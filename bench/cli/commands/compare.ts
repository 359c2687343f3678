/**
 * `streamarena compare <baseline> <current>`: the CI regression gate. Exit 0 when nothing regressed, 1 on a
 * regression (or, with --strict, on a comparison that too few trials cannot decide), 2 on a usage or input
 * error (one line on stderr). Also the `--baseline` step of `streamarena run`.
 */
import { Command } from 'commander';
import {
  checkResults,
  compareResults,
  CompareInputError,
  formatGithubBenchmark,
  formatJson,
  formatMarkdown,
  formatTable,
  loadResultsFile,
  metricSelectors,
  parseThresholds,
  type ComparisonReport,
  type GithubBenchmarkTool,
} from '../../../reports/compare/index.js';
import type { ResultsFile } from '../../../reports/schema.js';
import { UsageError } from '../../errors.js';
import { didYouMean } from '../../../engines/api/index.js';
import { collect, parseCount } from '../parse.js';

export const COMPARE_FORMATS = ['table', 'md', 'json', 'github-benchmark'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];
const GITHUB_TOOLS: readonly GithubBenchmarkTool[] = ['customSmallerIsBetter', 'customBiggerIsBetter'];

interface CompareFlags {
  threshold: string[];
  normalize?: string;
  format: string;
  githubTool: string;
  metrics?: string;
  alpha: string;
  strict?: boolean;
  seed: string;
}

export function compareCommand(): Command {
  return new Command('compare')
    .description(
      'compare two results files (medians over trials, change, bootstrap interval, Mann-Whitney p) and gate on regressions: exit 1 on a regression',
    )
    .argument('<baseline>', 'the baseline results file (written by streamarena run)')
    .argument('<current>', 'the results file to judge')
    .option(
      '--threshold <[metric=]percent>',
      'smallest significant change that counts, for every metric (10%) or one metric or group: p99=20%, latency=15% (repeatable)',
      collect,
      [],
    )
    .option(
      '--normalize <engine>',
      "divide every engine's figures by this engine's from the same trial (e.g. reference), so that a slower machine does not read as a regression",
    )
    .option('--format <format>', `output: ${COMPARE_FORMATS.join(', ')}`, 'table')
    .option(
      '--github-tool <tool>',
      `with --format github-benchmark: ${GITHUB_TOOLS.join(' (latency, CPU, heap) or ')} (throughput)`,
      'customSmallerIsBetter',
    )
    .option('--metrics <list>', `metrics or groups to compare, comma-separated (default: all): ${metricSelectors().join(', ')}`)
    .option('--alpha <p>', 'significance level of the one-sided Mann-Whitney tests', '0.05')
    .option('--strict', 'comparisons that cannot be judged (too few trials) fail the gate too')
    .option('--seed <n>', 'seed of the bootstrap intervals', '1')
    .action((baseline: string, current: string, flags: CompareFlags) => {
      process.exitCode = compareFiles(baseline, current, flags);
    });
}

function compareFiles(baselinePath: string, currentPath: string, flags: CompareFlags): number {
  const format = parseFormat(flags.format);
  const tool = parseGithubTool(flags.githubTool);
  const report = asUsage(() => {
    const options = {
      thresholds: parseThresholds(flags.threshold),
      alpha: parseAlpha(flags.alpha),
      ...(flags.normalize !== undefined ? { normalize: flags.normalize } : {}),
      ...(flags.metrics !== undefined ? { metrics: parseMetricList(flags.metrics) } : {}),
      strict: flags.strict ?? false,
      seed: parseCount('--seed', flags.seed, 0),
    };
    const baseline = loadResultsFile(baselinePath);
    const current = loadResultsFile(currentPath);
    return compareResults(baseline, current, options);
  });
  process.stdout.write(render(report, format, tool) + '\n');
  // Machine-readable formats keep stdout clean: the verdict goes to stderr for the CI log.
  if (format === 'json' || format === 'github-benchmark') process.stderr.write(`${report.summary.line}\n`);
  return report.summary.exitCode;
}

export function render(report: ComparisonReport, format: CompareFormat, tool: GithubBenchmarkTool = 'customSmallerIsBetter'): string {
  switch (format) {
    case 'table':
      return formatTable(report);
    case 'md':
      return formatMarkdown(report);
    case 'json':
      return formatJson(report);
    case 'github-benchmark':
      return formatGithubBenchmark(report, tool);
  }
}

/**
 * Commander argument parser of `run --baseline <file>`: checks the file before any trial runs, so that a
 * typo costs a second, not a whole benchmark.
 */
export function baselineFileOption(path: string): string {
  asUsage(() => loadResultsFile(path));
  return path;
}

/**
 * The comparison step of `run --baseline`: compares the fresh results with the baseline using the default
 * settings, prints the table (on stderr with --json, whose stdout is the results), and returns the exit
 * code: 1 on a regression or a failed trial, else 0.
 */
export function compareWithBaseline(flags: { baseline?: string; json?: boolean }, results: ResultsFile, resultsPath: string): number {
  const report = asUsage(() =>
    compareResults(loadResultsFile(flags.baseline!), { label: resultsPath, results: checkResults(results, resultsPath) }),
  );
  (flags.json ? process.stderr : process.stdout).write(`\ncompared with ${flags.baseline}:\n${formatTable(report)}\n`);
  const failedTrial = results.runs.some((r) => r.status === 'failed');
  return Math.max(report.summary.exitCode, failedTrial ? 1 : 0);
}

function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CompareInputError) throw new UsageError(err.message);
    throw err;
  }
}

function parseFormat(text: string): CompareFormat {
  if ((COMPARE_FORMATS as readonly string[]).includes(text)) return text as CompareFormat;
  throw new UsageError(`--format: unknown format '${text}'${didYouMean(text, COMPARE_FORMATS)}; known: ${COMPARE_FORMATS.join(', ')}`);
}

function parseGithubTool(text: string): GithubBenchmarkTool {
  if ((GITHUB_TOOLS as readonly string[]).includes(text)) return text as GithubBenchmarkTool;
  throw new UsageError(`--github-tool: '${text}'${didYouMean(text, GITHUB_TOOLS)} is not one of ${GITHUB_TOOLS.join(', ')}`);
}

function parseAlpha(text: string): number {
  const alpha = Number(text);
  if (!(alpha > 0 && alpha < 0.5)) throw new UsageError(`--alpha: '${text}' is not a number between 0 and 0.5`);
  return alpha;
}

function parseMetricList(text: string): string[] {
  const known = metricSelectors();
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError(`--metrics: give at least one of ${known.join(', ')}`);
  for (const n of names) {
    if (!known.includes(n)) throw new UsageError(`--metrics: unknown metric '${n}'${didYouMean(n, known)}; known: ${known.join(', ')}`);
  }
  return names;
}
