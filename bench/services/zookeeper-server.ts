/**
 * Starts a real ZooKeeper server (Debian's `zookeeper` package, on Java) on 127.0.0.1 with a data directory
 * of its own, for high-availability runs and tests: the coordination service that Flink's JobManager HA
 * relies on. The JVM runs under a guardian (guarded-process.ts), so it ends with the process that started it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from './free-port.js';
import { startGuarded } from './guarded-process.js';

/** Where Debian's package puts ZooKeeper's jar and its log4j configuration. */
export const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
export const ZOOKEEPER_CONF_DIR = '/etc/zookeeper/conf';
const JAVA = '/usr/bin/java';

export interface ZooKeeperServerOptions {
  /** Client port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Data directory; a fresh temporary one (removed at stop) by default. */
  dataDir?: string;
  /** ZooKeeper's tick (ms): sessions may last 2 to 20 ticks. 200 ms lets tests expire a session in under a second. */
  tickTimeMs?: number;
  /** How long to wait for the server to answer `ruok` (ms). */
  startTimeoutMs?: number;
}

export interface ZooKeeperServer {
  /** `127.0.0.1:<port>`, the connection string for clients. */
  readonly address: string;
  readonly port: number;
  /** The guardian's pid (the JVM is its child). */
  readonly pid: number;
  readonly dataDir: string;
  /** Stops the server (and removes a temporary data directory). */
  stop(): Promise<void>;
}

/** Why ZooKeeper cannot be started here, or undefined when it can. */
export function zookeeperUnavailable(): string | undefined {
  if (!existsSync(JAVA)) return `Java is not installed (${JAVA}); install a JRE and Debian's zookeeper package`;
  if (!existsSync(ZOOKEEPER_JAR)) return `ZooKeeper is not installed (${ZOOKEEPER_JAR}): apt-get install zookeeper`;
  return undefined;
}

export async function startZooKeeper(options: ZooKeeperServerOptions = {}): Promise<ZooKeeperServer> {
  const missing = zookeeperUnavailable();
  if (missing) throw new Error(missing);
  const port = options.port || (await freeLoopbackPort());
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'streamarena-zookeeper-'));
  mkdirSync(dataDir, { recursive: true });
  const tick = options.tickTimeMs ?? 200;
  const config = join(dataDir, 'zoo.cfg');
  writeFileSync(
    config,
    [
      `tickTime=${tick}`,
      `dataDir=${join(dataDir, 'data')}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'admin.enableServer=false',
      'maxClientCnxns=0',
      '4lw.commands.whitelist=ruok,srvr',
      // Sessions may be as short as 2 ticks: failover tests need a fast expiry.
      `minSessionTimeout=${2 * tick}`,
      '',
    ].join('\n'),
  );
  const server = startGuarded(JAVA, [
    '-Xmx128m',
    `-Dzookeeper.log.dir=${dataDir}`,
    '-Dzookeeper.root.logger=WARN,CONSOLE',
    '-cp',
    `${ZOOKEEPER_CONF_DIR}:${ZOOKEEPER_JAR}`,
    'org.apache.zookeeper.server.quorum.QuorumPeerMain',
    config,
  ]);
  const stop = async () => {
    await server.stop();
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // A JVM on a busy 2-core machine can take tens of seconds to start.
    await waitUntilServing(port, options.startTimeoutMs ?? 90_000, () => server.exited);
  } catch (err) {
    await stop();
    const why = server
      .stderrTail()
      .split('\n')
      .filter((l) => /ERROR|Exception|Address already in use/.test(l))[0];
    throw new Error(`ZooKeeper did not start on 127.0.0.1:${port}: ${(err as Error).message}${why ? ` (${why.trim()})` : ''}`);
  }
  return { address: `127.0.0.1:${port}`, port, pid: server.pid, dataDir, stop };
}

/** Asks `ruok` until the server answers `imok`. */
async function waitUntilServing(port: number, timeoutMs: number, gaveUp: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gaveUp()) throw new Error('the server exited');
    if ((await fourLetterWord(port, 'ruok')) === 'imok') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer to 'ruok' within ${timeoutMs} ms`);
}

/** Sends one of ZooKeeper's four-letter commands and resolves with the reply ('' when nobody answers). */
export function fourLetterWord(port: number, word: string): Promise<string> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = connect({ host: '127.0.0.1', port }, () => socket.end(word));
    // A server still starting may accept and never answer: give up on this attempt after a second.
    socket.setTimeout(1000, () => socket.destroy());
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (reply += d));
    socket.on('close', () => resolve(reply));
    socket.on('error', () => resolve(''));
  });
}
