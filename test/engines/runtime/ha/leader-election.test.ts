import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fourLetterWord, startZooKeeper, type ZooKeeperServer } from '../../../../bench/services/index.js';
import { packageRoot } from '../../../../bench/runner/package-paths.js';
import {
  LeaderElection,
  LeaderRetriever,
  ZooKeeperError,
  ZooKeeperSession,
  type LeaderInfo,
} from '../../../../engines/runtime/ha/index.js';
import { zookeeperMissing } from '../../../support/zookeeper.js';

const missing = zookeeperMissing();
const fixtures = join(packageRoot(), 'test', 'fixtures');

/** Lines of `ps` that mention `marker`. */
function processesMentioning(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(marker) && !l.includes('ps -eo'));
}

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Output lines of a child process, as they come. */
function linesOf(child: ChildProcess): string[] {
  const lines: string[] = [];
  let pending = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    const parts = (pending + d).split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts);
  });
  return lines;
}

describe.skipIf(missing !== undefined)('leader election on a real ZooKeeper', () => {
  let zk: ZooKeeperServer;
  const sessions: ZooKeeperSession[] = [];
  const children: ChildProcess[] = [];
  let n = 0;
  const paths = () => {
    n++;
    return { latch: `/test/c${n}/latch`, leader: `/test/c${n}/leader/jobmanager/connection_info` };
  };
  const session = async (timeoutMs = 800) => {
    const s = await ZooKeeperSession.connect(zk.address, { sessionTimeoutMs: timeoutMs });
    sessions.push(s);
    return s;
  };
  const contender = () => {
    const events: string[] = [];
    return { events, grantLeadership: () => events.push('granted'), revokeLeadership: () => events.push('revoked') };
  };

  beforeAll(async () => {
    zk = await startZooKeeper();
  }, 120_000); // a JVM's start on a busy machine
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    for (const s of sessions) s.close();
    await zk?.stop();
    expect(processesMentioning(zk.dataDir)).toEqual([]);
  });

  it('elects exactly the first contender, publishes its address, and a retriever finds it', async () => {
    const p = paths();
    const [a, b, c] = [contender(), contender(), contender()];
    const ea = new LeaderElection(await session(), p, { address: '127.0.0.1:1001', id: 'a' }, a);
    const eb = new LeaderElection(await session(), p, { address: '127.0.0.1:1002', id: 'b' }, b);
    const ec = new LeaderElection(await session(), p, { address: '127.0.0.1:1003', id: 'c' }, c);
    await ea.start();
    await eb.start();
    await ec.start();
    expect([ea.hasLeadership, eb.hasLeadership, ec.hasLeadership]).toEqual([true, false, false]);
    expect(a.events).toEqual(['granted']);
    const seen: (LeaderInfo | undefined)[] = [];
    const retriever = new LeaderRetriever(await session(), p.leader, (l) => seen.push(l));
    await retriever.start();
    expect(retriever.leader).toMatchObject({ address: '127.0.0.1:1001', id: 'a' });

    // The leader steps down: the next in line (b, not c) takes over, and the retriever follows.
    await ea.close();
    await until('b to lead', () => eb.hasLeadership);
    expect(ec.hasLeadership).toBe(false);
    expect(a.events).toEqual(['granted', 'revoked']);
    await until('the retriever to see b', () => retriever.leader?.id === 'b');
    expect(seen.map((l) => l?.id).filter((id) => id !== undefined)).toEqual(['a', 'b']);
    retriever.stop();
  });

  it('hands the lead over when the leader process is killed: its session expires and the standby wins', async () => {
    const p = paths();
    const child = spawn(process.execPath, [join(fixtures, 'ha-contender.mjs'), zk.address, p.latch, p.leader, 'first'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const lines = linesOf(child);
    await until('the child to lead', () => lines.includes('leader'));
    const standby = contender();
    const election = new LeaderElection(await session(), p, { address: '127.0.0.1:2002', id: 'standby' }, standby);
    await election.start();
    expect(election.hasLeadership).toBe(false);
    const retriever = new LeaderRetriever(await session(), p.leader, () => {});
    await retriever.start();
    expect(retriever.leader?.id).toBe('first');

    child.kill('SIGKILL');
    await until('the standby to lead', () => election.hasLeadership);
    expect(standby.events).toEqual(['granted']);
    await until('the retriever to see the standby', () => retriever.leader?.id === 'standby');
    retriever.stop();
  });

  it('lets only the holder of the latch write: a deposed leader is fenced off', async () => {
    const p = paths();
    const s = await session();
    const election = new LeaderElection(s, p, { address: '127.0.0.1:3001', id: 'x' }, contender());
    await election.start();
    const guard = election.latchNode!;
    await s.setDataGuarded('/test/pointer', Buffer.from('7'), guard);
    expect((await s.getData('/test/pointer'))?.data.toString()).toBe('7');
    await s.remove(guard); // as if its session had expired
    await expect(s.setDataGuarded('/test/pointer', Buffer.from('8'), guard)).rejects.toThrow(ZooKeeperError);
    expect((await s.getData('/test/pointer'))?.data.toString()).toBe('7');
  });

  it('is a clear error when no ZooKeeper answers', async () => {
    const port = zk.port + 1 === 65536 ? zk.port - 1 : zk.port + 1;
    expect(await fourLetterWord(port, 'ruok')).toBe('');
    await expect(ZooKeeperSession.connect(`127.0.0.1:${port}`, { connectTimeoutMs: 1000 })).rejects.toThrow(
      `ZooKeeper at 127.0.0.1:${port} did not answer within 1000 ms (is it running?)`,
    );
  });

  it('takes the server down with the process that started it, even on kill -9', { timeout: 150_000 }, async () => {
    const owner = spawn(process.execPath, [join(fixtures, 'zookeeper-owner.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(owner);
    const lines = linesOf(owner);
    await until('the server to start', () => lines.length > 0, 100_000);
    const { dataDir, port } = JSON.parse(lines[0]) as { dataDir: string; port: number };
    expect(await fourLetterWord(port, 'ruok')).toBe('imok');
    expect(processesMentioning(dataDir).some((l) => l.includes('QuorumPeerMain'))).toBe(true);
    owner.kill('SIGKILL');
    await until('the JVM to end', () => processesMentioning(dataDir).length === 0);
  });
});
