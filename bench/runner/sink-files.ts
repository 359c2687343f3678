/**
 * Where `--sink-file` puts each trial's sink records. Replaying an `--input` file gives every trial the
 * same events, so the trials' outputs should be equal: one file per engine and workload (the given name
 * itself when there is one of each) holds the first completed trial's records, and every later trial is
 * checked against it by output digest. A later trial writes beside it, and its file is removed when it
 * agrees, kept for a diff when it does not. Generated events carry wall-clock times, so their outputs
 * differ between trials: each trial gets its own file.
 */
import { rmSync } from 'node:fs';
import { extname } from 'node:path';
import type { SinkFileRecord, TrialOutcome } from '../../reports/schema.js';
import type { TrialSpec } from './trial.js';

export interface SinkFilePolicy {
  /** The file trial `trial` of `engine` x `workload` writes, asked just before it runs. */
  pathFor(engine: string, workload: string, trial: number): string;
  /** What a trial that was given `spec.sinkFile` produced; in plan order, resumed trials included. */
  trialDone(spec: TrialSpec, outcome: TrialOutcome): void;
  /** With `--input`: per engine and workload, the file written and the other trials' agreement. */
  records(): SinkFileRecord[];
}

export function sinkFilePolicy(
  path: string,
  matrix: { engines: readonly string[]; workloads: readonly string[]; trials: number; replay: boolean },
): SinkFilePolicy {
  const pairs = matrix.engines.length * matrix.workloads.length;
  const written = new Map<string, SinkFileRecord>();
  const key = (engine: string, workload: string) => `${engine}\u0000${workload}`;
  const perTrial = (engine: string, workload: string, trial: number) => suffixed(path, `${engine}-${workload}-${trial}`);

  if (!matrix.replay) {
    return {
      pathFor: (engine, workload, trial) => (pairs * matrix.trials === 1 ? path : perTrial(engine, workload, trial)),
      trialDone: () => {},
      records: () => [],
    };
  }
  return {
    pathFor(engine, workload, trial) {
      if (written.has(key(engine, workload))) return perTrial(engine, workload, trial);
      return pairs === 1 ? path : suffixed(path, `${engine}-${workload}`);
    },
    trialDone(spec, outcome) {
      if (outcome.status !== 'ok' || spec.sinkFile === undefined) return;
      const first = written.get(key(spec.engine, spec.workload));
      const digest = outcome.output.digest;
      if (!first) {
        written.set(key(spec.engine, spec.workload), {
          engine: spec.engine,
          workload: spec.workload,
          path: spec.sinkFile,
          trial: spec.trial,
          digest,
          agreeingTrials: [],
          differingTrials: [],
        });
      } else if (digest === first.digest) {
        first.agreeingTrials.push(spec.trial);
        rmSync(spec.sinkFile, { force: true });
      } else {
        first.differingTrials.push({ trial: spec.trial, digest, path: spec.sinkFile });
      }
    },
    records: () => [...written.values()],
  };
}

/** `out.jsonl` -> `out-flink-wordcount.jsonl`. */
function suffixed(path: string, suffix: string): string {
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}-${suffix}${ext}`;
}
