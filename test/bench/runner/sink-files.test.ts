import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sinkFilePolicy, type SinkFilePolicy, type TrialSpec } from '../../../bench/runner/index.js';
import type { TrialOutcome } from '../../../reports/schema.js';

/** Runs one trial against the policy as the matrix does: asks for the path, "writes" it, reports the digest. */
function trial(policy: SinkFilePolicy, engine: string, workload: string, n: number, digest: string | 'failed'): string {
  const sinkFile = policy.pathFor(engine, workload, n);
  const spec = { engine, workload, trial: n, sinkFile } as TrialSpec;
  const outcome =
    digest === 'failed'
      ? ({ engine, workload, trial: n, status: 'failed', error: 'boom' } as TrialOutcome)
      : (writeFileSync(sinkFile, `${digest}\n`), { engine, workload, trial: n, status: 'ok', output: { digest } } as TrialOutcome);
  policy.trialDone(spec, outcome);
  return sinkFile;
}

describe('sink files of a matrix', () => {
  it('on a replay, writes the given name once and removes the files of later trials that agree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-sink-'));
    const policy = sinkFilePolicy(join(dir, 'counts.jsonl'), { engines: ['reference'], workloads: ['wordcount'], trials: 3, replay: true });
    expect(trial(policy, 'reference', 'wordcount', 1, '3:aa')).toBe(join(dir, 'counts.jsonl'));
    const second = trial(policy, 'reference', 'wordcount', 2, '3:aa');
    const third = trial(policy, 'reference', 'wordcount', 3, '3:aa');
    expect(second).toBe(join(dir, 'counts-reference-wordcount-2.jsonl'));
    expect([existsSync(join(dir, 'counts.jsonl')), existsSync(second), existsSync(third)]).toEqual([true, false, false]);
    expect(policy.records()).toEqual([
      {
        engine: 'reference',
        workload: 'wordcount',
        path: join(dir, 'counts.jsonl'),
        trial: 1,
        digest: '3:aa',
        agreeingTrials: [2, 3],
        differingTrials: [],
      },
    ]);
  });

  it('keeps the records of a trial that disagrees, and names it; a failed first trial leaves the file to the next', () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-sink-'));
    const policy = sinkFilePolicy(join(dir, 'out.jsonl'), {
      engines: ['flink', 'storm'],
      workloads: ['wordcount'],
      trials: 3,
      replay: true,
    });
    trial(policy, 'flink', 'wordcount', 1, '3:aa');
    trial(policy, 'storm', 'wordcount', 1, 'failed');
    trial(policy, 'flink', 'wordcount', 2, '4:bb');
    expect(trial(policy, 'storm', 'wordcount', 2, '3:aa')).toBe(join(dir, 'out-storm-wordcount.jsonl'));
    trial(policy, 'flink', 'wordcount', 3, '3:aa');
    trial(policy, 'storm', 'wordcount', 3, '3:aa');
    const differing = join(dir, 'out-flink-wordcount-2.jsonl');
    expect(existsSync(differing)).toBe(true);
    expect(existsSync(join(dir, 'out-flink-wordcount-3.jsonl'))).toBe(false);
    expect(policy.records()).toEqual([
      {
        engine: 'flink',
        workload: 'wordcount',
        path: join(dir, 'out-flink-wordcount.jsonl'),
        trial: 1,
        digest: '3:aa',
        agreeingTrials: [3],
        differingTrials: [{ trial: 2, digest: '4:bb', path: differing }],
      },
      {
        engine: 'storm',
        workload: 'wordcount',
        path: join(dir, 'out-storm-wordcount.jsonl'),
        trial: 2,
        digest: '3:aa',
        agreeingTrials: [3],
        differingTrials: [],
      },
    ]);
  });

  it('gives generated runs one file per trial, or the given name for a single trial', () => {
    const many = sinkFilePolicy('/x/out.jsonl', { engines: ['flink'], workloads: ['ysb'], trials: 2, replay: false });
    expect([many.pathFor('flink', 'ysb', 1), many.pathFor('flink', 'ysb', 2)]).toEqual([
      '/x/out-flink-ysb-1.jsonl',
      '/x/out-flink-ysb-2.jsonl',
    ]);
    const one = sinkFilePolicy('/x/out.jsonl', { engines: ['flink'], workloads: ['ysb'], trials: 1, replay: false });
    expect(one.pathFor('flink', 'ysb', 1)).toBe('/x/out.jsonl');
    expect(one.records()).toEqual([]);
  });
});
