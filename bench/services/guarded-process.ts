/**
 * Starts a foreign server (ZooKeeper's JVM, redis-server) so that it cannot outlive this process: it runs
 * as the child of a guardian (guardian.ts) that holds an IPC channel to us and kills it when the channel
 * closes, on every way this process can end, `kill -9` included.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../runner/package-paths.js';

export interface GuardedProcess {
  /** The guardian's pid (the server is its child). */
  readonly pid: number;
  /** Whether the server (and its guardian) has exited. */
  readonly exited: boolean;
  /** The last 4000 characters the server wrote to stderr. */
  stderrTail(): string;
  /** Asks the server to stop (SIGTERM, SIGKILL after 3 s) and resolves when it has. */
  stop(): Promise<void>;
  /** Kills it at once. */
  kill(): void;
}

export function startGuarded(command: string, args: readonly string[], options: { stdout?: 'ignore' | 'inherit' } = {}): GuardedProcess {
  const guardian = join(packageRoot(), 'dist', 'bench', 'services', 'guardian.js');
  if (!existsSync(guardian)) throw new Error(`${guardian} is missing: run 'npm run build' first`);
  const child = fork(guardian, [command, ...args], { stdio: ['ignore', options.stdout ?? 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid ?? -1,
    get exited() {
      return !running();
    },
    stderrTail: () => stderr,
    async stop() {
      if (running()) child.send({ type: 'stop' });
      await exited;
    },
    kill() {
      if (running()) child.kill('SIGKILL'); // the guardian's channel closes: it kills the server
    },
  };
}
