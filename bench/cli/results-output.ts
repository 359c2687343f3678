/**
 * Where commands put their results: the results file's envelope, a fresh file name that never overwrites,
 * and the checks of output directories before any work starts.
 */
import type { Command } from 'commander';
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SCHEMA_VERSION, type ResultsFile } from '../../reports/schema.js';
import { writeResultsAtomically } from '../../reports/write-results.js';
import { UsageError } from '../errors.js';
import { collectEnvironment } from '../runner/index.js';
import { toolVersion } from './version.js';

/** The command line `cmd` was given, as results files record it. */
export function commandLineOf(cmd: Command): string {
  return ['streamarena', ...cmd.parent!.args].join(' ');
}

/** A results file for what `cmd` ran (or `commandLine`, a resumed run's original), started at `createdAt`. */
export function resultsFile(
  cmd: Command,
  createdAt: Date,
  content: Pick<ResultsFile, 'runs'> & Partial<Pick<ResultsFile, 'sweeps' | 'interrupted' | 'sinkFiles' | 'fidelity'>>,
  commandLine: string = commandLineOf(cmd),
): ResultsFile {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'streamarena', version: toolVersion() },
    createdAt: createdAt.toISOString(),
    command: commandLine,
    environment: collectEnvironment(),
    ...content,
  };
}

/** Writes `results` atomically under a fresh name in `dir`; returns the path. */
export async function writeFreshResults(dir: string, results: ResultsFile): Promise<string> {
  const path = await freshPath(dir, new Date(results.createdAt));
  await writeResultsAtomically(path, results);
  return path;
}

export async function ensureWritableDir(flag: string, dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new UsageError(`${flag}: cannot write to ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** `results-20261121-093015.json`, with `-2`, `-3`... if that name is taken: never overwrites. */
async function freshPath(dir: string, at: Date): Promise<string> {
  const stamp = fileStamp(at);
  for (let n = 1; ; n++) {
    const path = join(dir, `results-${stamp}${n > 1 ? `-${n}` : ''}.json`);
    try {
      await access(path);
    } catch {
      return path;
    }
  }
}

/** `20261121-093015`, local time: the stamp in the names of results files and journals. */
export function fileStamp(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
}
