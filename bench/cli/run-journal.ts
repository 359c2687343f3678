/**
 * The journal of `streamarena run`: after the header, one line per completed trial with its place in the
 * plan and its outcome, exactly as it goes into the results file.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { TrialOutcome } from '../../reports/schema.js';
import { UsageError } from '../errors.js';
import type { TrialSpec } from '../runner/index.js';

/** The flags that decide what a run measures; the others (--json, --no-report, --baseline) may change on resume. */
export const RUN_JOURNALED_FLAGS = [
  'engine',
  'workload',
  'rate',
  'duration',
  'events',
  'warmup',
  'trials',
  'parallelism',
  'option',
  'input',
  'sinkFile',
  'seed',
  'isolation',
  'drainTimeout',
  'deployment',
  'cluster',
  'fault',
] as const;
export const RUN_PATH_FLAGS = ['input', 'sinkFile'];

export interface TrialEntry {
  /** Index in the plan (the order trials run in). */
  index: number;
  engine: string;
  workload: string;
  trial: number;
  outcome: TrialOutcome;
}

export function trialEntry(index: number, spec: TrialSpec, outcome: TrialOutcome): TrialEntry {
  return { index, engine: spec.engine, workload: spec.workload, trial: spec.trial, outcome };
}

/** What the run must find unchanged on resume: the input file's contents. */
export async function runFingerprint(input: string | undefined): Promise<Record<string, string>> {
  if (input === undefined) return {};
  return {
    inputSha256: createHash('sha256')
      .update(await readFile(input))
      .digest('hex'),
  };
}

/** The journal's completed trials by plan index; an entry that is not a trial of `plan` is a UsageError. */
export function journaledOutcomes(entries: readonly unknown[], plan: readonly TrialSpec[], journalPath: string): Map<number, TrialOutcome> {
  const done = new Map<number, TrialOutcome>();
  entries.forEach((raw, i) => {
    const e = raw as Partial<TrialEntry>;
    const spec = typeof e.index === 'number' ? plan[e.index] : undefined;
    const status = e.outcome?.status;
    if (
      !spec ||
      spec.engine !== e.engine ||
      spec.workload !== e.workload ||
      spec.trial !== e.trial ||
      (status !== 'ok' && status !== 'failed')
    ) {
      throw new UsageError(`--resume: ${journalPath}: line ${i + 2} is not a trial of this run's matrix`);
    }
    done.set(e.index!, e.outcome!);
  });
  return done;
}
