/**
 * The process table, for tests that start processes: whether a pid is still alive (a zombie counts as
 * gone: it has exited and only waits to be reaped), waiting until a set of pids is gone, and waiting for a
 * condition (processes appearing).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isProcessAlive } from '../../engines/runtime/cluster/index.js';

/** Whether `pid` is still running (a zombie counts as gone). */
export const isAlive = isProcessAlive;

/** Waits (polling) until none of `pids` is alive; returns the ones still alive after `timeoutMs`. */
export async function waitUntilGone(pids: readonly number[], timeoutMs = 15_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits (polling every 50 ms) until `check` holds. @throws Error after `timeoutMs` */
export async function waitFor(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Pids of every process whose command line contains `marker` (from /proc). */
export function pidsWithArgument(marker: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSafe('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes(marker) && isAlive(Number(entry))) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
