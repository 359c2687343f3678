/**
 * Finding the current leader through ZooKeeper, as TaskManagers find the JobManager in Flink's HA mode:
 * read the leader node and watch it; every change (a new leader, or none while an election is under way)
 * is reported to the listener.
 */
import type { LeaderInfo } from './leader-election.js';
import type { WatchEvent, ZooKeeperSession } from './zookeeper-session.js';

export class LeaderRetriever {
  private stopped = false;
  private current: LeaderInfo | undefined;

  constructor(
    private readonly session: ZooKeeperSession,
    private readonly leaderPath: string,
    private readonly onChange: (leader: LeaderInfo | undefined) => void,
  ) {}

  /** The leader known now (undefined while there is none). */
  get leader(): LeaderInfo | undefined {
    return this.current;
  }

  /** Reads the leader node and keeps watching it. */
  async start(): Promise<void> {
    await this.read();
  }

  /** Resolves with the first leader seen (at once if there is one), or rejects after `timeoutMs`. */
  waitForLeader(timeoutMs: number): Promise<LeaderInfo> {
    if (this.current) return Promise.resolve(this.current);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no leader at ${this.leaderPath} within ${timeoutMs} ms`)), timeoutMs);
      const poll = setInterval(() => {
        if (!this.current) return;
        clearTimeout(timer);
        clearInterval(poll);
        resolve(this.current);
      }, 20);
    });
  }

  stop(): void {
    this.stopped = true;
  }

  private readonly read = async (): Promise<void> => {
    if (this.stopped) return;
    const watch = (_e: WatchEvent) => void this.read().catch(() => {});
    const node = await this.session.getData(this.leaderPath, watch);
    // No node: watch for its creation instead (getData cannot watch a node that does not exist).
    if (node === undefined && !(await this.session.exists(this.leaderPath, watch))) this.update(undefined);
    else if (node === undefined) await this.read();
    else this.update(JSON.parse(node.data.toString('utf8')) as LeaderInfo);
  };

  private update(leader: LeaderInfo | undefined): void {
    if (this.stopped) return;
    if (JSON.stringify(leader) === JSON.stringify(this.current)) return;
    this.current = leader;
    this.onChange(leader);
  }
}
