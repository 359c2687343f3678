/**
 * What a daemon says about itself in its heartbeats, and what a master reports of each daemon it watches:
 * plain JSON, so that results files and live dashboards can show it for any engine.
 */

/** A process's own resource figures. */
export interface ProcessFigures {
  readonly pid: number;
  /** CPU time since the process started (ms). */
  readonly cpuUserMs: number;
  readonly cpuSystemMs: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

/** One daemon as its master sees it. */
export interface DaemonStatus extends ProcessFigures {
  /** e.g. `jobmanager`, `taskmanager-2`. */
  readonly name: string;
  /** Clock time (ms since epoch) of the last heartbeat; null for the master itself. */
  readonly lastHeartbeat: number | null;
  readonly heartbeats: number;
  /** False once it was lost or exited. */
  readonly alive: boolean;
  /** Times its process was started again after a loss, and the pids it had before (oldest first). */
  readonly restarts?: number;
  readonly previousPids?: readonly number[];
}

export function processFigures(): ProcessFigures {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  return {
    pid: process.pid,
    cpuUserMs: Math.round(cpu.user / 1000),
    cpuSystemMs: Math.round(cpu.system / 1000),
    rssBytes: mem.rss,
    heapUsedBytes: mem.heapUsed,
  };
}
