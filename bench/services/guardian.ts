/**
 * Keeps a foreign process (ZooKeeper's JVM) from outliving the Node process that started it. Forked with an
 * IPC channel by its parent, it starts the command and kills it when the channel closes, which happens on
 * every way the parent can end, `kill -9` included (the kernel closes the parent's end of the pipe). A JVM
 * cannot watch its parent itself; this process does it for it.
 *
 * Usage (by {@link startGuarded} only): node guardian.js <command> [args...]
 */
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (!command || !process.send) {
  process.stderr.write('guardian: to be forked with an IPC channel and a command\n');
  process.exit(2);
}

const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let ending = false;
const end = (signal: NodeJS.Signals) => {
  if (ending) return;
  ending = true;
  child.kill(signal);
  // A JVM that ignores SIGTERM for too long is killed outright.
  setTimeout(() => child.kill('SIGKILL'), 3000).unref();
};

child.once('spawn', () => process.send?.({ type: 'started', pid: child.pid }));
child.once('error', (err) => {
  process.send?.({ type: 'failed', error: err.message });
  process.exit(1);
});
child.once('exit', (code, signal) => {
  process.disconnect?.();
  process.exit(code ?? (signal ? 1 : 0));
});
process.on('disconnect', () => end('SIGKILL')); // the parent is gone
process.on('message', (m: { type?: string }) => {
  if (m?.type === 'stop') end('SIGTERM');
});
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(s, () => end('SIGTERM'));
