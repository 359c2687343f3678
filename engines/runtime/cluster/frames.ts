/**
 * Length-prefixed typed frames, the wire format of every cluster connection: `[u32 body length][u8 type]
 * [body]`, little endian. JSON frames carry control messages; binary frames carry already-serialized data
 * buffers with a small header of their own (see data-channel.ts). A decoder accepts the byte stream in any
 * chunking and hands out whole frames.
 */

/** A control message, UTF-8 JSON. */
export const FRAME_JSON = 1;
/** A data buffer with its routing header. */
export const FRAME_BINARY = 2;
/** A control message with bytes attached: `[u32 JSON length][JSON][bytes]`. */
export const FRAME_JSON_BYTES = 3;
export type FrameType = typeof FRAME_JSON | typeof FRAME_BINARY | typeof FRAME_JSON_BYTES;

/** Bytes of the frame header: u32 length, u8 type. */
export const FRAME_HEADER_BYTES = 5;
/** Largest body accepted (bytes): a peer announcing more is not speaking this protocol. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Raised for a byte stream that is not a sequence of frames. */
export class FrameError extends Error {}

/** One frame as bytes ready for a socket. */
export function encodeFrame(type: FrameType, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.byteLength);
  out.writeUInt32LE(body.byteLength, 0);
  out[4] = type;
  out.set(body, FRAME_HEADER_BYTES);
  return out;
}

export function encodeJsonFrame(message: unknown): Buffer {
  return encodeFrame(FRAME_JSON, Buffer.from(JSON.stringify(message), 'utf8'));
}

/** A control message and its attached bytes as one frame. */
export function encodeJsonBytesFrame(message: unknown, bytes: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(message), 'utf8');
  const body = Buffer.allocUnsafe(4 + json.length + bytes.byteLength);
  body.writeUInt32LE(json.length, 0);
  json.copy(body, 4);
  body.set(bytes, 4 + json.length);
  return encodeFrame(FRAME_JSON_BYTES, body);
}

/** Splits a {@link FRAME_JSON_BYTES} body; the bytes are a copy (the body is only valid during the call). */
export function decodeJsonBytesBody(body: Buffer): { message: unknown; bytes: Uint8Array } {
  if (body.length < 4) throw new FrameError(`message-with-bytes frame of ${body.length} bytes`);
  const jsonLength = body.readUInt32LE(0);
  if (4 + jsonLength > body.length) throw new FrameError('message-with-bytes frame shorter than its JSON');
  return {
    message: JSON.parse(body.toString('utf8', 4, 4 + jsonLength)),
    bytes: new Uint8Array(body.subarray(4 + jsonLength)),
  };
}

/** Reassembles frames from chunks; `onFrame` gets each body (a view valid only during the call). */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (type: FrameType, body: Buffer) => void) {}

  /** @throws FrameError on an unknown type or an oversized length: the stream is not ours. */
  push(chunk: Buffer): void {
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let at = 0;
    while (buf.length - at >= FRAME_HEADER_BYTES) {
      const length = buf.readUInt32LE(at);
      const type = buf[at + 4];
      if (type !== FRAME_JSON && type !== FRAME_BINARY && type !== FRAME_JSON_BYTES) throw new FrameError(`unknown frame type ${type}`);
      if (length > MAX_FRAME_BYTES) throw new FrameError(`frame of ${length} bytes exceeds ${MAX_FRAME_BYTES}`);
      if (buf.length - at - FRAME_HEADER_BYTES < length) break;
      const start = at + FRAME_HEADER_BYTES;
      this.onFrame(type, buf.subarray(start, start + length));
      at = start + length;
    }
    // Keep only the incomplete tail (copied, so that the consumed chunk can be freed).
    this.pending = at === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(at));
  }

  /** Bytes of an incomplete frame held. */
  get buffered(): number {
    return this.pending.length;
  }
}
