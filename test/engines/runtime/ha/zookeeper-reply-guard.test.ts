/**
 * A ZooKeeper reply that node-zookeeper-client cannot parse (a short connect response, as after a session
 * expired) must not crash the process from inside the client's socket handler: the connection is dropped
 * and the caller gets its one-line error. A fake server on 127.0.0.1 sends such a reply to every connection.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ZooKeeperError, ZooKeeperSession } from '../../../../engines/runtime/ha/index.js';

let server: Server | undefined;
const sockets = new Set<Socket>();

afterEach(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('ZooKeeperSession and replies the client library cannot parse', () => {
  it('a truncated connect response drops the connection; connect() rejects with one line, nothing is thrown uncaught', async () => {
    let connections = 0;
    server = createServer((socket) => {
      connections++;
      sockets.add(socket);
      socket.on('error', () => {});
      socket.once('data', () => {
        // A frame of 4 bytes where a connect response (protocol version, timeout, session id, password) needs 24 or more.
        const reply = Buffer.alloc(8);
        reply.writeInt32BE(4, 0);
        reply.writeInt32BE(0, 4);
        socket.write(reply);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const attempt = ZooKeeperSession.connect(`127.0.0.1:${port}`, { connectTimeoutMs: 1500 });
      await expect(attempt).rejects.toBeInstanceOf(ZooKeeperError);
      await expect(attempt).rejects.toThrow(`ZooKeeper at 127.0.0.1:${port} did not answer within 1500 ms (is it running?)`);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    expect(connections).toBeGreaterThan(0);
  });
});
