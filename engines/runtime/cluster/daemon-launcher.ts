/**
 * Daemon processes (JobManager, TaskManagers, ...) started with `child_process.fork`, and the rules that
 * leave no orphan behind on any exit path:
 *
 * - the parent keeps every daemon it started and kills the rest when it exits (normal end, a thrown
 *   error, `process.exit`);
 * - each daemon watches its parent ({@link watchParent}): the IPC pipe closes when the parent dies, even
 *   by `kill -9`, and the daemon exits; a poll of `process.ppid` backs it up;
 * - Ctrl-C reaches the whole foreground process group, daemons included, and they die of it.
 *
 * A daemon's stderr is kept (its tail explains a crash) and forwarded line by line when asked to.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface DaemonSpec {
  /** e.g. `taskmanager-2`, for messages and the process table's arguments. */
  readonly name: string;
  /** Compiled entry module (absolute path). */
  readonly modulePath: string;
  readonly args?: readonly string[];
  readonly execArgv?: readonly string[];
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * A daemon meant to outlive this process (a session cluster): its own process group, its stdout and
   * stderr appended to this file, not killed when this process exits. Call {@link Daemon.detach} once it
   * is up; it must not watch its parent.
   */
  readonly detachedLog?: string;
}

export interface DaemonExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last lines it wrote to stderr. */
  readonly stderrTail: string;
}

const STDERR_TAIL_BYTES = 4000;
/** How often a daemon checks that its parent is still there (ms). */
export const PARENT_POLL_MS = 500;

const live = new Set<Daemon>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: SIGKILL is all that can be sent now.
  process.on('exit', () => {
    for (const d of live) d.kill('SIGKILL');
  });
}

/** One started daemon process. */
export class Daemon {
  readonly pid: number;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<DaemonExit>;
  private stderrTail = '';
  private exitInfo: DaemonExit | undefined;

  constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {
    if (process.pid === undefined) throw new Error(`${name}: could not start`);
    this.pid = process.pid;
    process.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
    });
    this.exited = new Promise((resolve) => {
      process.once('exit', (code, signal) => {
        live.delete(this);
        this.exitInfo = { code, signal, stderrTail: this.stderrTail.trim() };
        resolve(this.exitInfo);
      });
    });
  }

  get isRunning(): boolean {
    return this.exitInfo === undefined;
  }

  /** Sends a message over the IPC channel (ignored once it has exited). */
  send(message: unknown): void {
    if (this.isRunning && this.process.connected) this.process.send(message as object);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.isRunning) this.process.kill(signal);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  async stop(graceMs = 2000): Promise<DaemonExit> {
    if (!this.isRunning) return this.exitInfo as DaemonExit;
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** Lets it live on without this process: closes the IPC channel and stops holding the event loop. */
  detach(): void {
    live.delete(this);
    if (this.process.connected) this.process.disconnect();
    this.process.stderr?.destroy();
    this.process.unref();
  }

  /** One line on why it ended, for an error message. */
  describeExit(exit: DaemonExit): string {
    const tail = explanationOf(exit.stderrTail);
    const why = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    return `${this.name} (pid ${this.pid}) ${why}${tail ? `: ${tail}` : ''}`;
  }
}

/** The line of a stderr tail that says what went wrong: the last error line, else the last line. */
function explanationOf(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('at ') && !/^Node\.js v/.test(l));
  for (let i = lines.length - 1; i >= 0; i--) if (/^(\w*Error|Error)\b/.test(lines[i])) return lines[i];
  return lines[lines.length - 1] ?? '';
}

/** Starts a daemon; it runs until it ends itself, is stopped, or this process ends. */
export function launchDaemon(spec: DaemonSpec): Daemon {
  installExitHook();
  const log = spec.detachedLog === undefined ? undefined : openSync(spec.detachedLog, 'a');
  const child = fork(spec.modulePath, [`--daemon-name=${spec.name}`, ...(spec.args ?? [])], {
    stdio: log === undefined ? ['ignore', 'inherit', 'pipe', 'ipc'] : ['ignore', log, log, 'ipc'],
    execArgv: [...(spec.execArgv ?? [])],
    env: { ...process.env, ...spec.env },
    detached: log !== undefined,
  });
  if (log !== undefined) closeSync(log);
  const daemon = new Daemon(spec.name, child);
  live.add(daemon);
  return daemon;
}

/** Daemons this process started that are still running. */
export function liveDaemons(): readonly Daemon[] {
  return [...live];
}

/**
 * In a daemon: exit as soon as the parent is gone. `onParentLost` may clean up synchronously first.
 * @returns a function that stops watching (for a daemon that detaches on purpose)
 */
export function watchParent(onParentLost: () => void = () => {}): () => void {
  const parent = process.ppid;
  const lost = () => {
    try {
      onParentLost();
    } finally {
      process.exit(1);
    }
  };
  if (process.connected) process.on('disconnect', lost);
  const poll = setInterval(() => {
    if (process.ppid !== parent) lost();
  }, PARENT_POLL_MS);
  poll.unref();
  return () => {
    process.off('disconnect', lost);
    clearInterval(poll);
  };
}
