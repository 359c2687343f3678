/**
 * Heartbeats and failure detection between a master and the peers it watches (Flink's HeartbeatManager:
 * the JobManager's ResourceManager watches its TaskManagers). A peer sends a heartbeat every interval,
 * with a small status payload; the monitor reports a peer lost once nothing came from it for the
 * timeout.
 *
 * Defaults are Flink's (`heartbeat.interval` 10 s, `heartbeat.timeout` 50 s). A benchmark trial lasts a
 * few seconds, so the engines expose both as options and a run that wants failures detected within the
 * trial scales them down by the same factor (e.g. 500 ms / 2500 ms keeps Flink's ratio of 5). A daemon
 * that dies is noticed earlier anyway, through its process exit and its closed connection; the timeout
 * catches a daemon that hangs.
 */
import type { Cancellable, Clock } from '../../api/index.js';

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 50_000;

/** Sends a heartbeat every `intervalMs`, the first one at once. */
export class HeartbeatSender {
  private timer: Cancellable | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly beat: () => void,
  ) {
    if (!(intervalMs > 0)) throw new RangeError(`heartbeat interval must be positive, got ${intervalMs}`);
  }

  start(): void {
    this.tick(this.clock.now());
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private tick(at: number): void {
    if (this.stopped) return;
    this.beat();
    const next = at + this.intervalMs;
    this.timer = this.clock.schedule(next, () => this.tick(next));
  }
}

/** What the monitor knows of one peer. */
export interface PeerHeartbeat<P> {
  readonly peer: string;
  /** Clock time (ms since epoch) of the last heartbeat, or of monitoring's start before the first. */
  readonly lastHeartbeat: number;
  readonly heartbeats: number;
  readonly payload: P | undefined;
}

/** Watches peers' heartbeats and reports each one silent for `timeoutMs`, once. */
export class HeartbeatMonitor<P = unknown> {
  private readonly peers = new Map<string, { lastHeartbeat: number; heartbeats: number; payload: P | undefined }>();
  private timer: Cancellable | undefined;
  private stopped = false;
  private readonly checkEveryMs: number;

  constructor(
    private readonly clock: Clock,
    readonly timeoutMs: number,
    private readonly onLost: (peer: string, silentMs: number) => void,
  ) {
    if (!(timeoutMs > 0)) throw new RangeError(`heartbeat timeout must be positive, got ${timeoutMs}`);
    // Often enough that a loss is reported within a tenth of the timeout after it expires.
    this.checkEveryMs = Math.max(1, timeoutMs / 10);
  }

  /** Starts watching `peer`: the timeout runs from now. */
  monitor(peer: string): void {
    this.peers.set(peer, { lastHeartbeat: this.clock.now(), heartbeats: 0, payload: undefined });
    if (this.timer === undefined && !this.stopped) this.arm();
  }

  unmonitor(peer: string): void {
    this.peers.delete(peer);
  }

  received(peer: string, payload?: P): void {
    const p = this.peers.get(peer);
    if (p === undefined) return;
    p.lastHeartbeat = this.clock.now();
    p.heartbeats++;
    if (payload !== undefined) p.payload = payload;
  }

  /** Every watched peer, in the order they were added. */
  status(): PeerHeartbeat<P>[] {
    return [...this.peers].map(([peer, p]) => ({ peer, ...p }));
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private arm(): void {
    this.timer = this.clock.schedule(this.clock.now() + this.checkEveryMs, () => {
      this.timer = undefined;
      if (this.stopped) return;
      const now = this.clock.now();
      for (const [peer, p] of [...this.peers]) {
        const silent = now - p.lastHeartbeat;
        if (silent >= this.timeoutMs) {
          this.peers.delete(peer);
          this.onLost(peer, silent);
        }
      }
      if (this.peers.size > 0 && !this.stopped) this.arm();
    });
  }
}
