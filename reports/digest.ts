/**
 * An order-independent digest of a run's sink records: two engines' outputs can be compared for
 * equality as multisets without keeping the records, in constant memory.
 *
 * Each record is written as canonical JSON ({@link canonicalJson}) and hashed to 64 bits: two
 * independent 32-bit lanes over the text's UTF-16 code units (see hashUnits). The digest keeps the
 * sum of each lane modulo 2^32 plus the record count. Sums commute, so the order of records does not matter; a
 * changed, missing or duplicated record changes the count or (with probability about 1 − 2^-64)
 * the sums. Not cryptographic: it guards against bugs, not adversaries.
 *
 * Speed matters (this runs once per output record of every measured run): {@link OutputDigest.add}
 * writes the canonical text as UTF-16 code units straight into a reused typed array (numbers as
 * digits by arithmetic, object layouts cached) and hashes that buffer in one tight loop, so no string
 * is built. {@link canonicalJson} writes the same text as string pieces; the two writers mirror each
 * other, so `add(r)` and `addCanonical(canonicalJson(r))` agree (the tests hold them to that).
 */

/** Nesting depth at which the writer gives up: deeper input is almost surely cyclic. */
const MAX_DEPTH = 1000;

// Pieces of the text being written. Every writer call works from its own start index and restores
// `top` when done, so a nested call (from a toJSON method) cannot clobber an outer one.
const parts: string[] = [];
let top = 0;

/**
 * JSON text of `value` with object keys sorted (by UTF-16 code units, as `Array.prototype.sort`
 * does) at every level; otherwise what `JSON.stringify` writes: arrays keep their order, numbers as
 * JSON writes them (-0 as `0`, NaN and ±Infinity as `null`), `undefined`, functions and symbols
 * omitted from objects and `null` in arrays, `toJSON()` honoured (Dates become ISO strings), boxed
 * primitives unwrapped, no whitespace.
 * @throws TypeError for a top-level value JSON cannot represent (undefined, function, symbol), for
 *   a BigInt anywhere, and for nesting deeper than 1000 (most likely a cycle).
 */
export function canonicalJson(value: unknown): string {
  const start = top;
  try {
    writeTop(value);
    let s = '';
    for (let i = start; i < top; i++) s += parts[i]!;
    return s;
  } finally {
    top = start;
  }
}

/** Writes a top-level value, which unlike a member has nowhere to be omitted from. */
function writeTop(value: unknown): void {
  const v = typeof value === 'object' && value !== null ? resolve(value, '') : value;
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') {
    throw new TypeError(`canonicalJson: cannot represent a ${typeof v} as JSON`);
  }
  write(v, 0);
}

/**
 * Applies what JSON.stringify does to an object before writing it: `toJSON(key)`, then unwrapping
 * of boxed primitives. Returns what to write (or undefined and the like, to omit).
 */
function resolve(o: object, key: string): unknown {
  let v: unknown = o;
  const toJSON = (o as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') v = toJSON.call(o, key);
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) !== Object.prototype) {
    if (v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt) {
      return v.valueOf();
    }
  }
  return v;
}

/** Writes a resolved value; undefined, functions and symbols (array holes) are written `null`. */
function write(v: unknown, depth: number): void {
  switch (typeof v) {
    case 'string':
      writeString(v);
      return;
    case 'number':
      writeNumber(v);
      return;
    case 'boolean':
      parts[top++] = v ? 'true' : 'false';
      return;
    case 'object':
      if (v === null) parts[top++] = 'null';
      else if (Array.isArray(v)) writeArray(v, depth + 1);
      else writeObject(v, depth + 1);
      return;
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt is not JSON');
    default:
      parts[top++] = 'null';
  }
}

function checkDepth(depth: number): void {
  if (depth > MAX_DEPTH) throw new TypeError(`canonicalJson: nesting deeper than ${MAX_DEPTH} (cyclic?)`);
}

function writeArray(a: unknown[], depth: number): void {
  checkDepth(depth);
  parts[top++] = '[';
  for (let i = 0; i < a.length; i++) {
    if (i > 0) parts[top++] = ',';
    const e = a[i];
    write(typeof e === 'object' && e !== null ? resolve(e, String(i)) : e, depth);
  }
  parts[top++] = ']';
}

function writeObject(o: object, depth: number): void {
  checkDepth(depth);
  const layout = layoutOf(Object.keys(o));
  const values = o as Record<string, unknown>;
  let first = true;
  for (let i = 0; i < layout.length; i += 3) {
    const key = layout[i]!;
    let v = values[key];
    if (typeof v === 'object' && v !== null) v = resolve(v, key);
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue; // as JSON does
    parts[top++] = layout[first ? i + 1 : i + 2]!;
    first = false;
    write(v, depth);
  }
  parts[top++] = first ? '{}' : '}';
}

const LAYOUT_CACHE_SIZE = 8;
const layoutKeys: (string[] | undefined)[] = new Array<string[] | undefined>(LAYOUT_CACHE_SIZE).fill(undefined);
const layouts: (string[] | undefined)[] = new Array<string[] | undefined>(LAYOUT_CACHE_SIZE).fill(undefined);
let nextLayout = 0;

/**
 * The sorted layout of an object whose `Object.keys` are `keys`: a flat list of triples
 * `[key, '{"key":', ',"key":']`. Sink records come in a few shapes, so the last few layouts are
 * cached (found by comparing key lists, whose strings are interned) to skip sorting and quoting.
 */
function layoutOf(keys: string[]): string[] {
  for (let c = 0; c < LAYOUT_CACHE_SIZE; c++) {
    const cached = layoutKeys[c];
    if (cached !== undefined && sameKeys(cached, keys)) return layouts[c]!;
  }
  const sorted = keys.slice();
  // Insertion sort by UTF-16 code units (what the default sort does), without a comparator call.
  for (let i = 1; i < sorted.length; i++) {
    const k = sorted[i]!;
    let j = i - 1;
    while (j >= 0 && sorted[j]! > k) {
      sorted[j + 1] = sorted[j]!;
      j--;
    }
    sorted[j + 1] = k;
  }
  const layout: string[] = [];
  for (const k of sorted) {
    const quoted = isPlain(k) ? '"' + k + '":' : JSON.stringify(k) + ':';
    layout.push(k, '{' + quoted, ',' + quoted);
  }
  // Small objects only: one big dictionary-like object must not evict the record shapes.
  if (keys.length <= 32) {
    layoutKeys[nextLayout] = keys;
    layouts[nextLayout] = layout;
    nextLayout = (nextLayout + 1) % LAYOUT_CACHE_SIZE;
  }
  return layout;
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function writeString(s: string): void {
  if (isPlain(s)) {
    parts[top++] = '"';
    parts[top++] = s;
    parts[top++] = '"';
  } else {
    parts[top++] = JSON.stringify(s);
  }
}

/** True when `s` needs no escaping in JSON: printable ASCII other than `"` and `\`. */
function isPlain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** Zero padding for the low 8 digits of a large integer. */
const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000'];

/**
 * Writes a number as JSON.stringify would. Integers beyond 32 bits (epoch-millisecond timestamps)
 * are converted as two small halves: V8 converts those about 8x faster than one heap number.
 */
function writeNumber(n: number): void {
  if ((n | 0) === n) {
    parts[top++] = '' + n; // also turns -0 into '0', like JSON
  } else if (Number.isSafeInteger(n)) {
    // Safe integers are below 1e21, so JSON writes all their digits, never an exponent.
    const a = n < 0 ? -n : n;
    const hi = Math.floor(a / 1e8);
    const lo = '' + (a - hi * 1e8);
    if (n < 0) parts[top++] = '-';
    parts[top++] = '' + hi;
    parts[top++] = ZEROS[8 - lo.length]!;
    parts[top++] = lo;
  } else {
    parts[top++] = Number.isFinite(n) ? '' + n : 'null';
  }
}

// ---- the digest's writer: the same text as code units in a reused buffer ----

// The code units being written. Like `parts`, every writer call works from its own start and restores
// `end` when done, so a nested add (from a toJSON method) cannot clobber an outer one.
let units = new Uint16Array(1 << 12);
let end = 0;

/** Makes room for `n` more code units. */
function reserve(n: number): void {
  if (end + n <= units.length) return;
  let size = units.length * 2;
  while (size < end + n) size *= 2;
  const grown = new Uint16Array(size);
  grown.set(units.subarray(0, end));
  units = grown;
}

function putText(s: string): void {
  const n = s.length;
  reserve(n);
  const u = units;
  let e = end;
  for (let i = 0; i < n; i++) u[e++] = s.charCodeAt(i);
  end = e;
}

/** Mirror of {@link writeTop}. */
function unitsTop(value: unknown): void {
  const v = typeof value === 'object' && value !== null ? resolve(value, '') : value;
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') {
    throw new TypeError(`canonicalJson: cannot represent a ${typeof v} as JSON`);
  }
  unitsWrite(v, 0);
}

/** Mirror of {@link write}. */
function unitsWrite(v: unknown, depth: number): void {
  switch (typeof v) {
    case 'string':
      unitsString(v);
      return;
    case 'number':
      unitsNumber(v);
      return;
    case 'boolean':
      putText(v ? 'true' : 'false');
      return;
    case 'object':
      if (v === null) putText('null');
      else if (Array.isArray(v)) unitsArray(v, depth + 1);
      else unitsObject(v, depth + 1);
      return;
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt is not JSON');
    default:
      putText('null');
  }
}

function unitsArray(a: unknown[], depth: number): void {
  checkDepth(depth);
  putText('[');
  for (let i = 0; i < a.length; i++) {
    if (i > 0) putText(',');
    const e = a[i];
    unitsWrite(typeof e === 'object' && e !== null ? resolve(e, String(i)) : e, depth);
  }
  putText(']');
}

// The key list (in Object.keys order) and layout of the last object written: records of a stream share one.
let lastKeys: string[] | undefined;
let lastLayout: UnitLayout | undefined;

/**
 * Whether `o`'s enumerable keys are exactly `keys`, in order, without allocating: `for...in` visits the own
 * keys in Object.keys order, then any inherited enumerable ones, so an extra or missing key fails.
 */
function hasKeys(o: object, keys: string[]): boolean {
  let i = 0;
  for (const k in o) {
    if (k !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}

function unitsObject(o: object, depth: number): void {
  checkDepth(depth);
  let layout = lastLayout;
  if (layout === undefined || !hasKeys(o, lastKeys!)) {
    const own = Object.keys(o);
    layout = unitLayoutOf(own);
    lastKeys = own;
    lastLayout = layout;
  }
  const keys = layout.keys;
  const values = o as Record<string, unknown>;
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    let v = values[key];
    if (typeof v === 'object' && v !== null) v = resolve(v, key);
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue; // as JSON does
    putUnits(first ? layout.open[i]! : layout.next[i]!);
    first = false;
    unitsWrite(v, depth);
  }
  putText(first ? '{}' : '}');
}

/** {@link layoutOf} as code units: the layout's strings are concatenations, slow to read char by char. */
interface UnitLayout {
  readonly keys: string[];
  /** `{"key":` for each key, in sorted order. */
  readonly open: Uint16Array[];
  /** `,"key":` for each key. */
  readonly next: Uint16Array[];
}

const unitLayouts = new WeakMap<string[], UnitLayout>();

function unitLayoutOf(keys: string[]): UnitLayout {
  const layout = layoutOf(keys);
  let units = unitLayouts.get(layout);
  if (units === undefined) {
    const sorted: string[] = [];
    const open: Uint16Array[] = [];
    const next: Uint16Array[] = [];
    for (let i = 0; i < layout.length; i += 3) {
      sorted.push(layout[i]!);
      open.push(codeUnits(layout[i + 1]!));
      next.push(codeUnits(layout[i + 2]!));
    }
    units = { keys: sorted, open, next };
    unitLayouts.set(layout, units);
  }
  return units;
}

function codeUnits(s: string): Uint16Array {
  const u = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
  return u;
}

function putUnits(piece: Uint16Array): void {
  const n = piece.length;
  reserve(n);
  const u = units;
  let e = end;
  for (let i = 0; i < n; i++) u[e++] = piece[i]!;
  end = e;
}

/** Mirror of {@link writeString}: copies a plain string as it is checked, else writes JSON's escaping. */
function unitsString(s: string): void {
  const n = s.length;
  reserve(n + 2);
  const u = units;
  const mark = end;
  let e = mark;
  u[e++] = 0x22;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      end = mark;
      putText(JSON.stringify(s));
      return;
    }
    u[e++] = c;
  }
  u[e++] = 0x22;
  end = e;
}

/** The last two large whole numbers written (absolute values) and their digits. */
const bigCached = [Number.NaN, Number.NaN];
const bigDigits: (Uint16Array | undefined)[] = [undefined, undefined];
let nextBig = 0;

/** Mirror of {@link writeNumber}: whole numbers as digits by integer arithmetic, others as JavaScript writes them. */
function unitsNumber(n: number): void {
  if (Number.isSafeInteger(n)) {
    // -0 is not below 0 and writes '0', as JSON does.
    if (n < 0) putText('-');
    const a = n < 0 ? -n : n;
    if (a < 1e8) putDigits(a, 1);
    else if (a === bigCached[0]) putUnits(bigDigits[0]!);
    else if (a === bigCached[1]) putUnits(bigDigits[1]!);
    else {
      const from = end;
      // Not a % 1e8: a float modulo is a slow library call. hi * 1e8 is exact (a multiple of 2^8 below
      // 2^61), so the remainder is exact, and one step corrects a quotient the division rounded up.
      let hi = Math.floor(a / 1e8);
      let lo = a - hi * 1e8;
      if (lo < 0) {
        hi -= 1;
        lo += 1e8;
      }
      putDigits(hi, 1);
      putDigits(lo, 8);
      // Window bounds and timestamps repeat over many records: keep the last two.
      bigCached[nextBig] = a;
      bigDigits[nextBig] = units.slice(from, end);
      nextBig ^= 1;
    }
  } else {
    putText(Number.isFinite(n) ? '' + n : 'null');
  }
}

/** Writes `x` (a whole number below 1e8) in decimal, zero-padded to at least `width` digits. */
function putDigits(x: number, width: number): void {
  let v = x | 0;
  let len = 1;
  for (let t = v; t >= 10; t = (t / 10) | 0) len++;
  if (len < width) len = width;
  reserve(len);
  const u = units;
  const start = end;
  let e = start + len;
  end = e;
  while (e > start) {
    const q = (v / 10) | 0;
    u[--e] = 48 + v - q * 10;
    v = q;
  }
}

// ---- hashing ----

// The two lanes of the last hashUnits call: module scratch so that hashing allocates nothing.
let laneA = 0;
let laneB = 0;

/**
 * 64-bit hash of the code units `units[from..to)` as two 32-bit lanes (written to laneA and laneB),
 * over the text's UTF-16LE encoding taken as little-endian 32-bit words (two code units, first in the
 * low half). Lane A is exactly MurmurHash3_x86_32 with seed 0x9747b28c. Lane B uses the xxHash32
 * round, tail step and avalanche with seed 0x165667b1 and a single accumulator (not the xxHash32
 * algorithm itself). Different mixing, seeds and finalisers make a collision in one lane say nothing
 * about the other.
 */
function hashUnits(from: number, to: number): void {
  const u = units;
  let a = 0x9747b28c;
  let b = 0x165667b1;
  let i = from;
  for (; i + 1 < to; i += 2) {
    const w = u[i]! | (u[i + 1]! << 16);
    // Lane A: the MurmurHash3 x86_32 block step.
    let k = Math.imul(w, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    a ^= k;
    a = (a << 13) | (a >>> 19);
    a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    // Lane B: the xxHash32 round.
    b = (b + Math.imul(w, 0x85ebca77)) | 0;
    b = Math.imul((b << 13) | (b >>> 19), 0x9e3779b1);
  }
  if (i < to) {
    const last = u[i]!;
    let k = Math.imul(last, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    a ^= k;
    b = (b + Math.imul(last, 0x165667b1)) | 0;
    b = Math.imul((b << 11) | (b >>> 21), 0x9e3779b1);
  }
  // Finalisers: MurmurHash3 fmix32 for A, xxHash32 avalanche for B, both after xoring the length
  // in bytes (what Murmur does; it separates texts that differ only by trailing zero units).
  const length = (to - from) * 2;
  a ^= length;
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  a = Math.imul(a, 0xc2b2ae35);
  a ^= a >>> 16;
  b ^= length;
  b ^= b >>> 15;
  b = Math.imul(b, 0x85ebca77);
  b ^= b >>> 13;
  b = Math.imul(b, 0xc2b2ae3d);
  b ^= b >>> 16;
  laneA = a >>> 0;
  laneB = b >>> 0;
}

function hex8(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}

/** Multiset digest of records; see the module comment. Memory is constant in the number of records. */
export class OutputDigest {
  private n = 0;
  /** Lane sums modulo 2^32, kept as unsigned 32-bit integers. */
  private sumA = 0;
  private sumB = 0;

  /**
   * Adds one record: hashes `canonicalJson(record)` (without building the text as a string).
   * @throws TypeError where {@link canonicalJson} throws; the digest is then unchanged.
   */
  add(record: unknown): void {
    const start = end;
    try {
      unitsTop(record);
      hashUnits(start, end);
    } finally {
      end = start;
    }
    this.accumulate();
  }

  /** Adds one record given its canonical JSON text (as {@link canonicalJson} writes it). */
  addCanonical(json: string): void {
    const start = end;
    putText(json);
    hashUnits(start, end);
    end = start;
    this.accumulate();
  }

  private accumulate(): void {
    this.sumA = (this.sumA + laneA) >>> 0;
    this.sumB = (this.sumB + laneB) >>> 0;
    this.n++;
  }

  /** Adds every record of `other` (as if they had been added here). */
  merge(other: OutputDigest): void {
    this.sumA = (this.sumA + other.sumA) >>> 0;
    this.sumB = (this.sumB + other.sumB) >>> 0;
    this.n += other.n;
  }

  /** Number of records added. */
  get count(): number {
    return this.n;
  }

  /** True when both digests describe the same multiset (with probability about 1 − 2^-64). */
  equals(other: OutputDigest): boolean {
    return this.n === other.n && this.sumA === other.sumA && this.sumB === other.sumB;
  }

  /**
   * Stable text form `<count>:<lane A sum><lane B sum>`: the count in decimal, then each lane sum
   * as 8 lowercase hex digits, e.g. `3:0f1e2d3c4b5a6978`. The empty digest is `0:0000000000000000`.
   */
  toString(): string {
    return `${this.n}:${hex8(this.sumA)}${hex8(this.sumB)}`;
  }

  /** JSON form: the {@link toString} text, so results files carry the digest as a string. */
  toJSON(): string {
    return this.toString();
  }

  /**
   * Parses {@link toString} output, e.g. a digest sent back by a child process, so it can be merged.
   * @throws Error when `text` is not in that format.
   */
  static fromString(text: string): OutputDigest {
    const m = /^(0|[1-9][0-9]*):([0-9a-f]{8})([0-9a-f]{8})$/.exec(text);
    const n = m ? Number(m[1]) : NaN;
    if (!m || !Number.isSafeInteger(n)) {
      throw new Error(`OutputDigest.fromString: expected "<count>:<16 hex digits>", got ${JSON.stringify(text)}`);
    }
    const d = new OutputDigest();
    d.n = n;
    d.sumA = parseInt(m[2]!, 16);
    d.sumB = parseInt(m[3]!, 16);
    return d;
  }
}
