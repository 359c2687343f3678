import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../bench/runner/package-paths.js';
import { asResultsFile } from '../../../reports/schema.js';
import { runCli } from './run-cli.js';

const fixtures = join(packageRoot(), 'test', 'fixtures');
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

/** As `nc -lk`: a loopback server that writes `text` to every connection, then closes it. */
async function replayServer(text: string): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((s) => {
    connections++;
    s.on('error', () => {}); // the CLI's probe closes at once: a reset here is expected
    s.end(text);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, connections: () => connections };
}

/** Processes whose command line mentions `marker` (the trial children of one CLI run). */
function processesMentioning(marker: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(marker) && !l.includes('ps -eo'));
}

describe('streamarena run -i tcp://host:port', () => {
  it('reads the events a socket sends, and every engine writes exactly the windows the file gives', async () => {
    const server = await replayServer(readFileSync(join(fixtures, 'wordcount-ooo.jsonl'), 'utf8'));
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-socket-'));
    const sink = join(dir, 'OUT.jsonl');
    const r = await runCli([
      'run',
      '-e',
      'all',
      '-w',
      'wordcount',
      '-i',
      `tcp://127.0.0.1:${server.port}`,
      '-o',
      'wordcount.window=5000',
      '-o',
      'wordcount.maxDelay=2000',
      '-t',
      '1',
      '-d',
      '60s',
      '--sink-file',
      sink,
      '--out',
      dir,
      '--no-report',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const expected = readFileSync(join(fixtures, 'wordcount-ooo.expected.jsonl'), 'utf8').trim().split('\n').sort();
    const results = asResultsFile(
      JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.startsWith('results-'))!), 'utf8')),
      'results',
    );
    expect(results.runs.map((x) => x.engine).sort()).toEqual(['flink', 'reference', 'spark', 'storm']);
    for (const run of results.runs) {
      if (run.status !== 'ok') throw new Error(`${run.engine} failed: ${run.error}`);
      expect(run.input).toMatchObject({
        source: 'socket',
        address: `tcp://127.0.0.1:${server.port}`,
        endedBy: 'sender',
        rejectedLines: 0,
        rate: 'max',
      });
      expect(run.input.eventsTotal).toBe(200);
      const file = join(dir, `OUT-${run.engine}-wordcount-1.jsonl`);
      expect(readFileSync(file, 'utf8').trim().split('\n').sort(), run.engine).toEqual(expected);
    }
    // One probe before the trials (is anyone listening?), then one connection per trial.
    expect(server.connections()).toBe(5);
    expect(processesMentioning(dir)).toEqual([]);
  });

  it('is a usage error when nobody listens, or with --rate, and nothing is written', async () => {
    const probe = await replayServer('');
    const port = probe.port;
    await new Promise((r) => servers.pop()?.close(r));
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-socket-'));
    const refused = await runCli(['run', '-e', 'reference', '-w', 'wordcount', '-i', `tcp://127.0.0.1:${port}`, '--out', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      `streamarena: cannot connect to --input tcp://127.0.0.1:${port}: connection refused (start a server there first, e.g. nc -lk ${port})`,
    );
    const rate = await runCli(['run', '-e', 'reference', '-i', 'tcp://127.0.0.1:7777', '-r', '1000', '--out', dir]);
    expect(rate.code).toBe(2);
    expect(rate.stderr).toMatch(/--rate does not apply to a socket input/);
    const remote = await runCli(['run', '-e', 'reference', '-i', 'tcp://example.com:7777', '--out', dir]);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(/only a loopback host/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
