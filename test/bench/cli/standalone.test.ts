/**
 * `--deployment standalone` through the CLI: results record it, bad input is one line with exit 2, and
 * no process of the cluster outlives the CLI, whether it ends normally, by Ctrl-C or by kill -9, with
 * trials in a child process (the default) or inline.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../bench/runner/package-paths.js';
import { compiledEntry } from '../../../engines/runtime/cluster/index.js';
import { pidsWithArgument, waitFor, waitUntilGone } from '../../support/processes.js';
import { temporaryDirs } from '../../support/temp-dirs.js';
import { runCli } from './run-cli.js';

const CLUSTER_MARKER = dirname(compiledEntry('engines/flink/standalone/job-manager-main.js'));
const tempDir = temporaryDirs('streamarena-standalone-');

describe('run --deployment standalone', () => {
  it('records the deployment and the cluster in the results file', async () => {
    const out = tempDir();
    const r = await runCli([
      'run',
      '--deployment',
      'standalone',
      '-e',
      'flink',
      '-w',
      'stateless',
      '-d',
      '1s',
      '--warmup',
      '500ms',
      '-t',
      '1',
      '-r',
      '5000',
      '--out',
      out,
      '--no-report',
    ]);
    expect(r.stderr).not.toMatch(/FAILED/);
    expect(r.code).toBe(0);
    const file = readdirSync(out).find((f) => f.startsWith('results-')) as string;
    const run = JSON.parse(readFileSync(join(out, file), 'utf8')).runs[0];
    expect(run.status).toBe('ok');
    expect(run.options['run.deployment']).toBe('standalone');
    expect(run.engineStats.deployment).toBe('standalone');
    expect(run.engineStats.cluster.daemons.map((d: { name: string }) => d.name)).toEqual(['jobmanager', 'taskmanager-1']);
    expect(run.output.records).toBeGreaterThan(0);
    expect(run.latency.eventTime.count).toBeGreaterThan(0);
    expect(await waitUntilGone(pidsWithArgument(CLUSTER_MARKER))).toEqual([]);
  });

  it('bad input: one line, exit 2', async () => {
    const bad = await runCli(['run', '--deployment', 'cluster', '-e', 'flink']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("streamarena: --deployment: 'cluster' is not one of local, standalone");
    const local = await runCli(['run', '--deployment', 'standalone', '-e', 'reference', '-w', 'wordcount', '--out', tempDir()]);
    expect(local.code).toBe(2);
    expect(local.stderr.trim()).toBe('streamarena: --deployment standalone: the reference engine runs only local');
  });

  it('a session cluster: cluster start, status, two runs with --cluster, stop; bad state directories are exit 2', async () => {
    const dir = join(tempDir(), 'cluster');
    const started = await runCli(['cluster', 'start', '-e', 'flink', '--taskmanagers', '2', '--slots', '2', '--dir', dir]);
    expect(started.stderr).toBe('');
    expect(started.stdout).toMatch(
      /^flink cluster ready in .*: jobmanager 127\.0\.0\.1:\d+ \(pid \d+\), 2 TaskManager\(s\) x 2 slot\(s\); state in /,
    );
    const pids = pidsWithArgument(CLUSTER_MARKER);
    expect(pids).toHaveLength(3); // they outlive the command that started them
    try {
      const again = await runCli(['cluster', 'start', '--dir', dir]);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/a cluster is already running from .* \(jobmanager pid \d+\); stop it first/);
      const status = await runCli(['cluster', 'status', '--dir', dir, '--json']);
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout).daemons.map((d: { name: string; alive: boolean }) => [d.name, d.alive])).toEqual([
        ['jobmanager', true],
        ['taskmanager-1', true],
        ['taskmanager-2', true],
      ]);
      for (const workload of ['wordcount', 'stateless']) {
        const out = tempDir();
        const r = await runCli([
          'run',
          '--cluster',
          dir,
          '-e',
          'flink',
          '-w',
          workload,
          '-p',
          '4',
          '-d',
          '1s',
          '--warmup',
          '500ms',
          '-t',
          '1',
          '-r',
          '5000',
          '--out',
          out,
          '--no-report',
          '--json',
        ]);
        expect(r.code).toBe(0);
        const run = JSON.parse(r.stdout).runs[0];
        expect(run.status).toBe('ok');
        expect(run.engineStats.slots).toEqual({ taskManagers: 2, slotsPerTaskManager: 2, required: 4 });
        expect(run.engineStats.cluster.daemons.map((d: { pid: number }) => d.pid).sort()).toEqual([...pids].sort());
      }
      // verify and sweep submit to it too; an engine that cannot is told so before anything runs.
      const verified = await runCli([
        'verify',
        '--cluster',
        dir,
        '-e',
        'flink',
        '-w',
        'wordcount,stateless',
        '-p',
        '4',
        '--events',
        '2000',
      ]);
      expect(verified.code, verified.stderr).toBe(0);
      expect(verified.stdout).toMatch(/all 2 agree with the reference engine/);
      const sweepOut = tempDir();
      const swept = await runCli([
        'sweep',
        '--cluster',
        dir,
        '-e',
        'flink',
        '-w',
        'stateless',
        '-p',
        '5',
        '--rates',
        '2000',
        '-d',
        '1s',
        '--warmup',
        '0',
        '--out',
        sweepOut,
        '--no-report',
        '--json',
      ]);
      expect(swept.code, swept.stderr).toBe(1); // its one point failed
      // Five slots asked of the session's 2 x 2: only the session cluster says so (a cluster of its own would have had five).
      const sweep = JSON.parse(swept.stdout);
      expect(sweep.sweeps[0].options['run.deployment']).toBe('standalone');
      expect(sweep.sweeps[0].points[0].reason).toMatch(/NoResourceAvailableException: .* but 2 TaskManagers x 2 slots = 4;/);
      const wrong = await runCli(['run', '--cluster', dir, '-e', 'flink,spark', '-w', 'wordcount', '--out', tempDir()]);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr.trim()).toBe(
        `streamarena: --cluster: the session cluster in ${dir} is flink's; spark cannot submit to it (leave --cluster off for them)`,
      );
      expect(pidsWithArgument(CLUSTER_MARKER).sort()).toEqual([...pids].sort()); // still the same cluster
    } finally {
      const stopped = await runCli(['cluster', 'stop', '--dir', dir]);
      expect(stopped.stdout).toMatch(/^flink cluster stopped: 3 processes ended/);
    }
    expect(await waitUntilGone(pids)).toEqual([]);
    const stale = await runCli(['run', '--cluster', dir, '-e', 'flink', '-w', 'wordcount']);
    expect(stale.code).toBe(2);
    expect(stale.stderr.trim()).toBe(
      `streamarena: --cluster: no cluster in ${dir}: cluster.json is missing (start one with streamarena cluster start -e flink --dir ${dir})`,
    );
    const status = await runCli(['cluster', 'status', '--dir', dir]);
    expect(status.code).toBe(2);
  });

  for (const [how, isolation] of [
    ['kill -9 of the CLI', 'process'],
    ['kill -9 of the CLI', 'inline'],
    ['Ctrl-C', 'process'],
  ] as const) {
    it(`${how} (--isolation ${isolation}) leaves no process of the cluster`, async () => {
      const bin = join(packageRoot(), 'bin', 'streamarena.js');
      const args = [
        'run',
        '--deployment',
        'standalone',
        '-e',
        'flink',
        '-w',
        'wordcount',
        '-p',
        '2',
        '-d',
        '60s',
        '-t',
        '1',
        '--isolation',
        isolation,
        '--out',
        tempDir(),
      ];
      const cli = spawn(process.execPath, [bin, ...args], { detached: true, stdio: 'ignore' });
      const exited = new Promise((r) => cli.once('exit', r));
      // JobManager and 2 TaskManagers up.
      await waitFor(() => pidsWithArgument(CLUSTER_MARKER).length === 3);
      const pids = pidsWithArgument(CLUSTER_MARKER);
      if (how === 'Ctrl-C') process.kill(-(cli.pid as number), 'SIGINT');
      else process.kill(cli.pid as number, 'SIGKILL');
      await exited;
      expect(await waitUntilGone(pids)).toEqual([]);
      expect(pidsWithArgument(CLUSTER_MARKER)).toEqual([]);
      // The trial child too (this build's, so that other runs on the machine do not count).
      expect(await waitUntilGone(pidsWithArgument(join(packageRoot(), 'dist', 'bench', 'runner', 'trial-process.js')))).toEqual([]);
    });
  }
});
