import { afterEach, describe, expect, it } from 'vitest';
import { EventLog } from '../../../../bench/driver/event-log.js';
import { systemClock } from '../../../../engines/runtime/clocks.js';
import {
  connectControl,
  ControlServer,
  RemoteEventLog,
  RemoteSinkSet,
  serveEventLog,
  serveSinks,
} from '../../../../engines/runtime/cluster/index.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function served(log: EventLog, extra?: (ch: import('../../../../engines/runtime/cluster/index.js').ControlChannel) => void) {
  const server = new ControlServer({ name: 'driver' }, (ch) => {
    serveEventLog(ch, log);
    extra?.(ch);
  });
  cleanups.push(() => server.close());
  const channel = await connectControl(await server.listen(0), { name: 'consumer' });
  cleanups.push(() => channel.destroy());
  return { channel, remote: await RemoteEventLog.open(channel, systemClock) };
}

/** Reads a partition to its end as a source does: read what is there, else wait for data. */
function drain(remote: RemoteEventLog, partition: number): Promise<unknown[]> {
  const out: unknown[] = [];
  let offset = remote.startOffset(partition);
  return new Promise((resolve) => {
    const step = () => {
      for (;;) {
        const batch = remote.read(partition, offset, 100);
        if (batch === undefined) break;
        for (let i = 0; i < batch.count; i++) out.push([batch.values[batch.index + i], batch.timestamps[batch.index + i]]);
        offset += batch.count;
        remote.commit(partition, offset);
      }
      if (remote.isClosed() && remote.read(partition, offset, 1) === undefined) resolve(out);
      else remote.waitForData(partition, offset, step);
    };
    step();
  });
}

describe('event log served over TCP', () => {
  it('a remote consumer reads every partition in order, through appends and the close, and commits', async () => {
    const log = new EventLog(2, systemClock);
    const { remote } = await served(log);
    expect(remote.partitions).toBe(2);
    const expected: unknown[][] = [[], []];
    const append = (n: number, from: number) => {
      for (let k = from; k < from + n; k++) {
        log.append(k % 2, { k }, 1000 + k);
        expected[k % 2].push([{ k }, 1000 + k]);
      }
      log.publish();
    };
    append(5000, 0);
    const reads = [drain(remote, 0), drain(remote, 1)];
    await new Promise((r) => setTimeout(r, 30));
    append(7000, 5000); // while the consumer long-polls
    await new Promise((r) => setTimeout(r, 30));
    expect(remote.isClosed()).toBe(false);
    log.close();
    const [p0, p1] = await Promise.all(reads);
    expect(p0).toEqual(expected[0]);
    expect(p1).toEqual(expected[1]);
    expect(remote.isClosed()).toBe(true);
    remote.flushCommits();
    await new Promise((r) => setTimeout(r, 50));
    expect(log.startOffset(0)).toBeGreaterThan(0); // committed segments dropped
  });

  it('isClosed waits until what was fetched covers the end, not just for the close', async () => {
    const log = new EventLog(1, systemClock);
    for (let k = 0; k < 10; k++) log.append(0, k, k);
    log.close();
    const { remote } = await served(log);
    expect(remote.read(0, 0, 10)).toBeUndefined(); // nothing buffered yet: a fetch starts
    expect(remote.isClosed()).toBe(false);
    await new Promise<void>((r) => remote.waitForData(0, 0, r));
    expect(remote.read(0, 0, 10)?.count).toBe(10);
    expect(remote.isClosed()).toBe(true);
  });

  it('sink records written remotely reach the driver side writers, in order', async () => {
    const log = new EventLog(1, systemClock);
    const got: unknown[] = [];
    const sinks = { get: (name: string) => ({ write: (v: unknown, e: number, i: number) => got.push([name, v, e, i]) }) };
    let done: () => void = () => {};
    const finished = new Promise<void>((r) => (done = r));
    const { channel } = await served(log, (ch) => {
      serveSinks(ch, sinks, ['a', 'b']);
      ch.on('done', () => done());
    });
    const remote = new RemoteSinkSet(channel, systemClock, ['a', 'b']);
    for (let i = 0; i < 1200; i++) remote.get(i % 3 === 0 ? 'b' : 'a').write({ i }, i, i + 0.5);
    remote.flush();
    channel.send('done');
    await finished;
    expect(got).toHaveLength(1200);
    expect(got[0]).toEqual(['b', { i: 0 }, 0, 0.5]);
    expect(got[1199]).toEqual(['a', { i: 1199 }, 1199, 1199.5]);
    expect(remote.records).toBe(1200);
  });
});
