/** Runs `streamarena run` for a CI suite in a child process and returns the path of its results file. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadResultsFile } from '../../reports/compare/index.js';
import type { ResultsFile } from '../../reports/schema.js';
import { packageRoot } from '../runner/package-paths.js';
import { LATENCY_SUITE, latencyRunArgs } from './latency-suite.js';
import { suiteRunArgs } from './suite.js';

export interface SuiteRun {
  engines: readonly string[];
  trials: number;
  /** Results directory (a fresh temporary one by default). */
  outDir?: string;
  /** Extra environment (the experiment's preload). */
  env?: NodeJS.ProcessEnv;
  /** Pass the child's stderr (progress, "results written to") through. */
  verbose?: boolean;
  /** The `streamarena run` arguments for another suite (the latency suite); default the throughput suite's. */
  runArgs?: (outDir: string) => string[];
}

export async function runSuite(spec: SuiteRun): Promise<string> {
  const outDir = spec.outDir ?? mkdtempSync(join(tmpdir(), 'streamarena-ci-'));
  const before = new Set(safeList(outDir));
  const bin = join(packageRoot(), 'bin', 'streamarena.js');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [bin, ...(spec.runArgs ?? ((dir: string) => suiteRunArgs(spec.engines, spec.trials, dir)))(outDir)],
      {
        stdio: ['ignore', 'ignore', spec.verbose ? 'inherit' : 'ignore'],
        env: { ...process.env, ...spec.env },
      },
    );
    child.on('error', reject);
    child.on('close', resolve);
  });
  const written = safeList(outDir).filter((f) => f.endsWith('.json') && !before.has(f));
  if (written.length !== 1) throw new Error(`streamarena run exited with code ${code} and wrote ${written.length} results files`);
  // Exit 1 with a file means a trial failed: compare leaves failed trials out and says so.
  return join(outDir, written[0]);
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Runs the latency suite: one `streamarena run` per workload (their rates differ), merged into one results
 * file in the same directory. Trials pair by workload and trial number, so the merge keeps every pairing.
 */
export async function runLatencySuite(spec: Omit<SuiteRun, 'runArgs'>): Promise<string> {
  const outDir = spec.outDir ?? mkdtempSync(join(tmpdir(), 'streamarena-ci-latency-'));
  const files: ResultsFile[] = [];
  for (const run of LATENCY_SUITE.runs) {
    const path = await runSuite({
      ...spec,
      outDir: join(outDir, run.workload),
      runArgs: (dir) => latencyRunArgs(run, spec.engines, spec.trials, dir),
    });
    files.push(loadResultsFile(path).results);
  }
  const merged: ResultsFile = {
    ...files[0],
    command: files.map((f) => f.command).join(' ; '),
    runs: files.flatMap((f) => f.runs),
    ...(files.some((f) => f.interrupted) ? { interrupted: true } : {}),
  };
  const path = join(outDir, 'latency-results.json');
  writeFileAtomic(path, JSON.stringify(merged) + '\n');
  return path;
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
