/**
 * The live dashboard's HTTP server, on 127.0.0.1 only: `GET /` is the page, `GET /events` the stream of
 * {@link LiveMessage}s as Server-Sent Events (a snapshot first, then every message as it happens), anything
 * else 404. Requests whose Host is not this address are refused (a page elsewhere cannot reach it through a
 * DNS name that resolves here). `close()` ends every stream and connection, so nothing outlives the run.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { LiveMessage, LiveSnapshot } from '../../reports/live/index.js';
import { UsageError } from '../errors.js';

export const LIVE_HOST = '127.0.0.1';
export const DEFAULT_UI_PORT = 8081;

/** How long close() lets open connections finish writing before it destroys them (ms). */
const CLOSE_GRACE_MS = 1000;

/** A page that reads slower than this much queued output is dropped (it reconnects and gets a snapshot). */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

export interface LiveServerOptions {
  /** 0 = any free port (tests). */
  port: number;
  /** The page, with its Content-Security-Policy (sent as a header too). */
  page: { html: string; csp: string };
  snapshot(): LiveSnapshot;
}

export class LiveServer {
  private readonly streams = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();
  private closed = false;

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly port: number,
  ) {
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  get url(): string {
    return `http://${LIVE_HOST}:${this.port}/`;
  }

  /**
   * Listens, or throws a UsageError saying why not (the port is in use, or not allowed).
   */
  static async start(options: LiveServerOptions): Promise<LiveServer> {
    let live: LiveServer | undefined;
    const server = createServer((req, res) => live?.handle(req, res, options));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        const why =
          err.code === 'EADDRINUSE'
            ? `port ${options.port} on ${LIVE_HOST} is in use (give another: --ui <port>)`
            : err.code === 'EACCES'
              ? `port ${options.port} on ${LIVE_HOST} is not allowed for this user (give one above 1023: --ui <port>)`
              : `cannot listen on ${LIVE_HOST}:${options.port} (${err.code ?? err.message})`;
        reject(new UsageError(`--ui: ${why}`));
      });
      server.listen(options.port, LIVE_HOST, () => resolve());
    });
    live = new LiveServer(server, (server.address() as AddressInfo).port);
    return live;
  }

  /** Sends a message to every open page. */
  broadcast(message: LiveMessage): void {
    if (this.closed || this.streams.size === 0) return;
    const frame = sseFrame(message);
    for (const res of this.streams) this.write(res, frame);
  }

  /**
   * Ends every stream and connection and stops listening. Streams are ended (their last messages flushed)
   * and idle connections closed at once; a connection still open after CLOSE_GRACE_MS is destroyed.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const res of this.streams) res.end();
    this.streams.clear();
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const grace = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, CLOSE_GRACE_MS);
    await stopped;
    clearTimeout(grace);
  }

  private handle(req: IncomingMessage, res: ServerResponse, options: LiveServerOptions): void {
    const host = req.headers.host ?? '';
    if (host !== `${LIVE_HOST}:${this.port}` && host !== `localhost:${this.port}`) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('wrong host\n');
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    if (path === '/') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': options.page.csp,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      res.end(req.method === 'HEAD' ? undefined : options.page.html);
      return;
    }
    if (path === '/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        // One response per connection: when the run ends, the stream's end closes its socket.
        connection: 'close',
      });
      if (this.closed || req.method === 'HEAD') {
        res.end();
        return;
      }
      this.streams.add(res);
      res.on('close', () => this.streams.delete(res));
      // retry: how long a page waits before reconnecting (ms) when the stream breaks.
      this.write(res, `retry: 1000\n\n${sseFrame({ type: 'snapshot', snapshot: options.snapshot() })}`);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
  }

  private write(res: ServerResponse, frame: string): void {
    if (res.writableLength > MAX_QUEUED_BYTES) {
      this.streams.delete(res);
      res.destroy();
      return;
    }
    res.write(frame);
  }
}

/** One SSE event: JSON has no raw newlines, so one `data:` line carries it. */
function sseFrame(message: LiveMessage): string {
  return `data: ${JSON.stringify(message)}\n\n`;
}
