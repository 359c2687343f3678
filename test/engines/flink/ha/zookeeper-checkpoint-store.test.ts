import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZooKeeper, type ZooKeeperServer } from '../../../../bench/services/index.js';
import { flinkHaPaths, ZooKeeperCheckpointIdCounter, ZooKeeperCompletedCheckpointStore } from '../../../../engines/flink/ha/index.js';
import { LeaderElection, ZooKeeperError, ZooKeeperSession } from '../../../../engines/runtime/ha/index.js';
import { zookeeperMissing } from '../../../support/zookeeper.js';

const missing = zookeeperMissing();

describe('flinkHaPaths', () => {
  it("lays the nodes out under the root and the cluster id, as Flink's ZooKeeper HA does", () => {
    const p = flinkHaPaths('/flink', 'streamarena-1');
    expect(p.latch).toBe('/flink/streamarena-1/latch');
    expect(p.leader).toBe('/flink/streamarena-1/leader/jobmanager/connection_info');
    expect(p.checkpoints('ab12')).toBe('/flink/streamarena-1/jobs/ab12/checkpoints/latest');
    expect(p.checkpointCounter('ab12')).toBe('/flink/streamarena-1/jobs/ab12/checkpoint-counter');
    expect(flinkHaPaths('/', 'x').latch).toBe('/x/latch');
    expect(() => flinkHaPaths('flink', 'x')).toThrow(/absolute ZooKeeper path/);
    expect(() => flinkHaPaths('/flink', 'a/b')).toThrow(/may hold only/);
  });
});

describe.skipIf(missing !== undefined)('the checkpoint pointers a new JobManager leader recovers from', () => {
  let zk: ZooKeeperServer;
  const sessions: ZooKeeperSession[] = [];
  const session = async () => {
    const s = await ZooKeeperSession.connect(zk.address, { sessionTimeoutMs: 800 });
    sessions.push(s);
    return s;
  };
  const idle = { grantLeadership() {}, revokeLeadership() {} };

  beforeAll(async () => {
    zk = await startZooKeeper();
  }, 120_000); // a JVM's start on a busy machine
  afterAll(async () => {
    for (const s of sessions) s.close();
    await zk?.stop();
  });

  it('keeps the latest pointer and the id counter across a change of leader, and fences the old leader off', async () => {
    const paths = flinkHaPaths('/flink', 'store-test');
    const job = '0123456789abcdef0123456789abcdef';
    const sa = await session();
    const a = new LeaderElection(sa, paths, { address: '127.0.0.1:6123', id: 'jm-a' }, idle);
    await a.start();
    expect(a.hasLeadership).toBe(true);
    const storeA = new ZooKeeperCompletedCheckpointStore(sa, paths.checkpoints(job));
    const counterA = new ZooKeeperCheckpointIdCounter(sa, paths.checkpointCounter(job));
    await counterA.start();
    expect(await storeA.latest()).toBeUndefined();
    for (let i = 0; i < 2; i++) {
      const id = await counterA.getAndIncrement();
      await storeA.addCheckpoint({ checkpointId: id, externalPointer: `/ckpt/${job}/chk-${id}` }, a.latchNode!);
    }
    expect(await storeA.latest()).toEqual({ checkpointId: 2, externalPointer: `/ckpt/${job}/chk-2` });

    // A standby is elected when the leader goes: it finds checkpoint 2 and continues the ids at 3.
    const sb = await session();
    const b = new LeaderElection(sb, paths, { address: '127.0.0.1:6124', id: 'jm-b' }, idle);
    await b.start();
    expect(b.hasLeadership).toBe(false);
    const oldLatch = a.latchNode!;
    await a.close();
    for (let waited = 0; !b.hasLeadership && waited < 20_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(b.hasLeadership).toBe(true);
    const storeB = new ZooKeeperCompletedCheckpointStore(sb, paths.checkpoints(job));
    const counterB = new ZooKeeperCheckpointIdCounter(sb, paths.checkpointCounter(job));
    await counterB.start(); // an existing counter is kept
    expect(await storeB.latest()).toEqual({ checkpointId: 2, externalPointer: `/ckpt/${job}/chk-2` });
    expect(await counterB.getAndIncrement()).toBe(3);

    // The old leader cannot move the pointer any more.
    await expect(storeA.addCheckpoint({ checkpointId: 9, externalPointer: '/stale' }, oldLatch)).rejects.toThrow(ZooKeeperError);
    expect((await storeB.latest())?.checkpointId).toBe(2);
  });

  it('never hands out one checkpoint id twice when two writers race', async () => {
    const paths = flinkHaPaths('/flink', 'counter-race');
    const [s1, s2] = [await session(), await session()];
    const c1 = new ZooKeeperCheckpointIdCounter(s1, paths.checkpointCounter('j'));
    const c2 = new ZooKeeperCheckpointIdCounter(s2, paths.checkpointCounter('j'));
    await Promise.all([c1.start(), c2.start()]);
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? c1 : c2).getAndIncrement()));
    expect([...ids].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await c1.get()).toBe(21);
  });
});
