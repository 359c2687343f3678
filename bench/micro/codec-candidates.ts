/**
 * Candidate record codecs for network edges, measured by `codec.bench.ts`; the winner lives in
 * engines/runtime/codec.ts. Every candidate uses the same frame so that only the value encoding differs:
 *
 *   [u32 payload bytes][f64 eventTime][f64 emitTime][f64 ingestTime][payload]   (little endian)
 *
 * and fills a fixed-size buffer record by record, as Flink's RecordWriter does, returning false when a
 * record does not fit what is left.
 */
import v8 from 'node:v8';

export const HEADER_BYTES = 28;

export type Visit = (value: unknown, eventTime: number, emitTime: number, ingestTime: number) => void;

export interface CandidateWriter {
  write(value: unknown, eventTime: number, emitTime: number, ingestTime: number): boolean;
  finish(): Uint8Array;
  readonly recordCount: number;
}

export interface Candidate {
  readonly name: string;
  readonly description: string;
  newWriter(bufferSize: number): CandidateWriter;
  read(bytes: Uint8Array, visit: Visit): number;
}

/** Buffer bookkeeping shared by all candidates: frame header, growth for oversized records, finish. */
abstract class FrameWriter implements CandidateWriter {
  protected buf: Buffer;
  protected view: DataView;
  protected pos = 0;
  recordCount = 0;

  constructor(protected readonly bufferSize: number) {
    this.buf = Buffer.alloc(bufferSize);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Writes the payload at `at` within `room` bytes; returns its length, or -1 if it does not fit. */
  protected abstract payload(value: unknown, at: number, room: number): number;

  write(value: unknown, eventTime: number, emitTime: number, ingestTime: number): boolean {
    const start = this.pos;
    let n = this.payload(value, start + HEADER_BYTES, this.buf.length - start - HEADER_BYTES);
    if (n < 0) {
      if (this.recordCount > 0) return false;
      // An empty buffer takes any record: grow until it fits.
      let size = this.buf.length;
      do {
        size *= 2;
        this.resize(size);
        n = this.payload(value, HEADER_BYTES, size - HEADER_BYTES);
      } while (n < 0);
    }
    const v = this.view;
    v.setUint32(start, n, true);
    v.setFloat64(start + 4, eventTime, true);
    v.setFloat64(start + 12, emitTime, true);
    v.setFloat64(start + 20, ingestTime, true);
    this.pos = start + HEADER_BYTES + n;
    this.recordCount++;
    return true;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.pos);
    out.set(this.buf.subarray(0, this.pos));
    this.pos = 0;
    this.recordCount = 0;
    if (this.buf.length !== this.bufferSize) this.resize(this.bufferSize);
    return out;
  }

  private resize(size: number): void {
    this.buf = Buffer.alloc(size);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }
}

function readFrames(bytes: Uint8Array, visit: Visit, value: (buf: Buffer, start: number, end: number) => unknown): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let count = 0;
  while (pos < bytes.length) {
    const n = view.getUint32(pos, true);
    const et = view.getFloat64(pos + 4, true);
    const emt = view.getFloat64(pos + 12, true);
    const it = view.getFloat64(pos + 20, true);
    const start = pos + HEADER_BYTES;
    pos = start + n;
    visit(value(buf, start, pos), et, emt, it);
    count++;
  }
  return count;
}

// ---------------------------------------------------------------------------------------------------
// (a) JSON text: JSON.stringify, then UTF-8 into the buffer; JSON.parse on the way back.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** (a1) JSON + TextEncoder.encodeInto on a subarray of the buffer; TextDecoder.decode back. */
export const jsonEncodeInto: Candidate = {
  name: 'json+encodeInto',
  description: 'JSON.stringify + TextEncoder.encodeInto(subarray); TextDecoder.decode + JSON.parse',
  newWriter: (size) =>
    new (class extends FrameWriter {
      protected payload(value: unknown, at: number, room: number): number {
        const s = JSON.stringify(value);
        if (room < 0) return -1;
        const r = encoder.encodeInto(s, this.buf.subarray(at, at + room));
        return r.read < s.length ? -1 : r.written;
      }
    })(size),
  read: (bytes, visit) => readFrames(bytes, visit, (buf, s, e) => JSON.parse(decoder.decode(buf.subarray(s, e)))),
};

/** (a2) JSON + Buffer#write at an offset (no subarray per record); Buffer#toString('utf8', s, e) back. */
export const jsonBufferWrite: Candidate = {
  name: 'json+buffer.write',
  description: 'JSON.stringify + Buffer.write(utf8, offset); Buffer.toString(utf8, start, end) + JSON.parse',
  newWriter: (size) =>
    new (class extends FrameWriter {
      protected payload(value: unknown, at: number, room: number): number {
        const s = JSON.stringify(value);
        // 3 bytes per UTF-16 unit is the UTF-8 worst case; measure exactly only near the end of the buffer.
        if (s.length * 3 > room && Buffer.byteLength(s, 'utf8') > room) return -1;
        return this.buf.write(s, at, room, 'utf8');
      }
    })(size),
  read: (bytes, visit) => readFrames(bytes, visit, (buf, s, e) => JSON.parse(buf.toString('utf8', s, e))),
};

// ---------------------------------------------------------------------------------------------------
// (c) v8.serialize: the structured-clone wire format.

export const v8Serialize: Candidate = {
  name: 'v8.serialize',
  description: 'v8.serialize, copied into the buffer; v8.deserialize(subarray)',
  newWriter: (size) =>
    new (class extends FrameWriter {
      protected payload(value: unknown, at: number, room: number): number {
        const b = v8.serialize(value);
        if (b.length > room) return -1;
        this.buf.set(b, at);
        return b.length;
      }
    })(size),
  read: (bytes, visit) => readFrames(bytes, visit, (buf, s, e) => v8.deserialize(buf.subarray(s, e))),
};

// ---------------------------------------------------------------------------------------------------
// (b) msgpackr, loaded at run time (it is not a dependency unless it wins).

/** The part of msgpackr's API used here. */
export interface MsgpackrModule {
  Packr: new (
    options?: Record<string, unknown>,
  ) => {
    pack(value: unknown): Uint8Array;
    unpack(bytes: Uint8Array, options?: { start?: number; end?: number }): unknown;
  };
  isNativeAccelerationEnabled?: boolean;
}

/**
 * (b) msgpackr. `records` = msgpackr's record extension with a structures table shared by writer and
 * reader (only possible inside one process); plain = standard MessagePack maps.
 */
export function msgpackrCandidate(m: MsgpackrModule, records: boolean): Candidate {
  const packr = records ? new m.Packr({ structures: [] }) : new m.Packr({ useRecords: false });
  return {
    name: records ? 'msgpackr(records)' : 'msgpackr',
    description: records
      ? 'msgpackr Packr with shared structures (records), copied in; unpack(start,end)'
      : 'msgpackr Packr useRecords:false, copied in; unpack(start,end)',
    newWriter: (size) =>
      new (class extends FrameWriter {
        protected payload(value: unknown, at: number, room: number): number {
          const b = packr.pack(value);
          if (b.length > room) return -1;
          this.buf.set(b, at);
          return b.length;
        }
      })(size),
    read: (bytes, visit) => readFrames(bytes, visit, (buf, s, e) => packr.unpack(buf, { start: s, end: e })),
  };
}

// ---------------------------------------------------------------------------------------------------
// (d) A hand-written tagged binary encoding written straight into the buffer (no intermediate string).

const T_NULL = 0,
  T_FALSE = 1,
  T_TRUE = 2,
  T_INT = 3,
  T_F64 = 4,
  T_STR8 = 5,
  T_STR32 = 6,
  T_ARR = 7,
  T_OBJ = 8;
const OVERFLOW = { overflow: true };

class TaggedWriter extends FrameWriter {
  private end = 0;
  private at = 0;

  protected payload(value: unknown, at: number, room: number): number {
    if (room < 1) return -1;
    this.at = at;
    this.end = at + room;
    try {
      this.value(value);
    } catch (e) {
      if (e === OVERFLOW) return -1;
      throw e;
    }
    return this.at - at;
  }

  private need(n: number): void {
    if (this.at + n > this.end) throw OVERFLOW;
  }

  private value(v: unknown): void {
    switch (typeof v) {
      case 'string':
        this.str(v);
        return;
      case 'number':
        if ((v | 0) === v && !Object.is(v, -0)) {
          this.need(5);
          this.buf[this.at] = T_INT;
          this.view.setInt32(this.at + 1, v, true);
          this.at += 5;
        } else {
          this.need(9);
          this.buf[this.at] = T_F64;
          this.view.setFloat64(this.at + 1, v, true);
          this.at += 9;
        }
        return;
      case 'boolean':
        this.need(1);
        this.buf[this.at++] = v ? T_TRUE : T_FALSE;
        return;
      case 'object':
        if (v === null) {
          this.need(1);
          this.buf[this.at++] = T_NULL;
          return;
        }
        if (Array.isArray(v)) {
          this.need(5);
          this.buf[this.at] = T_ARR;
          this.view.setUint32(this.at + 1, v.length, true);
          this.at += 5;
          for (let i = 0; i < v.length; i++) this.value(v[i]);
          return;
        }
        {
          this.need(5);
          const countAt = this.at + 1;
          this.buf[this.at] = T_OBJ;
          this.at += 5;
          let n = 0;
          const o = v as Record<string, unknown>;
          for (const k in o) {
            const x = o[k];
            if (x === undefined || typeof x === 'function') continue; // as JSON does
            this.str(k);
            this.value(x);
            n++;
          }
          this.view.setUint32(countAt, n, true);
          return;
        }
      default:
        throw new TypeError(`cannot encode ${typeof v}`);
    }
  }

  private str(s: string): void {
    const len = s.length;
    if (len < 86) {
      // Short: one length byte (86 * 3 < 256 covers any UTF-8); copy ASCII by hand, which beats a native call.
      this.need(2 + len * 3 > this.end - this.at ? 2 + Buffer.byteLength(s) : 0);
      const buf = this.buf;
      const lenAt = this.at + 1;
      buf[this.at] = T_STR8;
      let p = lenAt + 1;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i < len) p = lenAt + 1 + buf.write(s, lenAt + 1, 'utf8');
      buf[lenAt] = p - lenAt - 1;
      this.at = p;
      return;
    }
    const bytes = Buffer.byteLength(s);
    this.need(5 + bytes);
    this.buf[this.at] = T_STR32;
    this.view.setUint32(this.at + 1, bytes, true);
    this.buf.write(s, this.at + 5, bytes, 'utf8');
    this.at += 5 + bytes;
  }
}

class TaggedReader {
  buf: Buffer = Buffer.alloc(0);
  view: DataView = new DataView(new ArrayBuffer(0));
  at = 0;

  value(): unknown {
    const buf = this.buf;
    const tag = buf[this.at++];
    switch (tag) {
      case T_NULL:
        return null;
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_INT: {
        const v = this.view.getInt32(this.at, true);
        this.at += 4;
        return v;
      }
      case T_F64: {
        const v = this.view.getFloat64(this.at, true);
        this.at += 8;
        return v;
      }
      case T_STR8: {
        const n = buf[this.at];
        const s = this.at + 1;
        this.at = s + n;
        return shortString(buf, s, n);
      }
      case T_STR32: {
        const n = this.view.getUint32(this.at, true);
        const s = this.at + 4;
        this.at = s + n;
        return buf.toString('utf8', s, s + n);
      }
      case T_ARR: {
        const n = this.view.getUint32(this.at, true);
        this.at += 4;
        const a = new Array(n);
        for (let i = 0; i < n; i++) a[i] = this.value();
        return a;
      }
      case T_OBJ: {
        const n = this.view.getUint32(this.at, true);
        this.at += 4;
        const o: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const k = this.value() as string;
          o[k] = this.value();
        }
        return o;
      }
      default:
        throw new Error(`bad tag ${tag}`);
    }
  }
}

function shortString(buf: Buffer, s: number, n: number): string {
  // ASCII: build from char codes (no native call); otherwise decode UTF-8 natively.
  if (n <= 16) {
    let ascii = true;
    for (let i = s; i < s + n; i++)
      if (buf[i] >= 0x80) {
        ascii = false;
        break;
      }
    if (ascii) {
      let out = '';
      for (let i = s; i < s + n; i++) out += String.fromCharCode(buf[i]);
      return out;
    }
  }
  return buf.toString('utf8', s, s + n);
}

const taggedReader = new TaggedReader();

export const taggedBinary: Candidate = {
  name: 'tagged-binary',
  description: 'hand-written tagged binary, ASCII copied by hand, written straight into the buffer',
  newWriter: (size) => new TaggedWriter(size),
  read: (bytes, visit) => {
    const r = taggedReader;
    r.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    r.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = 0;
    let count = 0;
    while (pos < bytes.length) {
      const v = r.view;
      const n = v.getUint32(pos, true);
      const et = v.getFloat64(pos + 4, true);
      const emt = v.getFloat64(pos + 12, true);
      const it = v.getFloat64(pos + 20, true);
      r.at = pos + HEADER_BYTES;
      pos = r.at + n;
      visit(r.value(), et, emt, it);
      count++;
    }
    return count;
  },
};
