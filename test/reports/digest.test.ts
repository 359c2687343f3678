import { describe, expect, it } from 'vitest';
import { uniform as rng } from '../support/prng.js';
import { OutputDigest, canonicalJson } from '../../reports/digest.js';

/** Independent reference for canonicalJson: sort keys with the default sort, leaves by JSON.stringify. */
function referenceJson(v: unknown): string | undefined {
  if (Array.isArray(v)) return '[' + v.map((e) => referenceJson(e) ?? 'null').join(',') + ']';
  if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON !== 'function') {
    const o = v as Record<string, unknown>;
    const members = Object.keys(o)
      .sort()
      .flatMap((k) => {
        const text = referenceJson(o[k]);
        return text === undefined ? [] : [JSON.stringify(k) + ':' + text];
      });
    return '{' + members.join(',') + '}';
  }
  return JSON.stringify(v) as string | undefined;
}

/** Independent, byte-wise MurmurHash3_x86_32 (the digest's lane A is this over UTF-16LE). */
function murmur3(bytes: Uint8Array, seed: number): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));
  let h = seed | 0;
  const blocks = bytes.length >> 2;
  for (let i = 0; i < blocks; i++) {
    const j = i * 4;
    let k = bytes[j]! | (bytes[j + 1]! << 8) | (bytes[j + 2]! << 16) | (bytes[j + 3]! << 24);
    k = Math.imul(rotl(Math.imul(k, c1), 15), c2);
    h = (Math.imul(rotl(h ^ k, 13), 5) + 0xe6546b64) | 0;
  }
  const tail = blocks * 4;
  const rest = bytes.length & 3;
  if (rest > 0) {
    let k = 0;
    for (let i = rest - 1; i >= 0; i--) k = (k << 8) | bytes[tail + i]!;
    h ^= Math.imul(rotl(Math.imul(k, c1), 15), c2);
  }
  h ^= bytes.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Independent, byte-wise lane B: xxHash32 round per 4 bytes, 2-byte tail step, xxHash32 avalanche. */
function laneB(bytes: Uint8Array): number {
  const P1 = 0x9e3779b1;
  const P2 = 0x85ebca77;
  const P3 = 0xc2b2ae3d;
  const P5 = 0x165667b1;
  const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));
  let h = 0x165667b1;
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) {
    const w = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    h = Math.imul(rotl((h + Math.imul(w, P2)) | 0, 13), P1);
  }
  if (i < bytes.length) {
    const u = bytes[i]! | (bytes[i + 1]! << 8);
    h = Math.imul(rotl((h + Math.imul(u, P5)) | 0, 11), P1);
  }
  h ^= bytes.length;
  h = Math.imul(h ^ (h >>> 15), P2);
  h = Math.imul(h ^ (h >>> 13), P3);
  return (h ^ (h >>> 16)) >>> 0;
}

const hex8 = (x: number): string => x.toString(16).padStart(8, '0');

/** The digest of one record, computed independently from its canonical text. */
function referenceDigestOfOne(text: string): string {
  const bytes = new Uint8Array(Buffer.from(text, 'utf16le'));
  return `1:${hex8(murmur3(bytes, 0x9747b28c))}${hex8(laneB(bytes))}`;
}

const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** Random JSON-ish values with awkward strings and numbers. */
function randomValue(next: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const str = (): string => {
    const alphabet = ['a', 'Z', '0', ' ', '"', '\\', '\n', '\u0001', 'é', 'ключ', '😀', '\ud800', '\udfff', '€'];
    let s = '';
    const n = Math.floor(next() * 7);
    for (let i = 0; i < n; i++) s += pick(alphabet);
    return s;
  };
  const roll = next();
  if (depth < 3 && roll < 0.15) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  if (depth < 3 && roll < 0.3) {
    const o: Record<string, unknown> = {};
    const n = Math.floor(next() * 5);
    for (let i = 0; i < n; i++) o[pick([str(), '10', '2', 'key', 'value', 'windowStart'])] = randomValue(next, depth + 1);
    return o;
  }
  if (roll < 0.5) return str();
  if (roll < 0.55) return pick([true, false, null, undefined]);
  return pick([
    () => Math.floor(next() * 1000) - 500,
    () => 1_700_000_000_000 + Math.floor(next() * 1e9),
    () => -Math.floor(next() * 2 ** 53),
    () => Math.floor(next() * 2 ** 53),
    () => (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20),
    () => pick([-0, NaN, Infinity, -Infinity, 1e21, 2 ** 53, 5e-324, 2 ** 31, -(2 ** 31), 100_000_000]),
  ])();
}

/** Typical window results. */
function windowRecords(n: number): { windowStart: number; windowEnd: number; key: string; value: number }[] {
  return Array.from({ length: n }, (_, i) => ({
    windowStart: 1_700_000_000_000 + Math.floor(i / 10) * 5000,
    windowEnd: 1_700_000_005_000 + Math.floor(i / 10) * 5000,
    key: 'w' + (i % 10),
    value: (i * 7) % 13,
  }));
}

function digestOf(records: readonly unknown[]): string {
  const d = new OutputDigest();
  for (const r of records) d.add(r);
  return d.toString();
}

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const next = rng(seed);
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, writes no whitespace', () => {
    expect(canonicalJson({ windowStart: 1_700_000_000_000, windowEnd: 1_700_000_005_000, key: 'w123', value: 7 })).toBe(
      '{"key":"w123","value":7,"windowEnd":1700000005000,"windowStart":1700000000000}',
    );
    expect(canonicalJson({ b: [3, { z: 1, a: [2, 1] }], a: { d: null, c: true } })).toBe(
      '{"a":{"c":true,"d":null},"b":[3,{"a":[2,1],"z":1}]}',
    );
  });

  it('sorts integer-like keys as strings, not in JavaScript property order', () => {
    expect(canonicalJson({ a: 3, 10: 1, 2: 2 })).toBe('{"10":1,"2":2,"a":3}');
  });

  it('writes numbers as JSON does, -0 as 0 and non-finite as null', () => {
    const numbers = [0, -0, 7, -7, 1.5, 2 ** 31, -(2 ** 31), 2 ** 32 + 1, 1_700_000_000_000, -1_700_000_000_001];
    numbers.push(100_000_000, 100_000_001, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 1e21, 1e-7, 5e-324, 0.1 + 0.2);
    for (const n of numbers) expect(canonicalJson(n)).toBe(JSON.stringify(n));
    const next = rng(7);
    for (let i = 0; i < 20_000; i++) {
      const n = Math.floor((next() - 0.5) * 2 ** (1 + next() * 53));
      expect(canonicalJson(n)).toBe(JSON.stringify(n));
    }
    expect(canonicalJson({ a: -0, b: NaN, c: [Infinity, -Infinity] })).toBe('{"a":0,"b":null,"c":[null,null]}');
  });

  it('omits undefined, functions and symbols from objects and writes them null in arrays', () => {
    expect(canonicalJson({ a: undefined, b: 1, c: () => 1, d: Symbol('x') })).toBe('{"b":1}');
    expect(canonicalJson({ a: undefined })).toBe('{}');
    expect(canonicalJson([undefined, () => 1, Symbol('x'), 1])).toBe('[null,null,null,1]');
    expect(canonicalJson([1, , 3])).toBe('[1,null,3]');
  });

  it('escapes strings as JSON does, unicode and lone surrogates included', () => {
    const value = { ключ: ['é', '😀', '\ud800', 'a"b\\c\n\u0001'], n: { z: -0, y: 1.5e-7, x: [null, true] } };
    expect(canonicalJson(value)).toBe('{"n":{"x":[null,true],"y":1.5e-7,"z":0},"ключ":["é","😀","\\ud800","a\\"b\\\\c\\n\\u0001"]}');
    expect(canonicalJson({ 'a"b': 1, é: 2 })).toBe('{"a\\"b":1,"é":2}');
  });

  it('honours toJSON (with its key) and unwraps boxed primitives, like JSON.stringify', () => {
    const d = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6));
    expect(canonicalJson({ at: d })).toBe('{"at":"2024-01-02T03:04:05.006Z"}');
    expect(canonicalJson(d)).toBe('"2024-01-02T03:04:05.006Z"');
    expect(canonicalJson({ k: { toJSON: (key: string) => `key=${key}` } })).toBe('{"k":"key=k"}');
    expect(canonicalJson({ gone: { toJSON: () => undefined }, kept: 1 })).toBe('{"kept":1}');
    expect(canonicalJson([new Number(3), new String('s'), new Boolean(false)])).toBe('[3,"s",false]');
  });

  it('agrees with an independent reference on random nested values', () => {
    const next = rng(42);
    for (let i = 0; i < 5000; i++) {
      const v = { root: randomValue(next) };
      expect(canonicalJson(v)).toBe(referenceJson(v));
    }
  });

  it('throws on what JSON cannot represent, and recovers afterwards', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
    expect(() => canonicalJson(Symbol('x'))).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(/BigInt/);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
    expect(canonicalJson({ b: 2, a: 1 })).toBe('{"a":1,"b":2}');
  });

  it('is reentrant: a toJSON may itself call canonicalJson', () => {
    const inner = { toJSON: () => canonicalJson({ y: 2, x: 1 }) };
    expect(canonicalJson({ b: inner, a: [inner] })).toBe('{"a":["{\\"x\\":1,\\"y\\":2}"],"b":"{\\"x\\":1,\\"y\\":2}"}');
  });
});

describe('OutputDigest', () => {
  const records = windowRecords(1000);
  const base = digestOf(records);

  it('does not depend on record order', () => {
    expect(digestOf(shuffled(records, 1))).toBe(base);
    expect(digestOf(records.slice().reverse())).toBe(base);
  });

  it('does not depend on key order', () => {
    const reordered = records.map((r) => ({ value: r.value, key: r.key, windowEnd: r.windowEnd, windowStart: r.windowStart }));
    expect(digestOf(reordered)).toBe(base);
  });

  it('changes when a value changes, a record is missing or duplicated', () => {
    const changed = records.map((r, i) => (i === 500 ? { ...r, value: r.value + 1 } : r));
    const missing = records.filter((_, i) => i !== 500);
    const duplicated = [...records, records[500]];
    // Same count: one record lost and another doubled.
    const swapped = records.map((r, i) => (i === 500 ? records[501] : r));
    const digests = [base, digestOf(changed), digestOf(missing), digestOf(duplicated), digestOf(swapped)];
    expect(new Set(digests).size).toBe(digests.length);
    expect(digestOf(swapped).split(':')[0]).toBe('1000');
  });

  it('distinguishes a value from its string and -0 from 0 only as JSON does', () => {
    expect(digestOf([{ v: 1 }])).not.toBe(digestOf([{ v: '1' }]));
    expect(digestOf([{ v: -0 }])).toBe(digestOf([{ v: 0 }]));
  });

  it('merged equals everything added to one', () => {
    const parts = [new OutputDigest(), new OutputDigest(), new OutputDigest()];
    records.forEach((r, i) => parts[i % 3]!.add(r));
    const merged = new OutputDigest();
    for (const p of parts) merged.merge(p);
    expect(merged.toString()).toBe(base);
    expect(merged.count).toBe(1000);
    parts[2]!.merge(parts[0]!);
    parts[2]!.merge(parts[1]!);
    expect(parts[2]!.toString()).toBe(base);
    expect(parts[2]!.equals(merged)).toBe(true);
  });

  it('add(r) equals addCanonical(canonicalJson(r)) and the independent reference hash', () => {
    const next = rng(99);
    for (let i = 0; i < 3000; i++) {
      const r = { i, v: randomValue(next) };
      const text = canonicalJson(r);
      const viaAdd = new OutputDigest();
      viaAdd.add(r);
      const viaText = new OutputDigest();
      viaText.addCanonical(text);
      expect(viaAdd.toString()).toBe(viaText.toString());
      expect(viaAdd.toString()).toBe(referenceDigestOfOne(text));
    }
  });

  it('uses exactly MurmurHash3_x86_32 for lane A (published test vectors)', () => {
    expect(murmur3(ascii(''), 0)).toBe(0);
    expect(murmur3(ascii(''), 1)).toBe(0x514e28b7);
    expect(murmur3(ascii('test'), 0)).toBe(0xba6bd213);
    expect(murmur3(ascii('Hello, world!'), 1234)).toBe(0xfaf6cdb3);
    expect(murmur3(ascii('The quick brown fox jumps over the lazy dog'), 0x9747b28c)).toBe(0x2fa826cd);
  });

  it('has a stable text format and stable values', () => {
    expect(new OutputDigest().toString()).toBe('0:0000000000000000');
    expect(digestOf([{ windowStart: 1_700_000_000_000, windowEnd: 1_700_000_005_000, key: 'w123', value: 7 }])).toBe('1:1bcb4cf54e2311f1');
    const three = [0, 1, 2].map((i) => ({
      windowStart: 1_700_000_000_000 + i * 5000,
      windowEnd: 1_700_000_005_000 + i * 5000,
      key: 'w' + i,
      value: i * 7,
    }));
    expect(digestOf(three)).toBe('3:3deaec58a40738e7');
    expect(digestOf([{ ключ: ['é', '😀', '\ud800', 'a"b\\c\n'], n: { z: -0, y: 1.5e-7, x: [null, true] } }])).toBe('1:f46e10e5d51aa40f');
    expect(JSON.stringify({ digest: digestOf(three) })).toBe('{"digest":"3:3deaec58a40738e7"}');
  });

  it('round-trips through its text form', () => {
    const d = new OutputDigest();
    for (const r of records) d.add(r);
    const back = OutputDigest.fromString(d.toString());
    expect(back.toString()).toBe(base);
    back.add(records[0]);
    d.add(records[0]);
    expect(back.equals(d)).toBe(true);
    for (const bad of ['', '1:abc', '01:0000000000000000', '1:0000000000000000 ', 'x:0000000000000000', '1:000000000000000G']) {
      expect(() => OutputDigest.fromString(bad)).toThrow(/expected/);
    }
  });

  it('leaves the digest unchanged when a record cannot be written', () => {
    const d = new OutputDigest();
    d.add({ a: 1 });
    const before = d.toString();
    expect(() => d.add({ big: 10n })).toThrow(TypeError);
    expect(() => d.add(undefined)).toThrow(TypeError);
    expect(d.toString()).toBe(before);
  });

  it('gives distinct digests to 100k distinct records (no 64-bit collisions)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const d = new OutputDigest();
      d.add({
        windowStart: 1_700_000_000_000 + (i >> 4) * 1000,
        windowEnd: 1_700_000_001_000 + (i >> 4) * 1000,
        key: 'k' + (i & 15),
        value: i & 3,
      });
      seen.add(d.toString());
    }
    expect(seen.size).toBe(100_000);
  });
});
