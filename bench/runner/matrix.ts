/**
 * Runs the matrix engines x workloads x trials. Trials are interleaved (trial 1 of every engine and
 * workload, then trial 2...) so that drift on a shared machine does not favour whoever runs first; each
 * trial runs in a fresh child process unless isolation is 'inline' (tests, debugging).
 */
import type { FailedRun, TrialOutcome } from '../../reports/schema.js';
import { isUsageError } from '../errors.js';
import { runTrialInChild } from './child-trial.js';
import { checkRunnable } from './preflight.js';
import { checkDeployment } from './dataflow-recipe.js';
import type { SinkFilePolicy } from './sink-files.js';
import { runTrial, type TrialProgress, type TrialSpec } from './trial.js';

export type Isolation = 'process' | 'inline';

export interface MatrixSpec {
  engines: readonly string[];
  workloads: readonly string[];
  trials: number;
  /** Everything of a trial but which engine, workload and trial number it is. */
  base: Omit<TrialSpec, 'engine' | 'workload' | 'trial' | 'sinkFile'>;
  /** Where each trial writes its sink records, if they are wanted. */
  sinkFiles?: SinkFilePolicy;
  isolation: Isolation;
}

export interface MatrixListener {
  trialStarted?(index: number, total: number, spec: TrialSpec): void;
  trialProgress?(index: number, total: number, spec: TrialSpec, progress: TrialProgress): void;
  trialFinished?(index: number, total: number, spec: TrialSpec, outcome: TrialOutcome): void;
}

/** The trials in the order they run (their sink files are chosen as each one starts). */
export function planTrials(m: MatrixSpec): TrialSpec[] {
  const plan: TrialSpec[] = [];
  for (let trial = 1; trial <= m.trials; trial++) {
    for (const workload of m.workloads) {
      for (const engine of m.engines) plan.push({ ...m.base, engine, workload, trial });
    }
  }
  return plan;
}

/**
 * Runs every trial; a trial that fails is recorded as failed and the matrix goes on. A usage error (bad
 * input) stops the matrix and is thrown. `shouldStop` is polled between trials (Ctrl-C). `resumed` holds
 * the outcomes of trials that completed in an earlier, interrupted run, by plan index: they are not run
 * again, and the listener hears only of the trials that run now.
 */
export async function runMatrix(
  m: MatrixSpec,
  listener: MatrixListener = {},
  shouldStop: () => boolean = () => false,
  resumed: ReadonlyMap<number, TrialOutcome> = new Map(),
): Promise<{ outcomes: TrialOutcome[]; interrupted: boolean }> {
  checkRunnable(m.engines, m.workloads, m.base.options, m.base.parallelism);
  checkDeployment(m.engines, m.workloads, m.base.options, m.base.deployment);
  const plan = planTrials(m);
  const outcomes: TrialOutcome[] = [];
  for (let i = 0; i < plan.length; i++) {
    const sinkFile = m.sinkFiles?.pathFor(plan[i].engine, plan[i].workload, plan[i].trial);
    const spec: TrialSpec = { ...plan[i], ...(sinkFile ? { sinkFile } : {}) };
    const earlier = resumed.get(i);
    if (earlier) {
      m.sinkFiles?.trialDone(spec, earlier);
      outcomes.push(earlier);
      continue;
    }
    if (shouldStop()) return { outcomes, interrupted: true };
    listener.trialStarted?.(i, plan.length, spec);
    const onProgress = (p: TrialProgress) => listener.trialProgress?.(i, plan.length, spec, p);
    let outcome: TrialOutcome;
    try {
      outcome = m.isolation === 'process' ? await runTrialInChild(spec, onProgress) : await runTrial(spec, onProgress);
    } catch (err) {
      if (isUsageError(err)) throw err;
      const failed: FailedRun = {
        engine: spec.engine,
        workload: spec.workload,
        trial: spec.trial,
        status: 'failed',
        error: oneLine((err as Error).message),
      };
      outcome = failed;
    }
    m.sinkFiles?.trialDone(spec, outcome);
    outcomes.push(outcome);
    listener.trialFinished?.(i, plan.length, spec, outcome);
  }
  return { outcomes, interrupted: false };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
