/**
 * The data channel: carries engines' already-serialized buffers, and the flow-control messages that
 * ride with them, between task threads and between processes. Each message names its destination
 * endpoint (`to`, e.g. a slot) and its logical channel, so that one physical link multiplexes every
 * logical channel between two endpoints, as Flink multiplexes its input channels over one TCP
 * connection per pair of TaskManagers.
 *
 * - Between threads: a MessagePort, the buffer's ArrayBuffer transferred (moved, not copied).
 * - Between processes: binary frames on a {@link ControlChannel}'s TCP connection (the kernel copies).
 *
 * Flow control is the engine's: a credit is a message like any other and costs its trip back.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ControlChannel } from './control-channel.js';

/** A data buffer: needs a credit. `a` = elements in it, `b` = the sender's backlog. */
export const DATA_BUFFER = 1;
/** An event (barrier, end of partition): no credit. `b` = the sender's backlog. */
export const DATA_EVENT = 2;
/** `a` more credits for the channel, from its consumer. */
export const DATA_CREDIT = 3;
/** The sender has `b` buffers queued and no credit. */
export const DATA_BACKLOG = 4;
export type DataKind = typeof DATA_BUFFER | typeof DATA_EVENT | typeof DATA_CREDIT | typeof DATA_BACKLOG;

export interface DataMessage {
  /** Destination endpoint (e.g. global slot number). */
  readonly to: number;
  /** Logical channel id, agreed by both ends. */
  readonly channel: number;
  readonly kind: DataKind;
  readonly a: number;
  readonly b: number;
  /** Payload of a buffer or event; the sender must not touch it after sending (it may be moved). */
  readonly bytes?: Uint8Array;
}

/** Anything a data message can be sent on. */
export interface DataLink {
  send(message: DataMessage): void;
}

/** `[u32 to][u32 channel][u8 kind][u32 a][u32 b]` before the payload, little endian. */
export const DATA_HEADER_BYTES = 17;

/** A message as the body of one binary frame. */
export function encodeDataFrame(m: DataMessage): Uint8Array {
  const payload = m.bytes?.byteLength ?? 0;
  const out = Buffer.allocUnsafe(DATA_HEADER_BYTES + payload);
  out.writeUInt32LE(m.to, 0);
  out.writeUInt32LE(m.channel, 4);
  out[8] = m.kind;
  out.writeUInt32LE(m.a, 9);
  out.writeUInt32LE(m.b, 13);
  if (m.bytes) out.set(m.bytes, DATA_HEADER_BYTES);
  return out;
}

/** Reads a frame body; the payload is copied into its own ArrayBuffer (so that it can be moved on). */
export function decodeDataFrame(body: Buffer): DataMessage {
  if (body.length < DATA_HEADER_BYTES) throw new Error(`data frame of ${body.length} bytes is shorter than its header`);
  const kind = body[8] as DataKind;
  const hasBytes = kind === DATA_BUFFER || kind === DATA_EVENT;
  return {
    to: body.readUInt32LE(0),
    channel: body.readUInt32LE(4),
    kind,
    a: body.readUInt32LE(9),
    b: body.readUInt32LE(13),
    ...(hasBytes ? { bytes: new Uint8Array(body.subarray(DATA_HEADER_BYTES)) } : {}),
  };
}

/** Sends over TCP, as binary frames of a control channel's connection. */
export class SocketDataLink implements DataLink {
  messages = 0;
  bytes = 0;

  constructor(readonly channel: ControlChannel) {}

  send(m: DataMessage): void {
    const frame = encodeDataFrame(m);
    this.messages++;
    this.bytes += frame.byteLength;
    this.channel.sendBinary(frame);
  }
}

/** Receives the data messages of a control channel's binary frames. */
export function onSocketData(channel: ControlChannel, handler: (m: DataMessage) => void): void {
  channel.onBinary((body) => handler(decodeDataFrame(body)));
}

/** What crosses a MessagePort: the payload's ArrayBuffer travels in the transfer list. */
interface PortMessage {
  readonly to: number;
  readonly channel: number;
  readonly kind: DataKind;
  readonly a: number;
  readonly b: number;
  readonly buffer?: ArrayBuffer;
  readonly offset?: number;
  readonly length?: number;
}

/** Sends between threads: a buffer that owns its whole ArrayBuffer is moved, any other is copied first. */
export class PortDataLink implements DataLink {
  messages = 0;

  constructor(readonly port: MessagePort) {}

  send(m: DataMessage): void {
    this.messages++;
    const bytes = m.bytes;
    if (bytes === undefined) {
      this.port.postMessage({ to: m.to, channel: m.channel, kind: m.kind, a: m.a, b: m.b } satisfies PortMessage);
      return;
    }
    const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    const buffer = owned ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
    const message: PortMessage = {
      to: m.to,
      channel: m.channel,
      kind: m.kind,
      a: m.a,
      b: m.b,
      buffer,
      offset: 0,
      length: bytes.byteLength,
    };
    this.port.postMessage(message, [buffer]);
  }
}

/** Receives the data messages posted by a {@link PortDataLink} on the other end of `port`. */
export function onPortData(port: MessagePort, handler: (m: DataMessage) => void): void {
  port.on('message', (p: PortMessage) => {
    handler(
      p.buffer === undefined
        ? { to: p.to, channel: p.channel, kind: p.kind, a: p.a, b: p.b }
        : { to: p.to, channel: p.channel, kind: p.kind, a: p.a, b: p.b, bytes: new Uint8Array(p.buffer, p.offset ?? 0, p.length) },
    );
  });
}
