/**
 * `streamarena report <results.json>... [-o report.html] [--baseline <results.json>]`: one
 * self-contained HTML report of one or more results files; `run` also writes one beside its results
 * ({@link writeReportBeside}).
 *
 * Results files carry no physical plans, so this command recomputes each engine's plan with
 * `engine.explain(workload.dataflow(options), {parallelism, values})` from the run's recorded
 * (qualified) options, for the engines and workloads this streamarena knows.
 */
import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { renderReport, type PlanProvider, type ReportSource } from '../../../reports/html/index.js';
import { asResultsFile, type ResultsFile } from '../../../reports/schema.js';
import { UsageError } from '../../errors.js';
import { explainRecordedOptions } from '../../runner/index.js';
import { toolVersion } from '../version.js';

/** The report's file name beside a results file. */
export const REPORT_FILE_NAME = 'report.html';

export function reportCommand(): Command {
  return new Command('report')
    .description('render results files as one self-contained HTML report (charts, tables, engine panels, plans)')
    .argument('<results...>', 'results JSON files written by streamarena run or sweep')
    .option('-o, --out <file>', 'the HTML file to write', REPORT_FILE_NAME)
    .option('--baseline <results>', 'a results file to compare with: the change of each figure, marked significant or not')
    .action(async (files: string[], flags: { out: string; baseline?: string }) => {
      const path = await writeReport(files, flags.out, flags.baseline);
      process.stderr.write(`report written to ${path}\n`);
    });
}

/**
 * Renders the given results files (and baseline) into `out`, atomically (temporary file, then
 * rename). Returns the absolute path written.
 * @throws UsageError for a file that cannot be read or is not a results file this version reads.
 */
export async function writeReport(files: readonly string[], out: string, baseline?: string): Promise<string> {
  const labels = sourceLabels(files);
  const sources: ReportSource[] = [];
  for (let i = 0; i < files.length; i++) sources.push({ label: labels[i]!, results: await readResults(files[i]!) });
  const base = baseline === undefined ? undefined : { label: basename(baseline), results: await readResults(baseline) };
  const html = renderReport({ sources, ...(base ? { baseline: base } : {}), plans: recomputePlan, toolVersion: toolVersion() });
  const path = resolve(out);
  try {
    await writeAtomically(path, html);
  } catch (err) {
    throw new UsageError(`-o: cannot write ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return path;
}

/**
 * Writes `report.html` beside a results file that was just written (comparing with `baseline`, a
 * results file path, when given), and says where on stderr. Never throws: the results are already
 * safe, so a failure is reported as a warning.
 * @returns the report's path, or undefined when it could not be written.
 */
export async function writeReportBeside(resultsPath: string, results: ResultsFile, baseline?: string): Promise<string | undefined> {
  const path = join(dirname(resultsPath), REPORT_FILE_NAME);
  try {
    const base = baseline === undefined ? undefined : { label: basename(baseline), results: await readResults(baseline) };
    const html = renderReport({
      sources: [{ label: basename(resultsPath), results }],
      ...(base ? { baseline: base } : {}),
      plans: recomputePlan,
      toolVersion: toolVersion(),
    });
    await writeAtomically(path, html);
    process.stderr.write(`report written to ${path}\n`);
    return path;
  } catch (err) {
    process.stderr.write(
      `streamarena: warning: the HTML report was not written (${(err as Error).message}); 'streamarena report ${resultsPath}' retries\n`,
    );
    return undefined;
  }
}

/**
 * A plan from the recorded options of a run: the engine's and the workload's qualified options
 * (`flink.bufferTimeout`), defaults for any the file lacks, and `run.parallelism`. Undefined when
 * the engine or the workload is not registered here.
 */
export const recomputePlan: PlanProvider = (engineName, workloadName, options) => {
  const plan = explainRecordedOptions(engineName, workloadName, options);
  return plan && { plan };
};

async function readResults(file: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read results file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON (${(err as Error).message})`);
  }
  try {
    return asResultsFile(json, file);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** File names, or the paths as given where two files share a name. */
function sourceLabels(files: readonly string[]): string[] {
  const names = files.map((f) => basename(f));
  return names.map((n, i) => (names.indexOf(n) !== names.lastIndexOf(n) ? files[i]! : n));
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
