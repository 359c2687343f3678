/**
 * The project's performance gate, for CI: two short suites compared with baselines committed in the
 * repository. The throughput suite (suite.ts, --rate max) judges throughput and CPU per event normalized
 * by the reference engine of the same trial; the latency suite (latency-suite.ts, fixed rates) judges
 * event-time p50 and p99 of every engine and spark's batch capacity (latency-gate.ts). Exit 0 pass,
 * 1 regression, 2 input error (including a baseline from another kind of machine, see machine.ts).
 *
 *   node dist/bench/ci/gate.js                       run both suites, compare with bench/ci/baseline*.json
 *   node dist/bench/ci/gate.js --update-baseline     run them and make them the new baselines
 *   node dist/bench/ci/gate.js --current <file> --current-latency <file>   compare existing results files
 *   node dist/bench/ci/gate.js --fingerprint         print this machine's kind (a CI cache key)
 *
 * A regression fails the gate only when it reproduces: the suite runs a second time and the same engine,
 * workload and metric must regress again (--no-confirm fails at once).
 *
 * With $GITHUB_STEP_SUMMARY set, the comparison is also appended there as Markdown.
 */
import { Command } from 'commander';
import { appendFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  compareResults,
  CompareInputError,
  formatMarkdown,
  formatTable,
  loadResultsFile,
  parseThresholds,
  type ComparisonReport,
  type LabeledResults,
} from '../../reports/compare/index.js';
import type { ResultsFile, RunResult } from '../../reports/schema.js';
import { collectEnvironment } from '../runner/environment.js';
import { packageRoot } from '../runner/package-paths.js';
import { compareLatency, keptSparkStats } from './latency-gate.js';
import { LATENCY_SUITE, latencySuiteEngines } from './latency-suite.js';
import { fingerprint, fingerprintSlug, kindDifferences, machineKind, type MachineKind } from './machine.js';
import { runLatencySuite, runSuite, writeFileAtomic } from './run-suite.js';
import { CI_SUITE, NOT_GATED, REFERENCE, suiteEngines } from './suite.js';

interface Flags {
  baseline: string;
  latencyBaseline: string;
  updateBaseline?: boolean;
  current?: string;
  currentLatency?: string;
  trials?: string;
  suite: string;
  /** False with --no-confirm. */
  confirm: boolean;
  /** How to judge against a baseline from another kind of machine: 'judge' (as usual) or 'warn' (never fail). */
  otherMachine?: string;
  fingerprint?: boolean;
}

/** A usage or input problem: one line on stderr, exit 2. */
class GateInputError extends Error {}

const SUITES = ['throughput', 'latency', 'all'] as const;
const OTHER_MACHINE_MODES: readonly string[] = ['judge', 'warn'];

async function main(): Promise<number> {
  const ciDir = join(relative(process.cwd(), packageRoot()) || '.', 'bench', 'ci');
  const flags = new Command('gate')
    .option('--baseline <file>', "the throughput suite's baseline", join(ciDir, 'baseline.json'))
    .option('--latency-baseline <file>', "the latency suite's baseline", join(ciDir, 'baseline-latency.json'))
    .option('--update-baseline', 'run the suites and write them as the baselines (for this kind of machine)')
    .option('--current <file>', 'compare this throughput results file instead of running the suite')
    .option('--current-latency <file>', 'compare this latency results file instead of running the suite')
    .option('--suite <name>', `which suites: ${SUITES.join(', ')}`, 'all')
    .option(
      '--trials <n>',
      `trials per engine and workload (default ${CI_SUITE.trials}, and ${CI_SUITE.baselineTrials} for --update-baseline)`,
    )
    .option('--no-confirm', 'fail on the first run, without running the suite again to confirm a regression')
    .option(
      '--other-machine <mode>',
      "against a baseline from another kind of machine: 'judge' (warn, then judge as usual) or 'warn' (print the comparison, never fail on it)",
    )
    .option('--fingerprint', "print this machine's kind (CPU model, cores, memory, Node major) as a cache-key slug and exit")
    .parse(process.argv)
    .opts<Flags>();
  const here = machineKind(collectEnvironment());
  if (flags.fingerprint) {
    process.stdout.write(fingerprintSlug(here) + '\n');
    return 0;
  }
  if (flags.otherMachine !== undefined && !OTHER_MACHINE_MODES.includes(flags.otherMachine))
    throw new GateInputError(`--other-machine: '${flags.otherMachine}' is not one of ${OTHER_MACHINE_MODES.join(', ')}`);
  if (!(SUITES as readonly string[]).includes(flags.suite))
    throw new GateInputError(`--suite: '${flags.suite}' is not one of ${SUITES.join(', ')}`);
  const trialsGiven = flags.trials !== undefined ? Number(flags.trials) : undefined;
  if (trialsGiven !== undefined && !(Number.isInteger(trialsGiven) && trialsGiven >= 1))
    throw new GateInputError(`--trials: '${flags.trials}' is not a positive integer`);
  const runThroughput = flags.suite !== 'latency';
  const runLatency = flags.suite !== 'throughput';

  if (flags.updateBaseline) {
    const trials = trialsGiven ?? CI_SUITE.baselineTrials;
    if (runThroughput) {
      const { results } = loadResultsFile(await runSuite({ engines: suiteEngines(), trials, verbose: true }));
      writeBaseline(flags.baseline, results, () => ({}));
    }
    if (runLatency) {
      const { results } = loadResultsFile(await runLatencySuite({ engines: latencySuiteEngines(), trials, verbose: true }));
      writeBaseline(flags.latencyBaseline, results, keptSparkStats);
    }
    process.stdout.write(`gate: baselines recorded on: ${fingerprint(here)}\n`);
    return 0;
  }

  let exit = 0;
  const throughputBaseline = runThroughput ? loadBaseline(flags.baseline, flags.current, here, flags.otherMachine) : undefined;
  if (throughputBaseline) {
    const { baseline, advisory } = throughputBaseline;
    const engines = enginesIn(baseline, suiteEngines(), flags.baseline);
    for (const [engine, why] of Object.entries(NOT_GATED))
      process.stderr.write(`gate: ${engine} is not gated by the throughput suite: ${why}\n`);
    // Ratios need an engine besides the reference in both; raw figures depend on the machine: say so.
    const normalize = engines.some((e) => e !== REFERENCE) ? REFERENCE : undefined;
    if (!normalize)
      process.stderr.write(`gate: no engine besides ${REFERENCE} in the baseline: comparing raw figures, which depend on the machine\n`);
    const options = {
      thresholds: parseThresholds([...CI_SUITE.thresholds]),
      metrics: [...CI_SUITE.metrics],
      ...(normalize ? { normalize } : {}),
    };
    const trials = trialsGiven ?? CI_SUITE.trials;
    exit = Math.max(
      exit,
      await judgeSuite(
        'throughput',
        flags.current,
        () => runSuite({ engines, trials, verbose: true }),
        (path) => compareResults(baseline, loadResultsFile(path), options),
        flags.confirm && !advisory,
        advisory,
      ),
    );
  }
  if (runLatency) {
    const loaded = loadBaseline(flags.latencyBaseline, flags.currentLatency, here, flags.otherMachine);
    if (!loaded) return exit;
    const { baseline, advisory } = loaded;
    const engines = enginesIn(baseline, latencySuiteEngines(), flags.latencyBaseline);
    const trials = trialsGiven ?? LATENCY_SUITE.trials;
    exit = Math.max(
      exit,
      await judgeSuite(
        'latency',
        flags.currentLatency,
        () => runLatencySuite({ engines, trials, verbose: true }),
        (path) => compareLatency(baseline, loadResultsFile(path)),
        flags.confirm && !advisory,
        advisory,
      ),
    );
  }
  return exit;
}

/**
 * Runs one suite (or reads the given file), compares, prints; on a regression runs it once more and fails
 * only if the same engine, workload and metric regresses again: noise rarely strikes the same row twice in
 * a row, a real slowdown does.
 */
async function judgeSuite(
  name: string,
  given: string | undefined,
  run: () => Promise<string>,
  compare: (path: string) => ComparisonReport,
  confirm: boolean,
  advisory: boolean,
): Promise<number> {
  const startedAt = Date.now();
  process.stdout.write(`\ngate: the ${name} suite\n`);
  const report = compare(given ?? (await run()));
  print(report);
  let exit: number = report.summary.exitCode;
  if (exit !== 0 && CI_SUITE.confirm && !given && confirm) {
    process.stdout.write(`\ngate: ${name}: regression found; running the suite again to confirm it\n`);
    const first = regressedRows(report);
    const again = compare(await run());
    print(again);
    const confirmed = regressedRows(again).filter((r) => first.includes(r));
    process.stdout.write(
      confirmed.length > 0
        ? `gate: ${name}: FAIL: confirmed on a second run: ${confirmed.join(', ')}\n`
        : `gate: ${name}: PASS: the regression did not reproduce on a second run (noise)\n`,
    );
    exit = confirmed.length > 0 ? 1 : 0;
  }
  if (advisory && exit !== 0) {
    process.stdout.write(`gate: ${name}: regressions against another kind of machine's baseline are not failures (--other-machine warn)\n`);
    exit = 0;
  }
  if (!given) process.stdout.write(`gate: the ${name} suite took ${((Date.now() - startedAt) / 1000).toFixed(0)} s\n`);
  return exit;
}

/**
 * The baseline, after checking that it was measured on the same kind of machine as what it will judge
 * (this machine, or the given results file's).
 */
function loadBaseline(
  path: string,
  currentPath: string | undefined,
  here: MachineKind,
  otherMachine: string | undefined,
): { baseline: LabeledResults; advisory: boolean } | undefined {
  if (!existsSync(path)) {
    // Advisory mode (CI on any machine) must not fail on a suite whose baseline is not recorded yet.
    if (otherMachine === 'warn') {
      process.stderr.write(`gate: WARNING: no baseline at ${path}; that suite is skipped (--other-machine warn)\n`);
      return undefined;
    }
    throw new GateInputError(
      `no baseline at ${path}; record one on this machine (${fingerprint(here)}) with: node dist/bench/ci/gate.js --update-baseline`,
    );
  }
  const baseline = loadResultsFile(path);
  const judged = currentPath ? machineKind(loadResultsFile(currentPath).results.environment) : here;
  const differ = kindDifferences(machineKind(baseline.results.environment), judged);
  if (differ.length > 0) {
    const what = `${path} was measured on another kind of machine (${differ.join('; ')})`;
    if (!otherMachine) {
      throw new GateInputError(
        `${what}: its figures do not judge this one. Record a baseline here with \`node dist/bench/ci/gate.js --update-baseline --baseline <file> --latency-baseline <file>\` (and pass the same files to the gate), or judge anyway with --other-machine judge (--other-machine warn: compare, never fail)`,
      );
    }
    const how = otherMachine === 'warn' ? 'comparing for information only, a regression does not fail' : 'judging anyway';
    process.stderr.write(
      `gate: WARNING: ${what}; ${how} (--other-machine ${otherMachine}): differences may be the machine, not the code\n`,
    );
    return { baseline, advisory: otherMachine === 'warn' };
  }
  return { baseline, advisory: false };
}

/** The suite's engines that the baseline has; says which it lacks. */
function enginesIn(baseline: LabeledResults, registered: readonly string[], path: string): string[] {
  const inBaseline = new Set(baseline.results.runs.map((r) => r.engine));
  const missing = registered.filter((e) => !inBaseline.has(e));
  if (missing.length > 0)
    process.stderr.write(`gate: not in ${path}, not run: ${missing.join(', ')} (refresh it with --update-baseline)\n`);
  return registered.filter((e) => inBaseline.has(e));
}

/**
 * The gate reads summary figures only: keep the committed file small. Time series and histogram buckets
 * are dropped, engine stats all but what `keepStats` picks (so this file is for compare, not the HTML report).
 */
function writeBaseline(path: string, results: ResultsFile, keepStats: (run: RunResult) => Record<string, unknown>): void {
  for (const r of results.runs) {
    if (r.status !== 'ok') continue;
    r.timeseries = [];
    r.engineStats = keepStats(r);
    for (const h of [r.latency.eventTime, r.latency.processingTime, r.sendLag]) h.histogram.buckets = [];
  }
  writeFileAtomic(path, JSON.stringify(results, null, 1) + '\n');
  const engines = [...new Set(results.runs.map((r) => r.engine))];
  process.stdout.write(`baseline written to ${path} (${results.runs.length} trials of ${engines.join(', ')})\n`);
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
    process.exitCode = err instanceof CompareInputError || err instanceof GateInputError ? 2 : 1;
  },
);
