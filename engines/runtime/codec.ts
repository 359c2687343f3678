/**
 * The record codec for network edges: records are serialized one by one into fixed-size buffers, as
 * Flink's RecordWriter fills its BufferBuilders, and buffers are read back record by record.
 *
 * Chosen by measurement (bench/micro/codec.bench.ts; Node v20.20.2, 2-vCPU AMD EPYC, shared machine).
 * ns per record, median of 3 rounds of tinybench (500 ms per task, 1000 records per timed iteration,
 * 32 KiB buffers, 28-byte frame header included), serialize / deserialize:
 *
 *   candidate                        wordcount result   short string   ysb {ad_id,event_time}   ysb event (7 strings)
 *   (a) JSON + TextEncoder.encodeInto     565 / 507          187 / 176        387 / 345              728 / 612
 *   (a') JSON + Buffer.write/toString     553 / 453          169 / 141        370 / 279              708 / 542
 *   (b) msgpackr 2.1.3, plain maps        241 / 388          128 / 124        295 / 284              647 / 633
 *   (b') msgpackr, records (structures    202 / 129          136 / 111        306 / 133              562 / 252
 *        shared by writer and reader)
 *   (c) v8.serialize / deserialize       1052 / 872          549 / 474       1011 / 744             1289 / 972
 *   (d) naive tagged binary               121 / 289           54 /  40        167 / 297              456 / 956
 *   this codec (tagged binary + shapes)    68 /  40           32 /  22        116 / 102              288 / 246
 *   bytes per record: JSON 107/36/105/268, msgpackr 87/35/100/245 (records 53/35/81/180), this 60/36/87/195
 *
 * Reproduce: `npm run build && node dist/bench/micro/codec.bench.js` (msgpackr is measured when importable:
 * `npm install --prefix /tmp/msgpackr-trial msgpackr` and set
 * `MSGPACKR=/tmp/msgpackr-trial/node_modules/msgpackr/node-index.js`).
 *
 * Why this one: it is the fastest on both sides for every shape, 3-10x faster than JSON; msgpackr's
 * record mode comes closest on decoding but is 2-3x slower to encode, needs a structures table shared
 * between writer and reader, and would add a dependency with a native optional part, so msgpackr is not
 * installed. What makes the difference: values are written straight into the buffer (no intermediate
 * string), short ASCII strings are copied by hand and read back with fixed-arity `String.fromCharCode`,
 * and objects go by shape: the first object with a given key sequence in a buffer carries its keys, later
 * ones a 2-byte shape id, and the reader builds them with a compiled object literal, so V8 gives each
 * object its final hidden class at once (msgpackr's record idea, kept per buffer so that every buffer
 * decodes on its own). It is also exact where JSON is not (-0, NaN, Infinity, undefined, lone surrogates),
 * so a value crossing a network edge is the value the reference engine sees: the cross-engine
 * correctness oracle cannot be upset by the codec.
 */

/**
 * The frame header, little endian: a u32 word (payload length in the low 30 bits, two flags above), the
 * record's event time as float64, then its two measurement times: emitTime relative to eventTime and
 * ingestTime relative to emitTime, each as an int32 count of 1/4096 ms when that is exact, else as a
 * float64 (its flag clear). Epoch-millisecond doubles are multiples of 1/4096 ms (their ulp), so a time
 * within about nine minutes of its base takes 4 bytes and still reads back bit for bit: every latency
 * figure stays exact. A generated record's header is 20 bytes; Flink's own frame is a 4-byte length, a tag
 * byte and an 8-byte timestamp, so the measurement adds 7 bytes to it (it added 15 with three float64s).
 */
export const RECORD_HEADER_BYTES = 20;
/** The largest header: both measurement times as float64 (far from their bases, or not on the 1/4096 grid). */
export const RECORD_HEADER_MAX_BYTES = 28;
/** Measurement times are stored as whole multiples of this fraction of a ms when exact. */
const TICKS_PER_MS = 4096;
const LENGTH_MASK = 0x3fffffff;
const FLAG_EMIT_TICKS = 0x40000000;
const FLAG_INGEST_TICKS = 0x80000000;

/** `t - base` in 1/4096 ms as an int32 if that reads back exactly as `t`, else NaN. */
function exactTicks(t: number, base: number): number {
  const k = (t - base) * TICKS_PER_MS;
  if (k >= -0x80000000 && k <= 0x7fffffff && Number.isInteger(k) && base + k / TICKS_PER_MS === t && (t !== 0 || 1 / t > 0)) return k;
  return Number.NaN;
}

// Value tags (one byte each).
const T_UNDEFINED = 0;
const T_NULL = 1;
const T_FALSE = 2;
const T_TRUE = 3;
const T_INT32 = 4; // + i32
const T_FLOAT64 = 5; // + f64
const T_ASCII8 = 6; // + u8 length + bytes
const T_UTF8_8 = 7; // + u8 byte length + UTF-8
const T_ASCII32 = 8; // + u32 length + bytes
const T_UTF8_32 = 9; // + u32 byte length + UTF-8
const T_UTF16 = 10; // + u32 code units + UTF-16LE (strings with lone surrogates, which UTF-8 cannot carry)
const T_ARRAY = 11; // + u32 length + items
const T_SHAPE_DEF = 12; // + u8 key count + keys (tagged strings) + values: defines the buffer's next shape id
const T_SHAPE_REF = 13; // + u16 shape id + values
const T_DICT = 14; // + u32 entry count + (key, value) pairs: objects too big or too varied for shapes

/** Strings shorter than this are copied by hand (below ~32 units the loop beats a native call; measured). */
const SHORT_STRING = 32;
/** Objects with more keys are written as dictionaries. */
const MAX_SHAPE_KEYS = 32;
/** Shape ids are u16 and per buffer. */
const MAX_SHAPES_PER_BUFFER = 0xffff;
/** Per serializer: objects used as maps with ever-new keys stop creating shapes after this many trie nodes. */
const MAX_SHAPE_NODES = 8192;

/** Node's native string methods on Buffer (documented as toString/write; these skip argument parsing). */
interface NativeStrings {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
  ucs2Slice(start: number, end: number): string;
  utf8Write(s: string, offset: number, length: number): number;
  ucs2Write(s: string, offset: number, length: number): number;
}
type NodeBuffer = Buffer & NativeStrings;
const HAS_NATIVE =
  typeof (Buffer.prototype as Partial<NativeStrings>).latin1Slice === 'function' &&
  typeof (Buffer.prototype as Partial<NativeStrings>).utf8Write === 'function';

function latin1(buf: NodeBuffer, s: number, e: number): string {
  return HAS_NATIVE ? buf.latin1Slice(s, e) : buf.toString('latin1', s, e);
}
function utf8(buf: NodeBuffer, s: number, e: number): string {
  return HAS_NATIVE ? buf.utf8Slice(s, e) : buf.toString('utf8', s, e);
}
function writeUtf8(buf: NodeBuffer, str: string, at: number, room: number): number {
  return HAS_NATIVE ? buf.utf8Write(str, at, room) : buf.write(str, at, room, 'utf8');
}

const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (s) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

/** Thrown (one shared object, never allocated) when a record runs past the end of the buffer. */
const OVERFLOW: unique symbol = Symbol('codec overflow');

/** A node of the writer's shape trie: the key sequence from the root is the shape. */
class ShapeNode {
  next: Map<string, ShapeNode> | undefined;
  /** The buffer generation in which this shape was last defined; its id is valid only in that generation. */
  gen = -1;
  id = 0;
  constructor(readonly keys: readonly string[]) {}
}

/**
 * Fills fixed-size buffers with records: `[u32 length and flags][f64 eventTime][emitTime][ingestTime]
 * [payload]` (see {@link RECORD_HEADER_BYTES}), the payload a tagged binary encoding of the value written
 * straight into the buffer.
 *
 * Objects are written by shape: the first object with a given key sequence in a buffer carries its keys,
 * later ones only a 2-byte shape id, and the reader builds them with a compiled object literal. Buffers
 * are self-contained (shape ids are per buffer) so any buffer decodes on its own.
 *
 * Values: plain objects, arrays, strings (any JS string, lone surrogates included), numbers (int32 compactly,
 * others as float64, so -0, NaN and Infinity survive too), booleans, null and undefined. Other objects
 * (Date, Map, class instances with non-Object prototypes...), functions, symbols and bigints throw a
 * TypeError: engines move plain data (see engines/api/aggregate.ts). Cycles overflow the stack.
 */
export class RecordSerializer {
  private bytes: Uint8Array;
  private buf: NodeBuffer;
  private view: DataView;
  /** End of the last complete record. */
  private pos = 0;
  private count = 0;
  /** Write cursor and limit while encoding one record. */
  private at = 0;
  private end = 0;
  private readonly root = new ShapeNode([]);
  private shapeNodes = 0;
  /** Shapes defined in the current buffer, in id order (so `defined.length` is the next id). */
  private readonly defined: ShapeNode[] = [];
  private gen = 0;
  /** The last shape used: objects in a stream mostly share one, so it is tried before the trie. */
  private last: ShapeNode | undefined;

  /** @param bufferSize bytes per buffer, e.g. 32 * 1024 (Flink's default segment size). */
  constructor(readonly bufferSize: number) {
    if (!Number.isInteger(bufferSize) || bufferSize < 1)
      throw new RangeError(`buffer size must be a positive whole number of bytes, got ${bufferSize}`);
    this.bytes = new Uint8Array(bufferSize);
    this.buf = Buffer.from(this.bytes.buffer, 0, bufferSize) as NodeBuffer;
    this.view = new DataView(this.bytes.buffer);
  }

  /** Records written since the last `finish`. */
  get recordCount(): number {
    return this.count;
  }

  /** Bytes written since the last `finish`. */
  get byteLength(): number {
    return this.pos;
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }

  /**
   * Appends one record; returns false, writing nothing, if it does not fit in what is left of the buffer
   * (the caller finishes the buffer and retries). An empty buffer accepts any record: it grows for it,
   * and then takes no further record until `finish`.
   * Times are ms, read back exactly (see {@link RECORD_HEADER_BYTES}).
   * @throws TypeError for values that are not plain data (nothing is written then either).
   */
  write(value: unknown, eventTime: number, emitTime: number, ingestTime: number): boolean {
    const start = this.pos;
    const emitTicks = exactTicks(emitTime, eventTime);
    const ingestTicks = exactTicks(ingestTime, emitTime);
    const header = 12 + (emitTicks === emitTicks ? 4 : 8) + (ingestTicks === ingestTicks ? 4 : 8);
    // The limit is the nominal size even after growth, so an oversized record has its buffer to itself.
    if (!this.encode(value, start + header, this.bufferSize)) {
      if (this.count > 0) return false;
      let size = this.bytes.length;
      do {
        size *= 2;
        this.resize(size);
      } while (!this.encode(value, header, size));
    }
    const length = this.at - start - header;
    if (length > LENGTH_MASK) throw new RangeError(`a record of ${length} bytes is too large for a network buffer`);
    const v = this.view;
    let flags = 0;
    let at = start + 12;
    if (emitTicks === emitTicks) {
      flags += FLAG_EMIT_TICKS;
      v.setInt32(at, emitTicks, true);
      at += 4;
    } else {
      v.setFloat64(at, emitTime, true);
      at += 8;
    }
    if (ingestTicks === ingestTicks) {
      flags += FLAG_INGEST_TICKS;
      v.setInt32(at, ingestTicks, true);
    } else v.setFloat64(at, ingestTime, true);
    v.setUint32(start, length + flags, true);
    v.setFloat64(start + 4, eventTime, true);
    this.pos = this.at;
    this.count++;
    return true;
  }

  /** The written bytes as a new, independently owned array; the serializer starts a fresh buffer. */
  finish(): Uint8Array {
    const out = this.bytes.slice(0, this.pos);
    this.pos = 0;
    this.count = 0;
    this.defined.length = 0;
    this.gen++;
    if (this.bytes.length !== this.bufferSize) this.resize(this.bufferSize);
    return out;
  }

  private resize(size: number): void {
    this.bytes = new Uint8Array(size);
    this.buf = Buffer.from(this.bytes.buffer, 0, size) as NodeBuffer;
    this.view = new DataView(this.bytes.buffer);
  }

  /** Encodes `value` at `at`; false on overflow. Shapes defined by a failed record are forgotten. */
  private encode(value: unknown, at: number, end: number): boolean {
    const mark = this.defined.length;
    this.at = at;
    this.end = end;
    try {
      this.value(value);
      return true;
    } catch (err) {
      while (this.defined.length > mark) (this.defined.pop() as ShapeNode).gen = -1;
      if (err === OVERFLOW) return false;
      throw err;
    }
  }

  private need(n: number): void {
    if (this.at + n > this.end) throw OVERFLOW;
  }

  private value(v: unknown): void {
    switch (typeof v) {
      case 'string':
        this.string(v);
        return;
      case 'number':
        // int32 in 4 bytes; -0 must stay a float to survive.
        if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
          this.need(5);
          this.bytes[this.at] = T_INT32;
          this.view.setInt32(this.at + 1, v, true);
          this.at += 5;
        } else {
          this.need(9);
          this.bytes[this.at] = T_FLOAT64;
          this.view.setFloat64(this.at + 1, v, true);
          this.at += 9;
        }
        return;
      case 'boolean':
        this.need(1);
        this.bytes[this.at++] = v ? T_TRUE : T_FALSE;
        return;
      case 'undefined':
        this.need(1);
        this.bytes[this.at++] = T_UNDEFINED;
        return;
      case 'object':
        if (v === null) {
          this.need(1);
          this.bytes[this.at++] = T_NULL;
        } else if (Array.isArray(v)) {
          this.array(v);
        } else {
          this.object(v as Record<string, unknown>);
        }
        return;
      default:
        throw new TypeError(`RecordSerializer: cannot encode a ${typeof v}; record values must be plain data`);
    }
  }

  private array(a: unknown[]): void {
    this.need(5);
    this.bytes[this.at] = T_ARRAY;
    this.view.setUint32(this.at + 1, a.length, true);
    this.at += 5;
    for (let i = 0; i < a.length; i++) this.value(a[i]);
  }

  private object(o: Record<string, unknown>): void {
    const proto = Object.getPrototypeOf(o);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(
        `RecordSerializer: cannot encode a ${proto?.constructor?.name ?? 'non-plain'} object; record values must be plain data`,
      );
    }
    let shape = this.last;
    if (shape === undefined || !sameKeys(o, shape.keys)) shape = this.findShape(o);
    if (shape === undefined) {
      this.dict(o);
      return;
    }
    this.last = shape;
    if (shape.gen === this.gen) {
      this.need(3);
      this.bytes[this.at] = T_SHAPE_REF;
      this.view.setUint16(this.at + 1, shape.id, true);
      this.at += 3;
    } else {
      if (this.defined.length >= MAX_SHAPES_PER_BUFFER) {
        this.dict(o);
        return;
      }
      shape.gen = this.gen;
      shape.id = this.defined.length;
      this.defined.push(shape);
      const keys = shape.keys;
      this.need(2);
      this.bytes[this.at] = T_SHAPE_DEF;
      this.bytes[this.at + 1] = keys.length;
      this.at += 2;
      for (let i = 0; i < keys.length; i++) this.string(keys[i]);
    }
    for (const k in o) this.value(o[k]);
  }

  private dict(o: Record<string, unknown>): void {
    this.need(5);
    const countAt = this.at + 1;
    this.bytes[this.at] = T_DICT;
    this.at += 5;
    let n = 0;
    for (const k in o) {
      this.string(k);
      this.value(o[k]);
      n++;
    }
    this.view.setUint32(countAt, n, true);
  }

  /** The trie node for `o`'s key sequence, created if needed; undefined when the object is too big or the trie full. */
  private findShape(o: Record<string, unknown>): ShapeNode | undefined {
    let node = this.root;
    let n = 0;
    for (const k in o) {
      if (++n > MAX_SHAPE_KEYS) return undefined;
      let next = node.next?.get(k);
      if (next === undefined) {
        if (this.shapeNodes >= MAX_SHAPE_NODES) return undefined;
        next = new ShapeNode([...node.keys, k]);
        (node.next ??= new Map()).set(k, next);
        this.shapeNodes++;
      }
      node = next;
    }
    return node;
  }

  private string(s: string): void {
    const len = s.length;
    const bytes = this.bytes;
    if (len < SHORT_STRING) {
      // Optimistically ASCII, copied by hand; fall back to native UTF-8 at the first non-ASCII unit.
      this.need(2 + len);
      const at = this.at;
      let p = at + 2;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        bytes[p++] = c;
      }
      if (i === len) {
        bytes[at] = T_ASCII8;
        bytes[at + 1] = len;
        this.at = p;
        return;
      }
      if (isWellFormed(s)) {
        const n = Buffer.byteLength(s, 'utf8'); // < 64 * 3, fits the length byte
        this.need(2 + n);
        bytes[at] = T_UTF8_8;
        bytes[at + 1] = n;
        writeUtf8(this.buf, s, at + 2, n);
        this.at = at + 2 + n;
        return;
      }
      this.utf16(s);
      return;
    }
    const room = this.end - this.at - 5;
    if (len * 3 > room && Buffer.byteLength(s, 'utf8') > room) throw OVERFLOW;
    const at = this.at;
    const n = writeUtf8(this.buf, s, at + 5, room);
    // As many bytes as UTF-16 units means every unit was ASCII.
    if (n !== len && !isWellFormed(s)) {
      this.utf16(s);
      return;
    }
    bytes[at] = n === len ? T_ASCII32 : T_UTF8_32;
    this.view.setUint32(at + 1, n, true);
    this.at = at + 5 + n;
  }

  private utf16(s: string): void {
    this.need(5 + 2 * s.length);
    this.bytes[this.at] = T_UTF16;
    this.view.setUint32(this.at + 1, s.length, true);
    this.buf.write(s, this.at + 5, 2 * s.length, 'utf16le');
    this.at += 5 + 2 * s.length;
  }
}

function sameKeys(o: Record<string, unknown>, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) {
    if (keys[i] !== k) return false;
    i++;
  }
  return i === keys.length;
}

// ---------------------------------------------------------------------------------------------------
// Reading

/** Builds an object of one shape, reading its values from the reader in key order. */
type Build = (r: Reader) => Record<string, unknown>;

interface ShapeReader {
  readonly keys: readonly string[];
  build: Build;
  /** Decodes so far: a shape is compiled once it has proved common. */
  uses: number;
}

/** Shapes seen more often than this get a compiled object-literal builder (compiling costs some µs). */
const COMPILE_AFTER = 16;
/** Bound on the process-wide shape cache, so varied keys cannot grow it without limit. */
const MAX_CACHED_SHAPES = 4096;
const shapeCache = new Map<string, ShapeReader>();

function setProperty(o: Record<string, unknown>, k: string, v: unknown): void {
  // An assignment to '__proto__' would set the prototype; data with such a key gets an own property.
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

function genericBuild(keys: readonly string[]): Build {
  return (r) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) setProperty(o, keys[i], r.value());
    return o;
  };
}

/**
 * A builder that is one object literal (`{"windowStart": r.value(), ...}`): V8 then creates every object
 * with its final hidden class at once, which is most of what makes decoding objects fast. Keys are
 * embedded as JSON string literals (valid JS string literals); '__proto__' keeps the generic builder.
 */
function compileBuild(keys: readonly string[]): Build {
  if (keys.includes('__proto__')) return genericBuild(keys);
  const fields = keys.map((k) => `${JSON.stringify(k)}: r.value()`).join(', ');
  try {
    return new Function('r', `return { ${fields} };`) as Build;
  } catch {
    return genericBuild(keys); // e.g. node --disallow-code-generation-from-strings
  }
}

function shapeReader(keys: string[]): ShapeReader {
  const id = JSON.stringify(keys);
  let s = shapeCache.get(id);
  if (s === undefined) {
    s = { keys, build: genericBuild(keys), uses: 0 };
    if (shapeCache.size < MAX_CACHED_SHAPES) shapeCache.set(id, s);
  }
  return s;
}

/** Decoder state for one buffer. */
class Reader {
  bytes: Uint8Array = new Uint8Array(0);
  buf: NodeBuffer = Buffer.alloc(0) as NodeBuffer;
  view: DataView = new DataView(new ArrayBuffer(0));
  pos = 0;
  /** Shapes defined so far in this buffer, by id. */
  readonly shapes: ShapeReader[] = [];

  reset(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as NodeBuffer;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
    this.shapes.length = 0;
  }

  value(): unknown {
    const bytes = this.bytes;
    const tag = bytes[this.pos++];
    switch (tag) {
      case T_SHAPE_REF: {
        const shape = this.shapes[this.view.getUint16(this.pos, true)];
        if (shape === undefined) throw new Error('corrupt record buffer: unknown shape id');
        this.pos += 2;
        return this.build(shape);
      }
      case T_ASCII8: {
        const n = bytes[this.pos];
        const s = this.pos + 1;
        this.pos = s + n;
        return n <= 8 ? shortAscii(bytes, s, n) : latin1(this.buf, s, s + n);
      }
      case T_INT32: {
        const v = this.view.getInt32(this.pos, true);
        this.pos += 4;
        return v;
      }
      case T_FLOAT64: {
        const v = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return v;
      }
      case T_NULL:
        return null;
      case T_TRUE:
        return true;
      case T_FALSE:
        return false;
      case T_UNDEFINED:
        return undefined;
      case T_UTF8_8: {
        const n = bytes[this.pos];
        const s = this.pos + 1;
        this.pos = s + n;
        return utf8(this.buf, s, s + n);
      }
      case T_ASCII32: {
        const n = this.view.getUint32(this.pos, true);
        const s = this.pos + 4;
        this.pos = s + n;
        return latin1(this.buf, s, s + n);
      }
      case T_UTF8_32: {
        const n = this.view.getUint32(this.pos, true);
        const s = this.pos + 4;
        this.pos = s + n;
        return utf8(this.buf, s, s + n);
      }
      case T_UTF16: {
        const n = this.view.getUint32(this.pos, true);
        const s = this.pos + 4;
        this.pos = s + 2 * n;
        return this.buf.toString('utf16le', s, s + 2 * n);
      }
      case T_ARRAY: {
        const n = this.view.getUint32(this.pos, true);
        this.pos += 4;
        const a = new Array<unknown>(n);
        for (let i = 0; i < n; i++) a[i] = this.value();
        return a;
      }
      case T_SHAPE_DEF: {
        const n = bytes[this.pos++];
        const keys = new Array<string>(n);
        for (let i = 0; i < n; i++) keys[i] = this.value() as string;
        const shape = shapeReader(keys);
        this.shapes.push(shape);
        return this.build(shape);
      }
      case T_DICT: {
        const n = this.view.getUint32(this.pos, true);
        this.pos += 4;
        const o: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const k = this.value() as string;
          setProperty(o, k, this.value());
        }
        return o;
      }
      default:
        throw new Error(`corrupt record buffer: tag ${tag} at byte ${this.pos - 1}`);
    }
  }

  private build(shape: ShapeReader): Record<string, unknown> {
    if (shape.uses < COMPILE_AFTER && ++shape.uses === COMPILE_AFTER) shape.build = compileBuild(shape.keys);
    return shape.build(this);
  }
}

const fromCharCode = String.fromCharCode;

/** Up to 8 ASCII bytes as a string without a native call (fixed-arity calls are the fast ones). */
function shortAscii(b: Uint8Array, s: number, n: number): string {
  switch (n) {
    case 0:
      return '';
    case 1:
      return fromCharCode(b[s]);
    case 2:
      return fromCharCode(b[s], b[s + 1]);
    case 3:
      return fromCharCode(b[s], b[s + 1], b[s + 2]);
    case 4:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 5:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    default:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
  }
}

// One reader is reused; a visitor that itself deserializes (re-entrancy) gets a fresh one.
const sharedReader = new Reader();
let sharedReaderBusy = false;

/**
 * Reads every record of a buffer produced by {@link RecordSerializer.finish}, in order, calling
 * `visit(value, eventTime, emitTime, ingestTime)` for each; returns the number of records.
 * @throws Error if the bytes are not a well-formed record buffer.
 */
export function deserializeRecords(
  bytes: Uint8Array,
  visit: (value: unknown, eventTime: number, emitTime: number, ingestTime: number) => void,
): number {
  const r = sharedReaderBusy ? new Reader() : sharedReader;
  const owns = r === sharedReader;
  if (owns) sharedReaderBusy = true;
  try {
    r.reset(bytes);
    const view = r.view;
    const total = bytes.byteLength;
    let pos = 0;
    let count = 0;
    while (pos < total) {
      if (pos + RECORD_HEADER_BYTES > total) throw new Error(`corrupt record buffer: truncated header at byte ${pos}`);
      const word = view.getUint32(pos, true);
      const n = word & LENGTH_MASK;
      const eventTime = view.getFloat64(pos + 4, true);
      let at = pos + 12;
      let emitTime: number;
      if (word & FLAG_EMIT_TICKS) {
        emitTime = eventTime + view.getInt32(at, true) / TICKS_PER_MS;
        at += 4;
      } else {
        if (at + 8 > total) throw new Error(`corrupt record buffer: truncated header at byte ${pos}`);
        emitTime = view.getFloat64(at, true);
        at += 8;
      }
      let ingestTime: number;
      if (word >= FLAG_INGEST_TICKS) {
        ingestTime = emitTime + view.getInt32(at, true) / TICKS_PER_MS;
        at += 4;
      } else {
        if (at + 8 > total) throw new Error(`corrupt record buffer: truncated header at byte ${pos}`);
        ingestTime = view.getFloat64(at, true);
        at += 8;
      }
      r.pos = at;
      pos = at + n;
      const value = r.value();
      if (r.pos !== pos) throw new Error(`corrupt record buffer: record ${count} ends at byte ${r.pos}, expected ${pos}`);
      count++;
      visit(value, eventTime, emitTime, ingestTime);
    }
    return count;
  } finally {
    if (owns) sharedReaderBusy = false;
  }
}
