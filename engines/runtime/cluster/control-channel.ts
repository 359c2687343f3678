/**
 * The control channel between cluster processes: typed, versioned messages in length-prefixed frames
 * over TCP on 127.0.0.1. A connection opens with a handshake (`hello` naming the protocol and its
 * version, answered by `welcome` or `reject`), so that a peer of another version, or something that is not
 * a cluster peer at all, fails at once with one clear line instead of garbling messages. After it, either
 * side sends requests (answered, with a timeout) and one-way messages; binary frames ride on the same
 * connection for data (see data-channel.ts).
 */
import { createServer, connect as netConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import {
  decodeJsonBytesBody,
  encodeFrame,
  encodeJsonBytesFrame,
  encodeJsonFrame,
  FRAME_BINARY,
  FRAME_JSON,
  FRAME_JSON_BYTES,
  FrameDecoder,
  type FrameType,
} from './frames.js';

export const CLUSTER_PROTOCOL = 'streamarena-cluster';
/** Bumped whenever a message changes shape; both sides must agree. */
export const CLUSTER_PROTOCOL_VERSION = 1;
/** Default time a request waits for its response (ms). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Time a new connection has to complete its handshake (ms). */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
/** Only loopback: the cluster is one machine and must not be reachable from outside. */
export const LOOPBACK = '127.0.0.1';

type Wire =
  | { t: 'hello'; protocol: string; version: number; name: string }
  | { t: 'welcome'; version: number; name: string }
  | { t: 'reject'; reason: string }
  | { t: 'req'; id: number; m: string; b: unknown }
  | { t: 'res'; id: number; b?: unknown; err?: string }
  | { t: 'msg'; m: string; b: unknown };

/** The peer speaks another protocol version (or another protocol). */
export class ProtocolVersionError extends Error {}
/** A request got no response within its timeout. */
export class RequestTimeoutError extends Error {}
/** The connection closed (or failed) before a request was answered. */
export class PeerClosedError extends Error {}
/** A request handler on the other side threw; its message is kept. */
export class RemoteError extends Error {}

export interface ChannelOptions {
  /** This side's name, told to the peer (e.g. `taskmanager-1`). */
  readonly name: string;
  /** For tests of a mismatch; default {@link CLUSTER_PROTOCOL_VERSION}. */
  readonly version?: number;
  readonly requestTimeoutMs?: number;
  readonly handshakeTimeoutMs?: number;
}

/**
 * A body with bytes attached: a handler returns one (or a sender sends one) to carry binary data, such as
 * records in the engines' codec, beside its JSON; the receiver gets it back as a WithBytes.
 */
export class WithBytes<M = unknown> {
  constructor(
    readonly meta: M,
    readonly bytes: Uint8Array,
  ) {}
}

type RequestHandler = (body: any, channel: ControlChannel) => unknown;
type MessageHandler = (body: any, channel: ControlChannel) => void;

/** One established, handshaken connection. */
export class ControlChannel {
  private readonly handlers = new Map<string, RequestHandler>();
  private readonly listeners = new Map<string, MessageHandler>();
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private nextId = 1;
  private binaryListener: ((body: Buffer) => void) | undefined;
  private closeListeners: ((error: Error | undefined) => void)[] = [];
  private closedWith: { error: Error | undefined } | undefined;
  private readonly requestTimeoutMs: number;

  /** @internal use {@link connectControl} or {@link ControlServer}. */
  constructor(
    private readonly socket: Socket,
    readonly name: string,
    readonly peerName: string,
    requestTimeoutMs: number | undefined,
  ) {
    this.requestTimeoutMs = requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    socket.on('close', () => this.shutDown(undefined));
    socket.on('error', (err) => this.shutDown(err));
  }

  /** Answers requests of `method`; the handler may return a promise. A throw is sent back as the error. */
  handle(method: string, handler: RequestHandler): this {
    this.handlers.set(method, handler);
    return this;
  }

  /** Receives one-way messages of `method`. */
  on(method: string, handler: MessageHandler): this {
    this.listeners.set(method, handler);
    return this;
  }

  /** Receives binary frames (data buffers). */
  onBinary(listener: (body: Buffer) => void): this {
    this.binaryListener = listener;
    return this;
  }

  /** Called once when the connection ends; `error` when it failed rather than closed. */
  onClose(listener: (error: Error | undefined) => void): this {
    if (this.closedWith) listener(this.closedWith.error);
    else this.closeListeners.push(listener);
    return this;
  }

  get isClosed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Sends a request and waits for the answer. @throws RequestTimeoutError, PeerClosedError, RemoteError */
  request<T = unknown>(method: string, body?: unknown, timeoutMs = this.requestTimeoutMs): Promise<T> {
    if (this.closedWith) return Promise.reject(new PeerClosedError(`${this.peerName}: connection closed before '${method}'`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestTimeoutError(`${this.peerName} did not answer '${method}' within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.write({ t: 'req', id, m: method, b: body ?? null });
    });
  }

  /** Sends a one-way message (dropped when the connection has closed). */
  send(method: string, body?: unknown): void {
    if (!this.closedWith) this.write({ t: 'msg', m: method, b: body ?? null });
  }

  /** Sends a one-way message with bytes attached; the listener receives a {@link WithBytes}. */
  sendWithBytes(method: string, meta: unknown, bytes: Uint8Array): void {
    if (!this.closedWith) this.socket.write(encodeJsonBytesFrame({ t: 'msg', m: method, b: meta ?? null }, bytes));
  }

  /** Sends one binary frame; false when the socket's buffer is full (the bytes are still queued). */
  sendBinary(body: Uint8Array): boolean {
    if (this.closedWith) return false;
    return this.socket.write(encodeFrame(FRAME_BINARY, body));
  }

  close(): void {
    this.socket.end();
    this.shutDown(undefined);
  }

  /** Ends the connection at once (no flushing). */
  destroy(): void {
    this.socket.destroy();
    this.shutDown(undefined);
  }

  /** @internal a decoded frame of this connection. */
  receive(type: FrameType, body: Buffer): void {
    if (type === FRAME_BINARY) {
      this.binaryListener?.(body);
      return;
    }
    let m: Wire;
    if (type === FRAME_JSON_BYTES) {
      const { message, bytes } = decodeJsonBytesBody(body);
      m = message as Wire;
      if (m.t === 'msg' || m.t === 'res') m = { ...m, b: new WithBytes(m.b, bytes) };
    } else m = JSON.parse(body.toString('utf8')) as Wire;
    if (m.t === 'msg') this.listeners.get(m.m)?.(m.b, this);
    else if (m.t === 'req') void this.answer(m.id, m.m, m.b);
    else if (m.t === 'res') {
      const p = this.pending.get(m.id);
      if (p === undefined) return; // answered after its timeout
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.err !== undefined) p.reject(new RemoteError(m.err));
      else p.resolve(m.b);
    }
  }

  private async answer(id: number, method: string, body: unknown): Promise<void> {
    const handler = this.handlers.get(method);
    try {
      if (handler === undefined) throw new Error(`${this.name} has no handler for '${method}'`);
      const result = await handler(body, this);
      if (this.closedWith) return;
      if (result instanceof WithBytes) this.socket.write(encodeJsonBytesFrame({ t: 'res', id, b: result.meta ?? null }, result.bytes));
      else this.write({ t: 'res', id, b: result ?? null });
    } catch (err) {
      if (!this.closedWith) this.write({ t: 'res', id, err: (err as Error).message });
    }
  }

  private write(message: Wire): void {
    this.socket.write(encodeJsonFrame(message));
  }

  private shutDown(error: Error | undefined): void {
    if (this.closedWith) return;
    this.closedWith = { error };
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new PeerClosedError(`${this.peerName}: connection ${error ? `failed (${error.message})` : 'closed'} before the answer`));
    }
    this.pending.clear();
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const l of listeners) l(error);
  }
}

/** Feeds a socket's frames to whoever currently listens: the handshake first, then the channel. */
function framed(socket: Socket, onError: (err: Error) => void): { setTarget(t: (type: FrameType, body: Buffer) => void): void } {
  let target: (type: FrameType, body: Buffer) => void = () => {};
  const decoder = new FrameDecoder((type, body) => target(type, body));
  socket.on('data', (chunk: Buffer) => {
    try {
      decoder.push(chunk);
    } catch (err) {
      onError(err as Error);
    }
  });
  return {
    setTarget(t) {
      target = t;
    },
  };
}

function parseJson(body: Buffer): Wire | undefined {
  try {
    return JSON.parse(body.toString('utf8')) as Wire;
  } catch {
    return undefined;
  }
}

/** Connects to a cluster peer at 127.0.0.1:`port` and completes the handshake. */
export function connectControl(port: number, options: ChannelOptions): Promise<ControlChannel> {
  const version = options.version ?? CLUSTER_PROTOCOL_VERSION;
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: LOOPBACK, port });
    socket.setNoDelay(true);
    let done = false;
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(
      () =>
        fail(
          new ProtocolVersionError(
            `${LOOPBACK}:${port} did not complete the cluster handshake within ${options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS} ms: not a streamarena cluster peer?`,
          ),
        ),
      options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
    );
    const frames = framed(socket, (err) =>
      fail(new ProtocolVersionError(`${LOOPBACK}:${port} is not a streamarena cluster peer (${err.message})`)),
    );
    let channel: ControlChannel | undefined;
    frames.setTarget((type, body) => {
      if (channel) return channel.receive(type, body);
      const m = type === FRAME_JSON ? parseJson(body) : undefined;
      if (m?.t === 'welcome') {
        done = true;
        clearTimeout(timer);
        channel = new ControlChannel(socket, options.name, m.name, options.requestTimeoutMs);
        resolve(channel);
      } else if (m?.t === 'reject') fail(new ProtocolVersionError(m.reason));
      else fail(new ProtocolVersionError(`${LOOPBACK}:${port} is not a streamarena cluster peer (unexpected first message)`));
    });
    socket.once('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'ECONNREFUSED' ? new PeerClosedError(`nothing listens on ${LOOPBACK}:${port} (connection refused)`) : err),
    );
    socket.once('close', () => fail(new PeerClosedError(`${LOOPBACK}:${port} closed the connection during the handshake`)));
    socket.write(encodeJsonFrame({ t: 'hello', protocol: CLUSTER_PROTOCOL, version, name: options.name }));
  });
}

/** Accepts cluster connections on 127.0.0.1 and hands each handshaken channel to `onChannel`. */
export class ControlServer {
  private readonly server: Server;
  private readonly channels = new Set<ControlChannel>();
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly options: ChannelOptions,
    private readonly onChannel: (channel: ControlChannel) => void,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Listens on 127.0.0.1:`port` (0: any free port); resolves with the port. @throws Error naming a port in use */
  listen(port = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        reject(err.code === 'EADDRINUSE' ? new Error(`port ${LOOPBACK}:${port} is in use`) : err);
      };
      this.server.once('error', onError);
      this.server.listen(port, LOOPBACK, () => {
        this.server.off('error', onError);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops listening and closes every connection. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    const version = this.options.version ?? CLUSTER_PROTOCOL_VERSION;
    const timer = setTimeout(() => socket.destroy(), this.options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS);
    socket.on('error', () => {}); // a peer that vanishes mid-handshake is not this server's failure
    let channel: ControlChannel | undefined;
    const frames = framed(socket, () => socket.destroy());
    frames.setTarget((type, body) => {
      if (channel) return channel.receive(type, body);
      clearTimeout(timer);
      const m = type === FRAME_JSON ? parseJson(body) : undefined;
      if (m?.t !== 'hello' || m.protocol !== CLUSTER_PROTOCOL) {
        socket.destroy();
        return;
      }
      if (m.version !== version) {
        const reason = `${this.options.name} speaks cluster protocol version ${version}, but '${m.name}' speaks version ${m.version}: run both from the same streamarena build`;
        socket.end(encodeJsonFrame({ t: 'reject', reason }));
        return;
      }
      socket.write(encodeJsonFrame({ t: 'welcome', version, name: this.options.name }));
      channel = new ControlChannel(socket, this.options.name, m.name, this.options.requestTimeoutMs);
      this.channels.add(channel);
      channel.onClose(() => this.channels.delete(channel as ControlChannel));
      this.onChannel(channel);
    });
  }
}
