/**
 * A throwaway Debian `redis-server` for tests: on 127.0.0.1, on a free port, without persistence; started
 * and stopped by the test itself (never a system service). Tests that need it skip, with a message, only
 * when `redis-server` is not installed and CI is not set; in CI its absence is an error.
 */
import { spawnSync } from 'node:child_process';
import { createClient } from 'redis';
import { freeLoopbackPort, startGuarded, type GuardedProcess } from '../../../bench/services/index.js';

export const REDIS_INSTALL_HINT = 'apt-get install -y redis-server';

/** Whether `redis-server` is on the PATH; in CI, throws when it is not. */
export function redisServerAvailable(): boolean {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  const available = probe.error === undefined && probe.status === 0;
  if (!available && process.env.CI) throw new Error(`redis-server is not installed, and CI is set: install it (${REDIS_INSTALL_HINT})`);
  return available;
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

async function waitForPing(url: string, server: GuardedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.exited) throw new Error(`redis-server exited: ${server.stderrTail().trim() || 'no message'}`);
    const client = createClient({ url, socket: { connectTimeout: 1000, reconnectStrategy: false } });
    client.on('error', () => {});
    try {
      await client.connect();
      const pong = await client.ping();
      await client.close();
      if (pong === 'PONG') return;
    } catch {
      client.destroy();
    }
    if (Date.now() > deadline) throw new Error(`redis-server did not answer PING within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a redis-server and waits until it answers PING. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freeLoopbackPort();
  // Under a guardian: a test runner killed with -9 takes its redis-server with it.
  const server = startGuarded('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  const url = `redis://127.0.0.1:${port}`;
  try {
    await waitForPing(url, server, 10_000);
  } catch (err) {
    server.kill();
    throw err;
  }
  return { url, port, stop: () => server.stop() };
}
