/**
 * A session with a real ZooKeeper ensemble, as the coordination service of high availability (Flink's
 * JobManager leader election and checkpoint pointers; Storm and Spark's standalone masters use it the same
 * way). A thin promise-based face over node-zookeeper-client (a pure-JavaScript client of ZooKeeper's wire
 * protocol) that says what failed in one line: which server, which path, which ZooKeeper error.
 *
 * Ephemeral nodes live as long as this session: when the process dies, ZooKeeper removes them after the
 * session timeout, which is how the others learn that a leader is gone.
 */
import zookeeper from 'node-zookeeper-client';

/** ZooKeeper's own error codes that callers act on. */
export const ZK_NO_NODE = -101;
export const ZK_BAD_VERSION = -103;
export const ZK_NODE_EXISTS = -110;

export interface ZooKeeperSessionOptions {
  /** The session timeout asked of the server (ms); the server clamps it to [2, 20] x its tickTime. */
  sessionTimeoutMs?: number;
  /** How long to wait for the first connection before giving up (ms). */
  connectTimeoutMs?: number;
}

/** A ZooKeeper watch fired: the node was created, deleted, or its data or children changed. */
export type WatchEvent = 'created' | 'deleted' | 'dataChanged' | 'childrenChanged';

export class ZooKeeperError extends Error {
  constructor(
    message: string,
    /** ZooKeeper's error code (negative), or undefined for a failure of the connection itself. */
    readonly code: number | undefined,
  ) {
    super(message);
    this.name = 'ZooKeeperError';
  }
}

export class ZooKeeperSession {
  private closed = false;
  private readonly expiryListeners: (() => void)[] = [];

  private constructor(
    private readonly client: zookeeper.Client,
    /** The connection string, `host:port[,host:port...]`. */
    readonly address: string,
  ) {
    client.on('expired', () => {
      if (this.closed) return;
      for (const listener of this.expiryListeners) listener();
    });
  }

  /** Connects to `address` (`host:port`, comma-separated for an ensemble); rejects when nobody answers in time. */
  static connect(address: string, options: ZooKeeperSessionOptions = {}): Promise<ZooKeeperSession> {
    const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    const client = zookeeper.createClient(address, {
      sessionTimeout: options.sessionTimeoutMs ?? 4000,
      spinDelay: 200,
      retries: 1,
    });
    guardSocketData(client);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        reject(new ZooKeeperError(`ZooKeeper at ${address} did not answer within ${connectTimeoutMs} ms (is it running?)`, undefined));
      }, connectTimeoutMs);
      client.once('connected', () => {
        clearTimeout(timer);
        resolve(new ZooKeeperSession(client, address));
      });
      client.connect();
    });
  }

  /** The session id as hex: the owner of this session's ephemeral nodes. */
  get sessionId(): string {
    return this.client.getSessionId().toString('hex');
  }

  /** The timeout the server granted (ms). */
  get sessionTimeoutMs(): number {
    return this.client.getSessionTimeout();
  }

  /** Called once if ZooKeeper expires this session (its ephemeral nodes are then gone). */
  onExpired(listener: () => void): void {
    this.expiryListeners.push(listener);
  }

  /** Creates `path` and its missing parents as persistent nodes. */
  ensurePath(path: string): Promise<void> {
    return this.call(`create ${path}`, (cb) => this.client.mkdirp(path, cb)).then(() => undefined);
  }

  /** Creates a node; resolves with its path (with the sequence number for a sequential mode). */
  create(path: string, data: Buffer, mode: 'persistent' | 'ephemeral' | 'ephemeral-sequential'): Promise<string> {
    const m =
      mode === 'persistent'
        ? zookeeper.CreateMode.PERSISTENT
        : mode === 'ephemeral'
          ? zookeeper.CreateMode.EPHEMERAL
          : zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL;
    return this.call(`create ${path}`, (cb) => this.client.create(path, data, m, cb));
  }

  /** The node's data and version, or undefined when there is no such node; `watch` fires once on its next change. */
  async getData(path: string, watch?: (e: WatchEvent) => void): Promise<{ data: Buffer; version: number } | undefined> {
    try {
      return await new Promise((resolve, reject) => {
        const done = (err: unknown, data: Buffer, stat: zookeeper.Stat) =>
          err ? reject(err) : resolve({ data: data ?? Buffer.alloc(0), version: stat.version });
        if (watch) this.client.getData(path, (e) => watch(eventName(e)), done);
        else this.client.getData(path, done);
      });
    } catch (err) {
      if (codeOf(err) === ZK_NO_NODE) return undefined;
      throw this.fail(`read ${path}`, err);
    }
  }

  /** Whether the node exists; `watch` fires once when it is created or deleted or its data changes. */
  exists(path: string, watch?: (e: WatchEvent) => void): Promise<boolean> {
    return this.call(`check ${path}`, (cb: (err: unknown, stat: zookeeper.Stat | null) => void) => {
      if (watch) this.client.exists(path, (e) => watch(eventName(e)), cb as never);
      else this.client.exists(path, cb as never);
    }).then((stat) => stat !== null && stat !== undefined);
  }

  /** The node's children (names, unsorted); `watch` fires once when they change. */
  children(path: string, watch?: (e: WatchEvent) => void): Promise<string[]> {
    return this.call(`list ${path}`, (cb: (err: unknown, children: string[]) => void) => {
      if (watch) this.client.getChildren(path, (e) => watch(eventName(e)), cb);
      else this.client.getChildren(path, cb);
    });
  }

  /** Sets the node's data; with `version`, only if the node is still at that version (else a ZK_BAD_VERSION error). */
  setData(path: string, data: Buffer, version = -1): Promise<number> {
    return this.call(`write ${path}`, (cb: (err: unknown, stat: zookeeper.Stat) => void) =>
      this.client.setData(path, data, version, cb),
    ).then((stat) => stat.version);
  }

  /**
   * Writes `data` to `path` (creating it) only while `guard` exists, in one ZooKeeper transaction: a leader
   * that lost its leadership (its latch node is gone) can no longer write.
   */
  async setDataGuarded(path: string, data: Buffer, guard: string, mode: 'persistent' | 'ephemeral' = 'persistent'): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const exists = await this.exists(path);
      const tx = this.client.transaction().check(guard);
      if (exists) tx.setData(path, data);
      else tx.create(path, data, mode === 'persistent' ? zookeeper.CreateMode.PERSISTENT : zookeeper.CreateMode.EPHEMERAL);
      try {
        await new Promise<void>((resolve, reject) => tx.commit((err) => (err ? reject(err) : resolve())));
        return;
      } catch (err) {
        // Created or removed by someone else between the check and the commit: look again, once.
        const raced = codeOf(err) === (exists ? ZK_NO_NODE : ZK_NODE_EXISTS) && attempt === 0;
        if (!raced || (await this.exists(guard)) === false) throw this.fail(`write ${path} while ${guard} exists`, err);
      }
    }
  }

  /** Removes a node; a node that is already gone is not an error. */
  async remove(path: string): Promise<void> {
    try {
      await new Promise<void>((resolve, reject) => this.client.remove(path, (err) => (err ? reject(err) : resolve())));
    } catch (err) {
      if (codeOf(err) !== ZK_NO_NODE) throw this.fail(`remove ${path}`, err);
    }
  }

  /** Ends the session: ZooKeeper removes its ephemeral nodes at once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }

  private call<T>(what: string, op: (cb: (err: unknown, value: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => op((err, value) => (err ? reject(this.fail(what, err)) : resolve(value))));
  }

  private fail(what: string, err: unknown): ZooKeeperError {
    if (err instanceof ZooKeeperError) return err;
    const code = codeOf(err);
    const name = (err as { getName?: () => string }).getName?.() ?? (err as Error).message;
    return new ZooKeeperError(`ZooKeeper at ${this.address}: ${what}: ${name}`, code);
  }
}

function codeOf(err: unknown): number | undefined {
  const getCode = (err as { getCode?: () => number } | null)?.getCode;
  return typeof getCode === 'function' ? getCode.call(err) : undefined;
}

function eventName(e: zookeeper.Event): WatchEvent {
  switch (e.getType()) {
    case zookeeper.Event.NODE_CREATED:
      return 'created';
    case zookeeper.Event.NODE_DELETED:
      return 'deleted';
    case zookeeper.Event.NODE_DATA_CHANGED:
      return 'dataChanged';
    default:
      return 'childrenChanged';
  }
}

/** The parts of node-zookeeper-client's connection manager {@link guardSocketData} touches. */
interface ConnectionManagerInternals {
  onSocketData(this: ConnectionManagerInternals, buffer: Buffer): void;
  pendingBuffer: Buffer | null;
  socket?: { destroy(): void };
}

/**
 * node-zookeeper-client parses each reply inside its socket's `data` handler, and a reply it cannot parse
 * (a short connect response after a session expired, alexguan/node-zookeeper-client#39 and #89) throws
 * there, out of reach of any caller: an uncaught exception that ends the process. Here such a reply drops
 * the connection instead, which the client handles as a lost connection (it reconnects, or reports the
 * session expired).
 */
function guardSocketData(client: zookeeper.Client): void {
  const manager = (client as unknown as { connectionManager?: ConnectionManagerInternals }).connectionManager;
  if (manager === undefined || typeof manager.onSocketData !== 'function') return;
  const parse = manager.onSocketData;
  manager.onSocketData = function (this: ConnectionManagerInternals, buffer: Buffer): void {
    try {
      parse.call(this, buffer);
    } catch (err) {
      if (!(err instanceof RangeError) && !/out of (buffer )?range/i.test(String((err as Error)?.message))) throw err;
      this.pendingBuffer = null;
      this.socket?.destroy();
    }
  };
}
