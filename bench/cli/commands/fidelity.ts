/** `streamarena fidelity`: the models held against published figures and shapes. */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { CHECKS, formatFidelity, runFidelity } from '../../fidelity/index.js';
import { UsageError } from '../../errors.js';
import { parseCount, parseNameList, parseTime } from '../parse.js';
import { ensureWritableDir, resultsFile, writeFreshResults } from '../results-output.js';
import { writeReportBeside } from './report.js';

interface FidelityFlags {
  engine: string;
  check: string;
  budget: string;
  out: string;
  seed: string;
  json?: boolean;
  isolation: string;
  report?: boolean;
}

const MODEL_ENGINES = ['flink', 'spark', 'storm'];

export function fidelityCommand(): Command {
  return new Command('fidelity')
    .description('run the models on the conditions of published experiments (YSB 2020, Nexmark, Spark and Storm guidance) and compare')
    .option('-e, --engine <list>', 'engines to hold against the published figures, comma-separated, or all', 'all')
    .option('-c, --check <list>', `checks, comma-separated, or all (${Object.keys(CHECKS).join(', ')})`, 'all')
    .option('--budget <time>', 'wall-time budget for all checks; a check that no longer fits is skipped and says so', '12m')
    .option('--out <dir>', 'results directory', 'streamarena-results')
    .option('--seed <n>', 'generator seed', '42')
    .option('--json', 'print the results JSON on stdout and nothing else there')
    .option('--isolation <mode>', "'process' or 'inline'", 'process')
    .option('--no-report', 'do not write report.html beside the results')
    .action(async (flags: FidelityFlags, cmd: Command) => {
      process.exitCode = await fidelity(flags, cmd);
    });
}

async function fidelity(flags: FidelityFlags, cmd: Command): Promise<number> {
  const engines = parseNameList('--engine', flags.engine, MODEL_ENGINES);
  const checks = parseNameList('--check', flags.check, Object.keys(CHECKS));
  if (flags.isolation !== 'process' && flags.isolation !== 'inline')
    throw new UsageError(`--isolation: '${flags.isolation}' is not 'process' or 'inline'`);
  const budgetMs = parseTime('--budget', flags.budget, false);
  const seed = parseCount('--seed', flags.seed, 0);
  const outDir = resolve(flags.out);
  await ensureWritableDir('--out', outDir);
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const createdAt = new Date();
  const { checks: results, trials } = await runFidelity({
    engines,
    checks,
    budgetMs,
    seed,
    isolation: flags.isolation,
    onCheck: (check, on, estimateMs) =>
      say(`fidelity ${check.id} on ${on.join(', ')} (about ${Math.ceil(estimateMs / 1000)} s): ${check.criterion(on)}`),
    onTrial: say,
  });
  const file = resultsFile(cmd, createdAt, { runs: trials.runs, fidelity: results });
  const path = await writeFreshResults(outDir, file);
  if (flags.report !== false) await writeReportBeside(path, file);
  process.stdout.write(flags.json ? `${JSON.stringify(file)}\n` : `${formatFidelity(results)}\n`);
  say(`results written to ${path}`);
  return results.some((c) => c.status === 'error') ? 1 : 0;
}
