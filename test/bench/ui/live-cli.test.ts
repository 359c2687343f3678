/**
 * The CLI with --ui, end to end without a browser: a sweep streams its probes; Ctrl-C ends the run after the
 * running trial and closes the dashboard; kill -9 of the CLI leaves no trial process behind. Every test checks
 * that the port is closed and the trial processes it saw are gone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../../reports/live/index.js';
import { followEvents, gone, portOpen, startCli } from './live-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'streamarena-live-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The trial processes named in the ticks' daemon lists. */
function trialPids(messages: readonly LiveMessage[]): Set<number> {
  const pids = new Set<number>();
  for (const m of messages) if (m.type === 'tick') for (const d of m.tick.daemons) if (d.pid !== null) pids.add(d.pid);
  return pids;
}

describe('the CLI with --ui', () => {
  it('sweep: each probe is a trial on the dashboard, with its samples and its end; then the stream ends', {
    timeout: 120_000,
  }, async () => {
    const cli = startCli([
      'sweep',
      '-e',
      'reference',
      '-w',
      'stateless',
      '--rates',
      '2000,4000',
      '-d',
      '2s',
      '--warmup',
      '500ms',
      '--ui',
      '0',
      '--out',
      join(dir, 'sweep'),
    ]);
    const url = await cli.url;
    const messages = await followEvents(url).done;
    expect(await cli.exit, cli.stderr()).toBe(0);
    const trials = messages.filter((m) => m.type === 'trial').map((m) => (m.type === 'trial' ? m.trial.purpose : ''));
    expect(trials).toEqual(['sweep point at 2000 ev/s', 'sweep point at 4000 ev/s']);
    expect(messages.filter((m) => m.type === 'tick').length).toBeGreaterThanOrEqual(4);
    const ends = messages.filter((m) => m.type === 'trial-end').map((m) => (m.type === 'trial-end' ? m.end.status : ''));
    expect(ends).toEqual(['ok', 'ok']);
    expect(messages.at(-1)!.type).toBe('end');
    expect(await portOpen(Number(new URL(url).port))).toBe(false);
    for (const pid of trialPids(messages)) expect(await gone(pid, 5000), `trial process ${pid}`).toBe(true);
  });

  it('Ctrl-C: the running trial finishes, the results are written, the dashboard closes, exit 130', { timeout: 120_000 }, async () => {
    const cli = startCli([
      'run',
      '-e',
      'reference',
      '-w',
      'stateless',
      '-d',
      '3s',
      '-t',
      '3',
      '--ui',
      '0',
      '--out',
      join(dir, 'sigint'),
      '--no-report',
    ]);
    const url = await cli.url;
    let interrupted = false;
    const stream = followEvents(url, (m) => {
      if (m.type === 'tick' && !interrupted) {
        interrupted = true;
        cli.child.kill('SIGINT');
      }
    });
    const messages = await stream.done;
    expect(await cli.exit, cli.stderr()).toBe(130);
    expect(cli.stderr()).toContain('stopping after this trial');
    expect(cli.stderr()).toMatch(/results written to /);
    // The trial that was running when Ctrl-C came finished; no other started.
    const ends = messages.filter((m) => m.type === 'trial-end');
    expect(ends.map((m) => (m.type === 'trial-end' ? [m.end.trial, m.end.status] : []))).toEqual([[1, 'ok']]);
    expect(messages.some((m) => m.type === 'trial' && m.trial.trial > 1)).toBe(false);
    expect(messages.at(-1)!.type).toBe('end');
    expect(await portOpen(Number(new URL(url).port))).toBe(false);
    const pids = trialPids(messages);
    expect(pids.size).toBe(1);
    for (const pid of pids) expect(await gone(pid, 5000), `trial process ${pid}`).toBe(true);
  });

  it('kill -9 of the CLI: the trial process stops too and the port is free', { timeout: 120_000 }, async () => {
    const cli = startCli([
      'run',
      '-e',
      'flink',
      '-w',
      'stateless',
      '-d',
      '30s',
      '-t',
      '1',
      '--ui',
      '0',
      '--out',
      join(dir, 'kill9'),
      '--no-report',
    ]);
    const url = await cli.url;
    const pids = new Set<number>();
    const stream = followEvents(url, (m) => {
      if (m.type === 'tick') for (const d of m.tick.daemons) if (d.pid !== null) pids.add(d.pid);
      if (pids.size > 0) cli.child.kill('SIGKILL');
    });
    await stream.done;
    await cli.exit;
    expect(pids.size).toBe(1);
    for (const pid of pids) expect(await gone(pid, 10_000), `trial process ${pid}`).toBe(true);
    expect(await portOpen(Number(new URL(url).port))).toBe(false);
  });
});
