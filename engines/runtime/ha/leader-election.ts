/**
 * Leader election on ZooKeeper, as Flink's ZooKeeper HA services do it (Curator's LeaderLatch recipe):
 * every contender creates an ephemeral sequential node under the latch path; the one with the lowest
 * sequence number leads, each of the others watches only the node just before its own (no herd effect
 * when the leader goes). The leader then publishes its address in an ephemeral leader node, written in a
 * transaction that checks its latch node still exists, so a deposed leader cannot overwrite its successor.
 *
 * A leader whose process dies loses its session after the session timeout; ZooKeeper removes both of its
 * nodes, the next contender's watch fires and it takes over.
 */
import { ZooKeeperSession, type WatchEvent } from './zookeeper-session.js';

/** What a leader publishes: where to reach it. */
export interface LeaderInfo {
  /** The contender's address, e.g. `127.0.0.1:6123` for a JobManager's RPC endpoint. */
  address: string;
  /** The contender's id (a process name or uuid): tells two contenders at the same address apart. */
  id: string;
  /** ZooKeeper session of the leader: its ephemeral nodes' owner. */
  sessionId: string;
}

export interface LeaderContender {
  /** Called once this contender leads: it may now act as the leader. */
  grantLeadership(): void;
  /** Called when it lost the lead (its session expired, or it closed): it must stop acting as the leader. */
  revokeLeadership(): void;
}

export interface LeaderElectionPaths {
  /** Parent of the contenders' ephemeral sequential nodes, e.g. `/flink/<cluster>/latch`. */
  latch: string;
  /** The leader's published LeaderInfo, e.g. `/flink/<cluster>/leader/jobmanager/connection_info`. */
  leader: string;
}

const LATCH_PREFIX = 'latch-';

export class LeaderElection {
  private ourNode: string | undefined;
  private leading = false;
  private stopped = false;

  constructor(
    private readonly session: ZooKeeperSession,
    private readonly paths: LeaderElectionPaths,
    private readonly info: Omit<LeaderInfo, 'sessionId'>,
    private readonly contender: LeaderContender,
  ) {
    session.onExpired(() => this.lose());
  }

  /** Whether this contender leads now. */
  get hasLeadership(): boolean {
    return this.leading;
  }

  /** This contender's latch node (its full path), once it has joined. */
  get latchNode(): string | undefined {
    return this.ourNode;
  }

  /** Joins the election; resolves once this contender's latch node exists (leading or not). */
  async start(): Promise<void> {
    await this.session.ensurePath(this.paths.latch);
    await this.session.ensurePath(parentOf(this.paths.leader));
    this.ourNode = await this.session.create(
      `${this.paths.latch}/${LATCH_PREFIX}`,
      Buffer.from(JSON.stringify(this.info)),
      'ephemeral-sequential',
    );
    await this.check();
  }

  /** Leaves the election: the next contender takes over at once. */
  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const node = this.ourNode;
    if (this.leading) await this.session.remove(this.paths.leader).catch(() => {});
    if (node) await this.session.remove(node).catch(() => {});
    this.lose();
  }

  private readonly check = async (): Promise<void> => {
    if (this.stopped || !this.ourNode) return;
    const children = (await this.session.children(this.paths.latch))
      .filter((c) => c.startsWith(LATCH_PREFIX))
      .sort((a, b) => sequenceOf(a) - sequenceOf(b));
    const ours = this.ourNode.slice(this.paths.latch.length + 1);
    const index = children.indexOf(ours);
    if (index < 0) {
      this.lose(); // our node is gone: the session expired under us
      return;
    }
    if (index === 0) {
      await this.lead();
      return;
    }
    // Watch only our predecessor; if it is already gone, look again.
    const predecessor = `${this.paths.latch}/${children[index - 1]}`;
    const watch = (e: WatchEvent) => {
      if (e === 'deleted') void this.check().catch(() => {});
    };
    if (!(await this.session.exists(predecessor, watch))) await this.check();
  };

  private async lead(): Promise<void> {
    if (this.leading || this.stopped || !this.ourNode) return;
    const published: LeaderInfo = { ...this.info, sessionId: this.session.sessionId };
    await this.session.setDataGuarded(this.paths.leader, Buffer.from(JSON.stringify(published)), this.ourNode, 'ephemeral');
    this.leading = true;
    this.contender.grantLeadership();
  }

  private lose(): void {
    if (!this.leading) return;
    this.leading = false;
    this.contender.revokeLeadership();
  }
}

function sequenceOf(name: string): number {
  return Number(name.slice(LATCH_PREFIX.length));
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
