/**
 * Flink's `ZooKeeperCompletedCheckpointStore` and `ZooKeeperCheckpointIDCounter`: where a JobManager that
 * wins the election finds the job's latest completed checkpoint (a pointer to its directory in the
 * checkpoint storage), and the counter from which it draws the next checkpoint id. Both are written only
 * by the leader, in transactions that check its latch node, so a JobManager that lost the lead without
 * knowing it yet cannot move the pointer back.
 */
import type { ZooKeeperSession } from '../../runtime/ha/index.js';
import { ZK_BAD_VERSION, ZK_NODE_EXISTS } from '../../runtime/ha/index.js';

/** What ZooKeeper keeps of a completed checkpoint: its id and where its `_metadata` is. */
export interface CheckpointPointer {
  readonly checkpointId: number;
  /** The checkpoint's directory (`<checkpointDir>/<jobId>/chk-<n>`). */
  readonly externalPointer: string;
}

export class ZooKeeperCompletedCheckpointStore {
  constructor(
    private readonly session: ZooKeeperSession,
    /** The job's pointer node (FlinkHaPaths.checkpoints). */
    private readonly path: string,
  ) {}

  /** Records `pointer` as the latest completed checkpoint, while `leaderLatchNode` (the writer's latch node) exists. */
  async addCheckpoint(pointer: CheckpointPointer, leaderLatchNode: string): Promise<void> {
    await this.session.ensurePath(parentOf(this.path));
    await this.session.setDataGuarded(this.path, Buffer.from(JSON.stringify(pointer)), leaderLatchNode);
  }

  /** The latest completed checkpoint, or undefined when the job has none yet. */
  async latest(): Promise<CheckpointPointer | undefined> {
    const node = await this.session.getData(this.path);
    if (!node || node.data.length === 0) return undefined;
    return JSON.parse(node.data.toString('utf8')) as CheckpointPointer;
  }
}

export class ZooKeeperCheckpointIdCounter {
  constructor(
    private readonly session: ZooKeeperSession,
    /** The job's counter node (FlinkHaPaths.checkpointCounter). */
    private readonly path: string,
  ) {}

  /** Sets up the counter at 1 if there is none yet (a new job); an existing one is kept (a recovered job). */
  async start(): Promise<void> {
    await this.session.ensurePath(parentOf(this.path));
    try {
      await this.session.create(this.path, Buffer.from('1'), 'persistent');
    } catch (err) {
      if ((err as { code?: number }).code !== ZK_NODE_EXISTS) throw err;
    }
  }

  /** Returns the next checkpoint id and advances the counter (compare-and-set on the node's version). */
  async getAndIncrement(): Promise<number> {
    for (;;) {
      const node = await this.session.getData(this.path);
      if (!node) throw new Error(`checkpoint id counter ${this.path} is missing: start() first`);
      const current = Number(node.data.toString('utf8'));
      try {
        await this.session.setData(this.path, Buffer.from(String(current + 1)), node.version);
        return current;
      } catch (err) {
        if ((err as { code?: number }).code !== ZK_BAD_VERSION) throw err; // another writer won: read again
      }
    }
  }

  /** The id the next checkpoint will get. */
  async get(): Promise<number> {
    const node = await this.session.getData(this.path);
    return node ? Number(node.data.toString('utf8')) : 1;
  }
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
