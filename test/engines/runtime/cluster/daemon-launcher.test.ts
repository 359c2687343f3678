/**
 * No orphan processes on any exit path: a parent (a script run by node, standing for the CLI or a trial
 * process) starts daemons with launchDaemon; each daemon watches its parent. Whatever way the parent ends,
 * the process table must hold none of them afterwards.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../../../engines/runtime/cluster/index.js';
import { isAlive, waitUntilGone } from '../../../support/processes.js';

let dir: string;
let parentScript: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'streamarena-daemons-'));
  const cluster = pathToFileURL(compiledEntry('engines/runtime/cluster/index.js')).href;
  const daemon = join(dir, 'daemon.mjs');
  writeFileSync(
    daemon,
    `import { watchParent } from ${JSON.stringify(cluster)};
watchParent();
if (process.argv.includes('--crash')) setTimeout(() => { throw new Error('daemon crashed on purpose'); }, 200);
setInterval(() => {}, 1000);
process.send({ ready: process.pid });
`,
  );
  parentScript = join(dir, 'parent.mjs');
  writeFileSync(
    parentScript,
    `import { launchDaemon } from ${JSON.stringify(cluster)};
const mode = process.argv[2];
const daemons = ['d1', 'd2'].map((name) => launchDaemon({ name, modulePath: ${JSON.stringify(daemon)}, args: mode === 'crash' && name === 'd2' ? ['--crash'] : [] }));
await Promise.all(daemons.map((d) => new Promise((r) => d.process.once('message', r))));
process.stdout.write(JSON.stringify(daemons.map((d) => d.pid)) + '\\n');
if (mode === 'normal') { await Promise.all(daemons.map((d) => d.stop())); }
else if (mode === 'exit') process.exit(0);
else if (mode === 'throw') throw new Error('failed trial');
else if (mode === 'crash') {
  const exit = await daemons[1].exited;
  process.stderr.write(daemons[1].describeExit(exit) + '\\n');
  process.exitCode = 1;
  await daemons[0].stop();
} else setInterval(() => {}, 1000); // 'hang': killed by the test
`,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the parent in its own process group; resolves with it and its daemons' pids once they are up. */
function startParent(mode: string) {
  const child = spawn(process.execPath, [parentScript, mode], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const pids = new Promise<number[]>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]) as number[]);
    });
    child.once('exit', () => reject(new Error(`parent ended before its daemons were up: ${stderr}`)));
  });
  return { child, pids, exited, stderr: () => stderr };
}

describe('daemon launcher: no orphan processes', () => {
  it('normal end: the parent stops its daemons', async () => {
    const p = startParent('normal');
    const pids = await p.pids;
    expect((await p.exited).code).toBe(0);
    expect(await waitUntilGone(pids)).toEqual([]);
  });

  it('process.exit without stopping them: the exit hook kills them', async () => {
    const p = startParent('exit');
    const pids = await p.pids;
    expect((await p.exited).code).toBe(0);
    expect(await waitUntilGone(pids)).toEqual([]);
  });

  it('a failed trial (uncaught error in the parent)', async () => {
    const p = startParent('throw');
    const pids = await p.pids;
    expect((await p.exited).code).toBe(1);
    expect(p.stderr()).toContain('failed trial');
    expect(await waitUntilGone(pids)).toEqual([]);
  });

  it('Ctrl-C (SIGINT to the process group)', async () => {
    const p = startParent('hang');
    const pids = await p.pids;
    expect(pids.every(isAlive)).toBe(true);
    process.kill(-(p.child.pid as number), 'SIGINT');
    expect((await p.exited).signal).toBe('SIGINT');
    expect(await waitUntilGone(pids)).toEqual([]);
  });

  it('kill -9 of the parent: the daemons notice and exit', async () => {
    const p = startParent('hang');
    const pids = await p.pids;
    expect(pids.every(isAlive)).toBe(true);
    process.kill(p.child.pid as number, 'SIGKILL');
    expect((await p.exited).signal).toBe('SIGKILL');
    expect(await waitUntilGone(pids)).toEqual([]);
  });

  it('a daemon crashing: the parent sees why and stops the others', async () => {
    const p = startParent('crash');
    const pids = await p.pids;
    expect((await p.exited).code).toBe(1);
    expect(p.stderr()).toMatch(/d2 \(pid \d+\) exited with code 1: .*daemon crashed on purpose/);
    expect(await waitUntilGone(pids)).toEqual([]);
  });
});
