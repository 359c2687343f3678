import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectControl,
  ControlServer,
  PeerClosedError,
  ProtocolVersionError,
  RemoteError,
  RequestTimeoutError,
  WithBytes,
  type ControlChannel,
} from '../../../../engines/runtime/cluster/index.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function serve(onChannel: (ch: ControlChannel) => void, version?: number): Promise<number> {
  const server = new ControlServer({ name: 'jobmanager', ...(version === undefined ? {} : { version }) }, onChannel);
  cleanups.push(() => server.close());
  return server.listen(0);
}

describe('control channel', () => {
  it('request/response both ways, one-way messages, and the peer names', async () => {
    const got: unknown[] = [];
    let serverSide: ControlChannel | undefined;
    const port = await serve((ch) => {
      serverSide = ch;
      ch.handle('add', (b: { x: number; y: number }) => b.x + b.y);
      ch.handle('later', async (b: string) => `${b}!`);
      ch.on('note', (b) => got.push(b));
    });
    const client = await connectControl(port, { name: 'taskmanager-1' });
    cleanups.push(() => client.destroy());
    client.handle('ping', () => 'pong');
    expect(client.peerName).toBe('jobmanager');
    expect(await client.request('add', { x: 2, y: 3 })).toBe(5);
    expect(await client.request('later', 'hi')).toBe('hi!');
    client.send('note', { n: 1 });
    client.send('note', { n: 2 });
    expect(await client.request('add', { x: 0, y: 0 })).toBe(0); // in order behind the notes
    expect(got).toEqual([{ n: 1 }, { n: 2 }]);
    expect(serverSide?.peerName).toBe('taskmanager-1');
    expect(await serverSide?.request('ping')).toBe('pong');
  });

  it('a handler that throws, or no handler: the error comes back as RemoteError', async () => {
    const port = await serve((ch) =>
      ch.handle('boom', () => {
        throw new Error('no slots');
      }),
    );
    const client = await connectControl(port, { name: 'client' });
    cleanups.push(() => client.destroy());
    await expect(client.request('boom')).rejects.toThrow(RemoteError);
    await expect(client.request('boom')).rejects.toThrow('no slots');
    await expect(client.request('missing')).rejects.toThrow(/jobmanager has no handler for 'missing'/);
  });

  it('a request unanswered within its timeout fails with RequestTimeoutError', async () => {
    const port = await serve((ch) => ch.handle('never', () => new Promise(() => {})));
    const client = await connectControl(port, { name: 'client' });
    cleanups.push(() => client.destroy());
    await expect(client.request('never', null, 50)).rejects.toThrow(RequestTimeoutError);
    await expect(client.request('never', null, 50)).rejects.toThrow("jobmanager did not answer 'never' within 50 ms");
  });

  it('pending requests fail when the peer goes away', async () => {
    let serverSide: ControlChannel | undefined;
    const port = await serve((ch) => {
      serverSide = ch;
      ch.handle('never', () => new Promise(() => {}));
    });
    const client = await connectControl(port, { name: 'client' });
    const pending = client.request('never');
    await new Promise((r) => setTimeout(r, 20));
    serverSide?.destroy();
    await expect(pending).rejects.toThrow(PeerClosedError);
    await expect(client.request('x')).rejects.toThrow(/closed/);
  });

  it('a peer of another protocol version: one clear line on the connecting side', async () => {
    const port = await serve(() => {}, 2);
    await expect(connectControl(port, { name: 'taskmanager-1' })).rejects.toThrow(ProtocolVersionError);
    await expect(connectControl(port, { name: 'taskmanager-1' })).rejects.toThrow(
      "jobmanager speaks cluster protocol version 2, but 'taskmanager-1' speaks version 1: run both from the same streamarena build",
    );
  });

  it('something that is not a cluster peer, and nothing at all', async () => {
    const server: Server = createServer((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise((r) => server.close(r)));
    const port = (server.address() as { port: number }).port;
    await expect(connectControl(port, { name: 'client' })).rejects.toThrow(/is not a streamarena cluster peer/);
    cleanups.splice(0).forEach((c) => c());
    await new Promise((r) => setTimeout(r, 50));
    await expect(connectControl(port, { name: 'client' })).rejects.toThrow(`nothing listens on 127.0.0.1:${port} (connection refused)`);
  });

  it('a port in use: one line naming it', async () => {
    const port = await serve(() => {});
    const second = new ControlServer({ name: 'other' }, () => {});
    await expect(second.listen(port)).rejects.toThrow(`port 127.0.0.1:${port} is in use`);
  });

  it('answers and one-way messages with bytes attached arrive as WithBytes', async () => {
    let got: WithBytes<{ n: number }> | undefined;
    let done: () => void = () => {};
    const received = new Promise<void>((r) => (done = r));
    const port = await serve((ch) => {
      ch.handle('blob', (b: { size: number }) => new WithBytes({ size: b.size }, new Uint8Array(b.size).fill(7)));
      ch.on('upload', (b: WithBytes<{ n: number }>) => {
        got = b;
        done();
      });
    });
    const client = await connectControl(port, { name: 'client' });
    cleanups.push(() => client.destroy());
    const answer = await client.request<WithBytes<{ size: number }>>('blob', { size: 70000 });
    expect(answer).toBeInstanceOf(WithBytes);
    expect(answer.meta).toEqual({ size: 70000 });
    expect(answer.bytes.length).toBe(70000);
    expect(answer.bytes[69999]).toBe(7);
    client.sendWithBytes('upload', { n: 3 }, Uint8Array.of(1, 2, 3));
    await received;
    expect(got?.meta).toEqual({ n: 3 });
    expect([...(got?.bytes ?? [])]).toEqual([1, 2, 3]);
  });

  it('binary frames ride on the same connection, in order with messages', async () => {
    const seen: string[] = [];
    let done: () => void = () => {};
    const finished = new Promise<void>((r) => (done = r));
    const port = await serve((ch) => {
      ch.onBinary((b) => seen.push(`bin:${b.length}`));
      ch.on('end', () => {
        seen.push('end');
        done();
      });
    });
    const client = await connectControl(port, { name: 'client' });
    cleanups.push(() => client.destroy());
    client.sendBinary(new Uint8Array(3));
    client.sendBinary(new Uint8Array(40000));
    client.send('end');
    await finished;
    expect(seen).toEqual(['bin:3', 'bin:40000', 'end']);
  });
});
