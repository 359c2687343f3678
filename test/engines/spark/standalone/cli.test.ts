/**
 * `-e spark --deployment standalone` through the CLI: the results file records the driver and its
 * executors, and no executor process or shuffle folder outlives the CLI, whether the run ends normally,
 * fails, or the CLI gets Ctrl-C or kill -9. Starts processes from dist/: run `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../../bench/runner/package-paths.js';
import { compiledEntry } from '../../../../engines/runtime/cluster/index.js';
import { STALL_EXECUTOR_ENV } from '../../../../engines/spark/index.js';
import { runCli } from '../../../bench/cli/run-cli.js';
import { pidsWithArgument, waitFor, waitUntilGone } from '../../../support/processes.js';
import { temporaryDirs } from '../../../support/temp-dirs.js';

const EXECUTOR_MARKER = dirname(compiledEntry('engines/spark/standalone/executor-main.js'));
const TRIAL_MARKER = join(packageRoot(), 'dist', 'bench', 'runner', 'trial-process.js');
const tempDir = temporaryDirs('streamarena-spark-cli-');

const runArgs = (out: string, shuffleDir: string, extra: string[]) => [
  'run',
  '--deployment',
  'standalone',
  '-e',
  'spark',
  '-w',
  'wordcount',
  '-p',
  '2',
  '-t',
  '1',
  '-r',
  '5000',
  '--out',
  out,
  '--no-report',
  '-o',
  `spark.shuffleDir=${shuffleDir}`,
  ...extra,
];

describe('run -e spark --deployment standalone', () => {
  it('records the driver and its executors; nothing is left afterwards', async () => {
    const out = tempDir();
    const shuffle = tempDir();
    const r = await runCli(runArgs(out, shuffle, ['-d', '1s', '--warmup', '500ms', '-o', 'spark.batchInterval=200']));
    expect(r.stderr).not.toMatch(/FAILED/);
    expect(r.code).toBe(0);
    const file = readdirSync(out).find((f) => f.startsWith('results-')) as string;
    const run = JSON.parse(readFileSync(join(out, file), 'utf8')).runs[0];
    expect(run.status).toBe('ok');
    expect(run.options['run.deployment']).toBe('standalone');
    expect(run.engineStats.deployment).toBe('standalone');
    expect(run.engineStats.cluster.daemons.map((d: { name: string }) => d.name)).toEqual(['driver', 'executor-0', 'executor-1']);
    expect(run.engineStats.cluster.tasksOnExecutors).toBeGreaterThan(0);
    expect(run.output.records).toBeGreaterThan(0);
    expect(await waitUntilGone(pidsWithArgument(EXECUTOR_MARKER))).toEqual([]);
    expect(readdirSync(shuffle)).toEqual([]);
  });

  it('a failed trial (an executor that never registers) is one line and leaves nothing', async () => {
    const out = tempDir();
    const shuffle = tempDir();
    const cli = spawn(
      process.execPath,
      [join(packageRoot(), 'bin', 'streamarena.js'), ...runArgs(out, shuffle, ['-d', '1s', '-o', 'spark.registrationTimeout=1500ms'])],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, [STALL_EXECUTOR_ENV]: '2' } },
    );
    let stderr = '';
    let stdout = '';
    cli.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    cli.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const code = await new Promise((r) => cli.once('close', r));
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(code, stderr).toBe(1);
    expect(stdout + stderr).toMatch(
      /FAILED spark x wordcount trial 1: spark: executor-1 did not register with the driver within 1500 ms \(spark\.registrationTimeout\)/,
    );
    expect(await waitUntilGone(pidsWithArgument(EXECUTOR_MARKER))).toEqual([]);
    expect(readdirSync(shuffle)).toEqual([]);
  });

  for (const [how, isolation] of [
    ['kill -9 of the CLI', 'process'],
    ['kill -9 of the CLI', 'inline'],
    ['Ctrl-C', 'process'],
  ] as const) {
    it(`${how} (--isolation ${isolation}) leaves no executor and no shuffle folder`, async () => {
      const shuffle = tempDir();
      const bin = join(packageRoot(), 'bin', 'streamarena.js');
      const cli = spawn(process.execPath, [bin, ...runArgs(tempDir(), shuffle, ['-d', '60s', '--isolation', isolation])], {
        detached: true,
        stdio: 'ignore',
      });
      const exited = new Promise((r) => cli.once('exit', r));
      await waitFor(() => pidsWithArgument(EXECUTOR_MARKER).length === 2);
      // Both executors made their shuffle folders (and so watch for Ctrl-C to remove them).
      await waitFor(() => readdirSync(shuffle).some((d) => readdirSync(join(shuffle, d)).length === 2));
      const pids = pidsWithArgument(EXECUTOR_MARKER);
      if (how === 'Ctrl-C') process.kill(-(cli.pid as number), 'SIGINT');
      else process.kill(cli.pid as number, 'SIGKILL');
      await exited;
      expect(await waitUntilGone(pids)).toEqual([]);
      expect(pidsWithArgument(EXECUTOR_MARKER)).toEqual([]);
      expect(await waitUntilGone(pidsWithArgument(TRIAL_MARKER))).toEqual([]);
      await waitFor(() => readdirSync(shuffle).length === 0, 10_000);
    });
  }
});
