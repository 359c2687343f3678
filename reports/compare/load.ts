/** Reads a results file for `compare`, with one clear sentence for each way it can be unusable. */
import { readFileSync } from 'node:fs';
import { asResultsFile, type ResultsFile } from '../schema.js';
import { CompareInputError } from './errors.js';

/** A results file and the name it was given on the command line. */
export interface LabeledResults {
  /** What to call it in messages: the path as typed. */
  label: string;
  results: ResultsFile;
}

/** Reads and checks `path`; throws a CompareInputError saying what is wrong. */
export function loadResultsFile(path: string): LabeledResults {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? (err as Error).message);
    throw new CompareInputError(`cannot read ${path}: ${why}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CompareInputError(`${path} is not a streamarena results file (not JSON)`);
  }
  return { label: path, results: checkResults(json, path) };
}

/** Checks parsed JSON (a file, or results held in memory) the same way. */
export function checkResults(json: unknown, label: string): ResultsFile {
  let results: ResultsFile;
  try {
    results = asResultsFile(json, label);
  } catch (err) {
    throw new CompareInputError((err as Error).message);
  }
  results.runs.forEach((r, i) => {
    const ok =
      r !== null &&
      typeof r === 'object' &&
      typeof r.engine === 'string' &&
      typeof r.workload === 'string' &&
      (r.status === 'ok' || r.status === 'failed');
    if (!ok) throw new CompareInputError(`${label} is not a streamarena results file (runs[${i}] has no engine, workload or status)`);
  });
  if (results.runs.length === 0) {
    // `sweeps` is written by `streamarena sweep`, whose `runs` is empty.
    const sweeps = (results as { sweeps?: unknown }).sweeps;
    throw new CompareInputError(
      Array.isArray(sweeps) && sweeps.length > 0
        ? `${label} holds sweeps, not trials: compare reads the results of 'streamarena run'`
        : `${label} has no trials`,
    );
  }
  return results;
}
