import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectControl,
  ControlServer,
  DATA_BUFFER,
  DATA_CREDIT,
  DATA_EVENT,
  onPortData,
  onSocketData,
  PortDataLink,
  SocketDataLink,
  type DataMessage,
} from '../../../../engines/runtime/cluster/index.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function collect(n: number, subscribe: (h: (m: DataMessage) => void) => void): Promise<DataMessage[]> {
  return new Promise((resolve) => {
    const got: DataMessage[] = [];
    subscribe((m) => {
      got.push(m);
      if (got.length === n) resolve(got);
    });
  });
}

describe('data channel', () => {
  it('between threads: a buffer is moved through the MessagePort, not copied', async () => {
    const { port1, port2 } = new MessageChannel();
    cleanups.push(() => {
      port1.close();
      port2.close();
    });
    const received = collect(3, (h) => onPortData(port2, h));
    const link = new PortDataLink(port1);
    const bytes = Uint8Array.of(1, 2, 3, 4);
    const shared = new Uint8Array(new ArrayBuffer(16), 4, 2); // a view into a larger buffer: copied
    link.send({ to: 1, channel: 5, kind: DATA_BUFFER, a: 2, b: 7, bytes });
    link.send({ to: 1, channel: 5, kind: DATA_EVENT, a: 0, b: 6, bytes: shared });
    link.send({ to: 0, channel: 5, kind: DATA_CREDIT, a: 3, b: 0 });
    expect(bytes.byteLength).toBe(0); // detached: moved to the other side
    expect(shared.byteLength).toBe(2); // still ours
    const got = await received;
    expect(got.map((m) => [m.to, m.channel, m.kind, m.a, m.b, m.bytes ? [...m.bytes] : null])).toEqual([
      [1, 5, DATA_BUFFER, 2, 7, [1, 2, 3, 4]],
      [1, 5, DATA_EVENT, 0, 6, [0, 0]],
      [0, 5, DATA_CREDIT, 3, 0, null],
    ]);
  });

  it('between processes: logical channels multiplexed over one TCP connection, credits as messages back', async () => {
    let serverLink: SocketDataLink | undefined;
    const atServer: DataMessage[] = [];
    const server = new ControlServer({ name: 'taskmanager-2' }, (ch) => {
      serverLink = new SocketDataLink(ch);
      // The consumer side: every buffer received is recycled into one credit on its channel.
      onSocketData(ch, (m) => {
        atServer.push(m);
        if (m.kind === DATA_BUFFER) serverLink?.send({ to: 0, channel: m.channel, kind: DATA_CREDIT, a: 1, b: 0 });
      });
    });
    cleanups.push(() => server.close());
    const client = await connectControl(await server.listen(0), { name: 'taskmanager-1' });
    cleanups.push(() => client.destroy());
    const credits = collect(4, (h) => onSocketData(client, h));
    const link = new SocketDataLink(client);
    for (const channel of [0, 1, 0, 2])
      link.send({ to: 1, channel, kind: DATA_BUFFER, a: 1, b: 0, bytes: new Uint8Array(32 * 1024).fill(channel) });
    const back = await credits;
    expect(back.map((m) => [m.channel, m.kind, m.a])).toEqual([
      [0, DATA_CREDIT, 1],
      [1, DATA_CREDIT, 1],
      [0, DATA_CREDIT, 1],
      [2, DATA_CREDIT, 1],
    ]);
    expect(atServer.map((m) => [m.channel, m.bytes?.length, m.bytes?.[100]])).toEqual([
      [0, 32768, 0],
      [1, 32768, 1],
      [0, 32768, 0],
      [2, 32768, 2],
    ]);
    expect(link.messages).toBe(4);
  });
});
