/**
 * The gate's noise experiment: how often does `compare` flag a regression between runs of the same code,
 * and does it catch a real slowdown? Prints, per comparison setting, how many comparisons failed (and how
 * many a confirmation run would have upheld), and per engine, workload and metric the changes of the
 * median that noise alone produced, from which thresholds are set.
 *
 * Two designs:
 *   node dist/bench/ci/noise.js --pairs 10 [--trials 3] [--slowdown flink:0.25]
 *       N independent pairs: run A, then run B (with the slowdown, if given), pair after pair.
 *   node dist/bench/ci/noise.js --pairs 10 --baseline-trials 10 [--slowdown flink:0.25]
 *       the gate's situation: one baseline with more trials, then N current runs of the same code (and,
 *       with --slowdown, N slowed-down ones, interleaved), each compared with that baseline.
 *
 *   --analyze <dir>: compare the runs already in <dir> again; --metrics/--threshold: try another setting.
 *   --twin <name>: register a copy of the reference engine as <name> (when no other engine is registered).
 *   --engines <list>: the engines (default: every registered one).
 *
 * A confirmation run is simulated with the next current run (the gate runs the suite again and fails
 * only when the same engine, workload and metric regresses twice).
 */
import { Command } from 'commander';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  compareResults,
  loadResultsFile,
  parseThresholds,
  type ComparisonReport,
  type LabeledResults,
} from '../../reports/compare/index.js';
import { formatChange, formatPercent } from '../../reports/format/index.js';
import { CI_SUITE, REFERENCE, suiteEngines } from './suite.js';
import { runSuite } from './run-suite.js';

interface Setting {
  name: string;
  normalize?: string;
  metrics?: string[];
  thresholds: string[];
}

interface Flags {
  pairs: string;
  trials: string;
  baselineTrials?: string;
  engines?: string;
  slowdown?: string;
  twin?: string;
  out: string;
  analyze?: string;
  metrics?: string;
  threshold: string[];
}

async function main(): Promise<void> {
  const flags = new Command('noise')
    .option('--pairs <n>', 'pairs of runs (or current runs against one baseline)', '10')
    .option('--trials <n>', 'trials per engine and workload in each run', '3')
    .option('--baseline-trials <n>', 'one baseline with this many trials, every current run compared with it')
    .option('--engines <list>', 'engines (default: every registered one)')
    .option('--slowdown <engine:s>', 'slow this engine down by s (0.25 = 25 %) in run B (or in the extra slowed-down runs)')
    .option('--twin <name>', 'register a copy of the reference engine under this name')
    .option('--out <dir>', 'where the results go', 'streamarena-noise')
    .option('--analyze <dir>', 'only compare the runs already in this directory')
    .option('--metrics <list>', 'also try these metrics (normalized when possible) ...')
    .option(
      '--threshold <spec>',
      '... with these thresholds (repeatable, as compare)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .parse(process.argv)
    .opts<Flags>();

  const dir = resolve(flags.analyze ?? flags.out);
  if (!flags.analyze) await collect(flags, dir);
  const extra: Setting | undefined =
    flags.metrics || flags.threshold.length > 0
      ? {
          name: `tried: metrics ${flags.metrics ?? 'all'}, thresholds ${flags.threshold.join(' ') || 'default'}`,
          thresholds: flags.threshold,
          ...(flags.metrics ? { metrics: flags.metrics.split(',') } : {}),
        }
      : undefined;
  analyze(dir, extra);
}

async function collect(flags: Flags, dir: string): Promise<void> {
  const preload = pathToFileURL(join(import.meta.dirname, 'experiment-preload.js')).href;
  const env: NodeJS.ProcessEnv = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${preload}`.trim() };
  if (flags.twin) env.STREAMARENA_CI_TWIN = flags.twin;
  const slowEnv = flags.slowdown ? { ...env, STREAMARENA_CI_SLOWDOWN: flags.slowdown } : undefined;
  const engineNames = flags.engines ? flags.engines.split(',') : [...suiteEngines(), ...(flags.twin ? [flags.twin] : [])];
  const trials = Number(flags.trials);
  mkdirSync(dir, { recursive: true });
  const run = async (name: string, runTrials: number, runEnv: NodeJS.ProcessEnv) => {
    const started = Date.now();
    await runSuite({ engines: engineNames, trials: runTrials, outDir: join(dir, name), env: runEnv });
    process.stderr.write(`${name}: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  };
  if (flags.baselineTrials) await run('baseline', Number(flags.baselineTrials), env);
  for (let i = 1; i <= Number(flags.pairs); i++) {
    if (flags.baselineTrials) {
      await run(`pair-${i}-b`, trials, env);
      if (slowEnv) await run(`pair-${i}-s`, trials, slowEnv);
    } else {
      await run(`pair-${i}-a`, trials, env);
      await run(`pair-${i}-b`, trials, slowEnv ?? env);
    }
  }
}

/** The results file in `dir/name`. */
function resultsIn(dir: string, name: string): LabeledResults {
  const [file] = readdirSync(join(dir, name)).filter((f) => f.endsWith('.json'));
  if (file === undefined) throw new Error(`${join(dir, name)} holds no results file`);
  return loadResultsFile(join(dir, name, file));
}

/** Comparisons to judge: (baseline, current, next current for the confirmation), by kind. */
function comparisonsIn(dir: string): { kind: string; pairs: { a: LabeledResults; b: LabeledResults; confirm: LabeledResults }[] }[] {
  const ids = readdirSync(dir)
    .map((d) => /^pair-(\d+)-b$/.exec(d)?.[1])
    .filter((x): x is string => x !== undefined)
    .sort((x, y) => Number(x) - Number(y));
  const fixed = existsSync(join(dir, 'baseline')) ? resultsIn(dir, 'baseline') : undefined;
  const kinds: { kind: string; side: string }[] = [{ kind: fixed ? 'same code against one baseline' : 'pairs A/B', side: 'b' }];
  if (fixed && ids.every((i) => existsSync(join(dir, `pair-${i}-s`))))
    kinds.push({ kind: 'slowed down against the same baseline', side: 's' });
  return kinds.map(({ kind, side }) => {
    const current = ids.map((i) => resultsIn(dir, `pair-${i}-${side}`));
    return {
      kind,
      pairs: ids.map((i, k) => ({ a: fixed ?? resultsIn(dir, `pair-${i}-a`), b: current[k], confirm: current[(k + 1) % current.length] })),
    };
  });
}

function analyze(dir: string, extra: Setting | undefined): void {
  const groups = comparisonsIn(dir);
  const hasOther = groups[0].pairs[0].a.results.runs.some((r) => r.engine !== REFERENCE);
  const gate = `gate metrics (${CI_SUITE.metrics.join(',')}), gate thresholds (${CI_SUITE.thresholds.join(' ')})`;
  const settings: Setting[] = [
    { name: 'raw, all metrics, default 10%', thresholds: [] },
    ...(hasOther
      ? [
          { name: 'normalized, all metrics, default 10%', normalize: REFERENCE, thresholds: [] },
          { name: `normalized, ${gate}`, normalize: REFERENCE, metrics: [...CI_SUITE.metrics], thresholds: [...CI_SUITE.thresholds] },
        ]
      : []),
    { name: `raw, ${gate}`, metrics: [...CI_SUITE.metrics], thresholds: [...CI_SUITE.thresholds] },
    ...(extra ? [{ ...extra, ...(hasOther ? { normalize: REFERENCE } : {}) }] : []),
  ];
  for (const { kind, pairs } of groups) {
    process.stdout.write(`\n######## ${kind}: ${pairs.length} comparisons in ${dir}\n`);
    for (const s of settings) {
      const options = {
        thresholds: parseThresholds(s.thresholds),
        ...(s.normalize ? { normalize: s.normalize } : {}),
        ...(s.metrics ? { metrics: s.metrics } : {}),
      };
      const reports: ComparisonReport[] = pairs.map((p) => compareResults(p.a, p.b, options));
      const failed = reports.filter((r) => r.summary.exitCode !== 0).length;
      const confirmed = reports.filter((r, k) => {
        if (r.summary.exitCode === 0) return false;
        const again = regressed(compareResults(pairs[k].a, pairs[k].confirm, options));
        return regressed(r).some((x) => again.includes(x));
      }).length;
      process.stdout.write(
        `\n== ${s.name}: ${failed}/${reports.length} flag a regression; ${confirmed}/${reports.length} with a confirmation run\n`,
      );
      const byRow = new Map<string, { changes: number[]; regressions: number; significant: number }>();
      for (const r of reports) {
        for (const row of r.rows) {
          const key = `${row.engine} ${row.workload} ${row.metric}`;
          const e = byRow.get(key) ?? { changes: [], regressions: 0, significant: 0 };
          if (row.change !== null) e.changes.push(row.change);
          if (row.verdict === 'regression') e.regressions++;
          if (Math.min(row.pWorse ?? 1, row.pBetter ?? 1) <= r.alpha) e.significant++;
          byRow.set(key, e);
        }
      }
      for (const [key, e] of byRow) {
        const abs = e.changes.map(Math.abs).sort((x, y) => x - y);
        const medianAbs = abs.length ? abs[Math.floor((abs.length - 1) / 2)] : 0;
        process.stdout.write(
          `  ${key.padEnd(38)} |change| median ${formatPercent(medianAbs).padStart(6)} max ${formatPercent(abs.at(-1) ?? 0).padStart(6)}  significant ${e.significant}/${reports.length}  regression ${e.regressions}/${reports.length}  changes ${e.changes.map(formatChange).join(' ')}\n`,
        );
      }
    }
  }
}

function regressed(report: ComparisonReport): string[] {
  return report.rows.filter((r) => r.verdict === 'regression').map((r) => `${r.engine} x ${r.workload} ${r.metric}`);
}

main().catch((err: Error) => {
  process.stderr.write(`noise: ${err.message}\n`);
  process.exit(1);
});
