/** Runs `streamarena run` for the CI suite in a child process and returns the path of its results file. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../runner/package-paths.js';
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
}

export async function runSuite(spec: SuiteRun): Promise<string> {
  const outDir = spec.outDir ?? mkdtempSync(join(tmpdir(), 'streamarena-ci-'));
  const before = new Set(safeList(outDir));
  const bin = join(packageRoot(), 'bin', 'streamarena.js');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...suiteRunArgs(spec.engines, spec.trials, outDir)], {
      stdio: ['ignore', 'ignore', spec.verbose ? 'inherit' : 'ignore'],
      env: { ...process.env, ...spec.env },
    });
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
