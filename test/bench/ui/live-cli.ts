/** Starts the built CLI with --ui as a user would, and reads the dashboard's address from its stderr. */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../../../bench/runner/package-paths.js';
import type { LiveMessage } from '../../../reports/live/index.js';

export interface RunningCli {
  child: ChildProcess;
  stderr: () => string;
  /** The dashboard's URL, once the CLI printed it. */
  url: Promise<string>;
  exit: Promise<number | null>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const bin = join(packageRoot(), 'bin', 'streamarena.js');
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: packageRoot(),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  let found: (url: string) => void;
  const url = new Promise<string>((resolve) => (found = resolve));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    const m = /live dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
    if (m) found(m[1]!);
  });
  child.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stderr: () => stderr, url, exit };
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until the process is gone (true) or the time is up (false). */
export async function gone(pid: number, withinMs: number): Promise<boolean> {
  const end = Date.now() + withinMs;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Follows /events: every message goes to `onMessage`; resolves with all of them when the server ends the
 * stream (or `stop()` is called).
 */
export function followEvents(
  url: string,
  onMessage: (m: LiveMessage) => void = () => {},
): { done: Promise<LiveMessage[]>; stop: () => void } {
  const messages: LiveMessage[] = [];
  let stop = () => {};
  const done = new Promise<LiveMessage[]>((resolve, reject) => {
    let buffer = '';
    const req = request(new URL('events', url), (res) => {
      res.setEncoding('utf8').on('data', (d: string) => {
        buffer += d;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((l) => l.startsWith('data: '));
          buffer = buffer.slice(end + 2);
          if (!data) continue;
          const m = JSON.parse(data.slice(6)) as LiveMessage;
          messages.push(m);
          onMessage(m);
        }
      });
      res.on('end', () => resolve(messages));
      res.on('error', () => resolve(messages));
    });
    stop = () => {
      req.destroy();
      resolve(messages);
    };
    req.on('error', (e) => (messages.length > 0 ? resolve(messages) : reject(e)));
    req.end();
  });
  return { done, stop };
}
