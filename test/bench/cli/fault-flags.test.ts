import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'streamarena-faults-'));

async function expectUsageError(args: string[], message: RegExp) {
  const r = await runCli(args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
}

describe('--fault usage errors: one line, exit 2, nothing written', () => {
  const out = join(tmp, 'results');
  it('a kind the engine does not have names the kinds it has', () =>
    expectUsageError(
      ['run', '--out', out, '-e', 'flink', '-w', 'wordcount', '--fault', 'kill-worker@1s'],
      /--fault kill-worker: engine flink has no such fault; it has kill-taskmanager .*, kill-task .*, stall /,
    ));
  it('an engine that takes no faults says so', () =>
    expectUsageError(
      ['run', '--out', out, '-e', 'reference', '--fault', 'kill-task:split@1s'],
      /engine reference has no such fault; it takes no faults/,
    ));
  it('a fault the standalone deployment cannot inject names the kinds it has there', async () => {
    for (const command of ['run', 'sweep', 'verify']) {
      const extra = command === 'sweep' ? ['--rates', '1000'] : [];
      const outFlag = command === 'verify' ? [] : ['--out', out];
      await expectUsageError(
        [command, ...outFlag, '-e', 'flink', '-w', 'wordcount', ...extra, '--deployment', 'standalone', '--fault', 'kill-task:split@1s'],
        /^streamarena: --fault kill-task: engine flink in the standalone deployment has no such fault; it has kill-taskmanager \(.*SIGKILL.*\), stall \(.*SIGSTOP.*\)$/m,
      );
    }
  });
  it('a stall in the standalone deployment names a TaskManager by its index', () =>
    expectUsageError(
      [
        'run',
        '--out',
        out,
        '-e',
        'flink',
        '-w',
        'wordcount',
        '-t',
        '1',
        '-d',
        '1s',
        '--isolation',
        'inline',
        '--deployment',
        'standalone',
        '--fault',
        'stall:split:1s@1s',
      ],
      /^streamarena: --fault stall:split:1000ms@1000ms: the flink job stalls a daemon by its index \(0-0\)$/m,
    ));
  it('a malformed fault', () => expectUsageError(['run', '--out', out, '--fault', 'kill-worker'], /has no @<time>/));
  it('an operator the workload does not have', () =>
    expectUsageError(
      ['run', '--out', out, '-e', 'flink', '-w', 'wordcount', '-t', '1', '--isolation', 'inline', '--fault', 'kill-task:nope@1s'],
      /workload wordcount has no operator 'nope' with a user function; it has timestamps, split/,
    ));
  it('a daemon the job does not run', () =>
    expectUsageError(
      [
        'run',
        '--out',
        out,
        '-e',
        'flink',
        '-w',
        'wordcount',
        '-t',
        '1',
        '-d',
        '1s',
        '--isolation',
        'inline',
        '--fault',
        'kill-taskmanager:3@1s',
      ],
      /the flink job runs 1 \(0-0\), there is no 3/,
    ));
  it('on verify and sweep too', async () => {
    await expectUsageError(
      ['verify', '-e', 'storm', '-o', 'storm.workers=2', '--fault', 'kill-worker@1s'],
      /engine storm has no such fault; it has stall/,
    );
    await expectUsageError(
      ['sweep', '-e', 'spark', '-w', 'wordcount', '--rates', '1000', '--fault', 'kill-executor@1s'],
      /engine spark has no such fault; it has kill-task .*, stall /,
    );
    // No results file and no journal (the results folder itself may have been made before the first trial).
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('verify --fault', () => {
  it('exits 0 when the engine keeps the guarantee its configuration promises', async () => {
    const r = await runCli([
      'verify',
      '-e',
      'flink',
      '-w',
      'wordcount',
      '-n',
      '6000',
      '-r',
      '2000',
      '-p',
      '2',
      '-o',
      'flink.checkpointInterval=200',
      '-o',
      'flink.sinkCommit=two-phase-commit',
      '--fault',
      'kill-taskmanager:1@1500ms',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ok {5}flink {5}wordcount/m);
    expect(r.stdout).toMatch(/kill-taskmanager:1@1500ms: exactly-once observed, exactly-once promised .*lost 0, duplicated 0, changed 0/);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('all 1 kept the guarantee their configuration promises');
  }, 120_000);
});
