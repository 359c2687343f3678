/**
 * `-e storm --deployment standalone` through the CLI: the results file records the deployment and the
 * daemons (Nimbus, supervisor, workers), and no process of the cluster outlives the CLI, whether it ends
 * normally, by Ctrl-C or by kill -9, with trials in a child process or inline.
 */
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../../bench/runner/package-paths.js';
import { compiledEntry } from '../../../../engines/runtime/cluster/index.js';
import { runCli } from '../../../bench/cli/run-cli.js';
import { pidsWithArgument, waitFor, waitUntilGone } from '../../../support/processes.js';
import { temporaryDirs } from '../../../support/temp-dirs.js';

const CLUSTER_MARKER = dirname(compiledEntry('engines/storm/standalone/nimbus-main.js'));
const tempDir = temporaryDirs('streamarena-storm-standalone-');

describe('run -e storm --deployment standalone', () => {
  it('records the deployment and the daemons in the results file', async () => {
    const out = tempDir();
    const r = await runCli([
      'run',
      '--deployment',
      'standalone',
      '-e',
      'storm',
      '-w',
      'stateless',
      '-p',
      '2',
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
    expect(run.engineStats.cluster.daemons.map((d: { name: string }) => d.name)).toEqual([
      'nimbus',
      'supervisor-1',
      'worker-1',
      'worker-2',
    ]);
    expect(run.output.records).toBeGreaterThan(0);
    expect(run.latency.eventTime.count).toBeGreaterThan(0);
    expect(await waitUntilGone(pidsWithArgument(CLUSTER_MARKER))).toEqual([]);
  }, 120_000);

  it('more workers than slots: one line, exit 2, nothing started', async () => {
    const r = await runCli([
      'run',
      '--deployment',
      'standalone',
      '-e',
      'storm',
      '-w',
      'stateless',
      '-o',
      'storm.workers=5',
      '--out',
      tempDir(),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/storm\.workers=5 needs 5 worker slots but the cluster has 4/);
    expect(pidsWithArgument(CLUSTER_MARKER)).toEqual([]);
  }, 60_000);

  it('Nimbus on a port in use: the trial fails with one line, exit 1, nothing left running', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as AddressInfo).port;
    try {
      const r = await runCli([
        'run',
        '--deployment',
        'standalone',
        '-e',
        'storm',
        '-w',
        'stateless',
        '-o',
        `storm.nimbusPort=${port}`,
        '-d',
        '1s',
        '-t',
        '1',
        '--out',
        tempDir(),
        '--no-report',
      ]);
      expect(r.code).toBe(1);
      expect(`${r.stdout}${r.stderr}`).toContain(`FAILED storm x stateless trial 1: storm: nimbus: port 127.0.0.1:${port} is in use`);
      expect(await waitUntilGone(pidsWithArgument(CLUSTER_MARKER))).toEqual([]);
    } finally {
      taken.close();
    }
  }, 60_000);

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
        'storm',
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
      // Nimbus, a supervisor and 2 workers up.
      await waitFor(() => pidsWithArgument(CLUSTER_MARKER).length === 4, 60_000);
      const pids = pidsWithArgument(CLUSTER_MARKER);
      if (how === 'Ctrl-C') process.kill(-(cli.pid as number), 'SIGINT');
      else process.kill(cli.pid as number, 'SIGKILL');
      await exited;
      expect(await waitUntilGone(pids)).toEqual([]);
      expect(pidsWithArgument(CLUSTER_MARKER)).toEqual([]);
      expect(await waitUntilGone(pidsWithArgument(join(packageRoot(), 'dist', 'bench', 'runner', 'trial-process.js')))).toEqual([]);
    }, 120_000);
  }
});
