/**
 * Whether a process is still running: signal 0 reaches it, and it is not a zombie (one that has exited and
 * only waits to be reaped counts as gone). For the cluster's state files and the tests' process-table checks.
 */
import { readFileSync } from 'node:fs';

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc entry to read: signal 0 said it is there
  }
}
