/**
 * The samples `compare` tests: for every engine and workload of a results file, each metric's values over
 * its successful trials (one value per trial), raw or normalized. Failed trials are left out and said.
 */
import type { OptionValue } from '../../engines/api/index.js';
import type { ResultsFile, RunResult } from '../schema.js';
import { CompareInputError } from './errors.js';
import type { MetricSpec } from './metrics.js';
import { normalizedValue, partnerOf, referenceTrials } from './normalize.js';

/** One engine on one workload in one file. */
export interface TrialSamples {
  engine: string;
  workload: string;
  /** Trial numbers that count (successful, and with a reference partner when normalized). */
  trials: number[];
  /** Metric name -> one value per trial that has it, in trial order. */
  values: Record<string, number[]>;
  /** Effective options of the first counted trial, and its offered rate: to warn when files differ. */
  options: Record<string, OptionValue>;
  rate: number | 'max' | undefined;
}

export interface FileSamples {
  /** By `engine × workload` key (see groupKey). */
  groups: Map<string, TrialSamples>;
  /** What was left out and why, for the report. */
  notes: string[];
}

export function groupKey(engine: string, workload: string): string {
  return `${engine}\u0000${workload}`;
}

/** Names a trial in notes. */
function trialName(engine: string, workload: string, trial: number): string {
  return `${engine} x ${workload} trial ${trial}`;
}

/** At most `max` items of a list, then "and N more". */
export function listSome(items: readonly string[], max = 4): string {
  return items.length <= max ? items.join('; ') : `${items.slice(0, max).join('; ')}; and ${items.length - max} more`;
}

/**
 * Samples of every engine and workload in `results`. With `normalizeBy`, each value is divided by that
 * engine's value in the same trial, and that engine itself is left out (it would be 1 throughout).
 */
export function collectSamples(results: ResultsFile, label: string, metrics: readonly MetricSpec[], normalizeBy?: string): FileSamples {
  const notes: string[] = [];
  const ok = results.runs.filter((r): r is RunResult => r.status === 'ok');
  const failed = results.runs.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    notes.push(
      `${label}: ${failed.length} failed trial${failed.length > 1 ? 's' : ''} left out: ${listSome(
        failed.map((f) => `${trialName(f.engine, f.workload, f.trial)} (${'error' in f ? f.error : 'failed'})`),
        3,
      )}`,
    );
  }
  if (results.interrupted) notes.push(`${label}: the run was interrupted; only the trials it completed are compared`);
  const undrained = ok.filter((r) => r.drained === false);
  if (undrained.length > 0) {
    notes.push(
      `${label}: ${undrained.length} trial${undrained.length > 1 ? 's' : ''} did not finish within the drain timeout (kept): ${listSome(
        undrained.map((r) => trialName(r.engine, r.workload, r.trial)),
        3,
      )}`,
    );
  }

  const reference = normalizeBy === undefined ? undefined : referenceTrials(ok, normalizeBy);
  if (normalizeBy !== undefined && reference!.size === 0) {
    throw new CompareInputError(`--normalize ${normalizeBy}: ${label} has no successful trial of engine '${normalizeBy}'`);
  }
  const unpaired: string[] = [];
  const groups = new Map<string, TrialSamples>();
  for (const run of ok) {
    if (run.engine === normalizeBy) continue;
    const partner = reference === undefined ? undefined : partnerOf(run, reference);
    if (reference !== undefined && partner === undefined) {
      unpaired.push(trialName(run.engine, run.workload, run.trial));
      continue;
    }
    const key = groupKey(run.engine, run.workload);
    let g = groups.get(key);
    if (!g) {
      g = { engine: run.engine, workload: run.workload, trials: [], values: {}, options: run.options ?? {}, rate: run.input?.rate };
      groups.set(key, g);
    }
    g.trials.push(run.trial);
    for (const m of metrics) {
      const v = partner === undefined ? m.value(run) : normalizedValue(m, run, partner);
      if (v !== undefined) (g.values[m.name] ??= []).push(v);
    }
  }
  if (unpaired.length > 0) {
    notes.push(
      `${label}: ${unpaired.length} trial${unpaired.length > 1 ? 's' : ''} left out, no successful ${normalizeBy} trial beside ${unpaired.length > 1 ? 'them' : 'it'} to normalize by: ${listSome(unpaired, 3)}`,
    );
  }
  return { groups, notes };
}
