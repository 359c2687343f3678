import { describe, expect, it } from 'vitest';
import { deserializeRecords, RECORD_HEADER_BYTES, RECORD_HEADER_MAX_BYTES, RecordSerializer } from '../../../engines/runtime/codec.js';

interface Rec {
  value: unknown;
  eventTime: number;
  emitTime: number;
  ingestTime: number;
}

function readAll(bytes: Uint8Array): Rec[] {
  const out: Rec[] = [];
  const n = deserializeRecords(bytes, (value, eventTime, emitTime, ingestTime) => out.push({ value, eventTime, emitTime, ingestTime }));
  expect(n).toBe(out.length);
  return out;
}

/** Writes the values into as many buffers as needed (finishing full ones) and reads them all back. */
function roundTrip(values: unknown[], bufferSize = 32 * 1024): { out: unknown[]; buffers: Uint8Array[] } {
  const ser = new RecordSerializer(bufferSize);
  const buffers: Uint8Array[] = [];
  values.forEach((v, i) => {
    if (!ser.write(v, i, i + 0.5, i + 0.25)) {
      buffers.push(ser.finish());
      expect(ser.write(v, i, i + 0.5, i + 0.25)).toBe(true);
    }
  });
  if (!ser.isEmpty) buffers.push(ser.finish());
  const out: unknown[] = [];
  let i = 0;
  for (const b of buffers) {
    deserializeRecords(b, (v, et, emt, it) => {
      expect([et, emt, it]).toEqual([i, i + 0.5, i + 0.25]);
      out.push(v);
      i++;
    });
  }
  return { out, buffers };
}

const SCALARS: unknown[] = [
  0,
  1,
  -1,
  42,
  -42,
  0.5,
  -0.25,
  3.141592653589793,
  1e-300,
  -1e300,
  5e-324,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 32,
  2 ** 53,
  -(2 ** 53),
  2 ** 53 - 1,
  Number.MAX_VALUE,
  1_700_000_000_000,
  1_700_000_000_000.123,
  true,
  false,
  null,
  '',
  'a',
  'hello',
  'w123',
  'exactly8',
  'nine char',
  'the quick brown fox jumps over',
  'a string of exactly thirty-two ch',
  'x'.repeat(31),
  'y'.repeat(32),
  'z'.repeat(200),
  'café',
  'naïve résumé',
  '日本語のテキスト',
  '😀 emoji 👍🏽 and 🇩🇪 flags',
  'Ω≈ç√∫',
  '\u0000\u0001\u007f\u0080\u00ff',
  'line\nbreak\ttab "quote" \\ backslash',
  '\u2028\u2029',
  'long ünïcödé '.repeat(40),
  '😀'.repeat(100),
  '\uD800',
  'lone \uDC00 low',
  'a\uD83Dz',
  `${'p'.repeat(70)}\uDFFF`, // lone surrogates, short and long
];

describe('RecordSerializer / deserializeRecords', () => {
  it('round-trips scalars exactly', () => {
    const { out } = roundTrip(SCALARS);
    expect(out).toStrictEqual(SCALARS);
  });

  it('keeps -0, NaN, Infinity and undefined (more than JSON)', () => {
    const values = [-0, NaN, Infinity, -Infinity, undefined, [undefined, -0], { a: undefined, b: -0 }];
    const { out } = roundTrip(values);
    expect(Object.is(out[0], -0)).toBe(true);
    expect(out[1]).toBeNaN();
    expect(out.slice(2, 5)).toStrictEqual([Infinity, -Infinity, undefined]);
    expect(Object.is((out[5] as unknown[])[1], -0)).toBe(true);
    expect(out[6]).toStrictEqual({ a: undefined, b: -0 });
    expect(Object.keys(out[6] as object)).toEqual(['a', 'b']);
  });

  it('round-trips nested objects and arrays', () => {
    const values = [
      {},
      [],
      [1, 'two', [3, [4, [5]]], { six: 6 }],
      { windowStart: 1_700_000_000_000, windowEnd: 1_700_000_010_000, key: 'w123', value: 7 },
      { ad_id: '5c1e4a1e-1c1b-4b0e-9a6b-7f3f2e1d0c9b', event_time: '1700000000000' },
      { a: { b: { c: { d: [{ e: null }, { e: true }] } } }, list: [{ x: 1 }, { x: 2, y: [] }] },
      { 'key with spaces': 1, 'quo"te': 2, 'back\\slash': 3, 'new\nline': 4, '\u2028': 5, 日本: 6, '😀': 7, '': 8 },
      { 10: 'ten', 2: 'two', b: 'bee', a: 'ay' },
      [[[]], [{}], { x: [] }],
    ];
    const { out } = roundTrip(values);
    expect(out).toStrictEqual(values);
  });

  it('keeps an own "__proto__" key as data, as JSON.parse does', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    for (let k = 0; k < 20; k++) {
      // past the point where the shape gets a compiled builder
      const { out } = roundTrip([value, value, value]);
      for (const o of out as Record<string, unknown>[]) {
        expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
        expect(Object.keys(o)).toEqual(['__proto__', 'x']);
        expect(Object.getOwnPropertyDescriptor(o, '__proto__')?.value).toEqual({ polluted: true });
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('round-trips many records of one shape (compiled builder) and of many shapes', () => {
    const same = Array.from({ length: 5000 }, (_, i) => ({
      windowStart: i * 10,
      windowEnd: i * 10 + 10,
      key: `w${i % 97}`,
      value: i % 13,
    }));
    expect(roundTrip(same).out).toStrictEqual(same);
    const mixed = Array.from({ length: 3000 }, (_, i) => {
      switch (i % 4) {
        case 0:
          return { kind: 'person', id: i, name: `p${i}` };
        case 1:
          return { kind: 'auction', id: i, seller: i - 1, items: [i, `i${i}`] };
        case 2:
          return { kind: 'bid', auction: i - 1, price: i * 1.5, bidder: { id: i, tags: ['a', 'b'] } };
        default:
          return { [`dyn${i}`]: i }; // a fresh key set every time
      }
    });
    expect(roundTrip(mixed).out).toStrictEqual(mixed);
  });

  it('writes objects with many keys, and ever-changing key sets beyond the shape limit', () => {
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    const varied = Array.from({ length: 10_000 }, (_, i) => ({ [`only${i}`]: i, [`also${i}`]: -i }));
    const { out } = roundTrip([wide, ...varied, wide]);
    expect(out).toStrictEqual([wide, ...varied, wide]);
  });

  it('round-trips times exactly as float64', () => {
    const ser = new RecordSerializer(1024);
    const times = [
      [0, 0, 0],
      [1_700_000_000_000.123, 1_700_000_000_000.25, 1_700_000_000_001.7654321],
      [-5.5, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER],
      [Infinity, -Infinity, 0.1 + 0.2],
    ];
    for (const [a, b, c] of times) expect(ser.write('v', a, b, c)).toBe(true);
    const got = readAll(ser.finish()).map((r) => [r.eventTime, r.emitTime, r.ingestTime]);
    expect(got).toStrictEqual(times);
  });

  it('stores measurement times near their base in 4 bytes each, others in 8, and reads every one back exactly', () => {
    const size = (eventTime: number, emitTime: number, ingestTime: number) => {
      const ser = new RecordSerializer(256);
      ser.write(null, eventTime, emitTime, ingestTime);
      const [r] = readAll(ser.finish());
      expect([r!.eventTime, r!.emitTime, r!.ingestTime]).toStrictEqual([eventTime, emitTime, ingestTime]);
      return ser.write(null, eventTime, emitTime, ingestTime) && ser.byteLength - 1; // 1 byte: the null tag
    };
    const epoch = 1_780_000_000_000;
    // A generated record: event time, emit time a fraction of a ms later, read 3.5 ms after that.
    expect(size(Math.floor(epoch + 0.37), epoch + 0.37, epoch + 3.870361328125)).toBe(RECORD_HEADER_BYTES);
    expect(RECORD_HEADER_BYTES).toBe(20);
    // Times of a replayed file: event time from 2019, emitted now: the emit time takes a float64.
    expect(size(1_550_000_000_000, epoch + 0.5, epoch + 1)).toBe(24);
    // Off the 1/4096 ms grid (small magnitudes), or not finite: float64 both.
    expect(size(0.1, 0.2, 0.3)).toBe(RECORD_HEADER_MAX_BYTES);
    expect(size(0, Number.NaN, Infinity)).toBe(RECORD_HEADER_MAX_BYTES);
    // -0 is not 0 + 0 ticks: kept exactly as a float64.
    expect(size(0, -0, 5)).toBe(24);
  });

  it('returns false, writing nothing, when a record does not fit what is left', () => {
    const ser = new RecordSerializer(84);
    expect(ser.isEmpty).toBe(true);
    expect(ser.write('a'.repeat(20), 1, 2, 3)).toBe(true); // 20 + 22 = 42 bytes
    expect(ser.byteLength).toBe(RECORD_HEADER_BYTES + 22);
    expect(ser.write('b'.repeat(30), 1, 2, 3)).toBe(false); // 20 + 32 > 42 left
    expect(ser.byteLength).toBe(42);
    expect(ser.recordCount).toBe(1);
    expect(ser.write('c'.repeat(20), 4, 5, 6)).toBe(true); // exactly fills the buffer
    expect(ser.byteLength).toBe(84);
    expect(ser.write(null, 0, 0, 0)).toBe(false);
    const recs = readAll(ser.finish());
    expect(recs.map((r) => r.value)).toEqual(['a'.repeat(20), 'c'.repeat(20)]);
    expect(ser.isEmpty).toBe(true);
    expect(ser.byteLength).toBe(0);
    expect(ser.recordCount).toBe(0);
  });

  it('accepts a record bigger than a whole buffer into an empty buffer, then returns to the normal size', () => {
    const ser = new RecordSerializer(64);
    const big = { text: 'ü'.repeat(500), list: Array.from({ length: 100 }, (_, i) => i) };
    expect(ser.write('small', 0, 0, 0)).toBe(true);
    expect(ser.write(big, 1, 1, 1)).toBe(false); // not into a non-empty buffer
    readAll(ser.finish());
    expect(ser.write(big, 1, 1, 1)).toBe(true);
    expect(ser.byteLength).toBeGreaterThan(64);
    expect(ser.write('x', 2, 2, 2)).toBe(false); // the grown buffer is full: one oversized record per buffer
    expect(readAll(ser.finish()).map((r) => r.value)).toStrictEqual([big]);
    expect(ser.write('a'.repeat(20), 0, 0, 0)).toBe(true);
    expect(ser.write('b'.repeat(20), 0, 0, 0)).toBe(false); // back to 64 bytes
  });

  it('forgets a shape whose defining record did not fit, so a later record defines it again', () => {
    const ser = new RecordSerializer(112);
    expect(ser.write('pad'.repeat(10), 0, 0, 0)).toBe(true); // 20 + 32 = 52 bytes
    // New shape {alpha, beta}: header, keys and values (62 bytes) do not fit the 60 bytes left.
    expect(ser.write({ alpha: 'x'.repeat(20), beta: 1 }, 1, 1, 1)).toBe(false);
    // The same shape with a smaller value fits; it must carry the shape definition itself.
    expect(ser.write({ alpha: 'y', beta: 2 }, 2, 2, 2)).toBe(true);
    expect(readAll(ser.finish()).map((r) => r.value)).toStrictEqual(['pad'.repeat(10), { alpha: 'y', beta: 2 }]);
  });

  it('makes every buffer decodable on its own, in any order', () => {
    const values = Array.from({ length: 300 }, (_, i) => ({ k: `key${i}`, v: i, nested: { a: i } }));
    const { buffers } = roundTrip(values, 1024);
    expect(buffers.length).toBeGreaterThan(3);
    const reversed: unknown[] = [];
    for (const b of [...buffers].reverse()) {
      const part: unknown[] = [];
      deserializeRecords(b, (v) => part.push(v));
      reversed.unshift(...part);
    }
    expect(reversed).toStrictEqual(values);
  });

  it('finish returns an independent copy', () => {
    const ser = new RecordSerializer(256);
    ser.write({ a: 1 }, 1, 2, 3);
    const first = ser.finish();
    const copy = first.slice();
    ser.write({ a: 2, b: 'overwrite the same memory' }, 4, 5, 6);
    expect(first).toStrictEqual(copy);
    expect(first.buffer.byteLength).toBe(first.byteLength); // owns exactly its bytes
    expect(readAll(first)[0].value).toStrictEqual({ a: 1 });
  });

  it('reads a buffer that is a view into a larger array', () => {
    const ser = new RecordSerializer(256);
    ser.write({ a: 'view' }, 1, 2, 3);
    const bytes = ser.finish();
    const big = new Uint8Array(bytes.length + 17);
    big.set(bytes, 9);
    expect(readAll(big.subarray(9, 9 + bytes.length))).toStrictEqual([{ value: { a: 'view' }, eventTime: 1, emitTime: 2, ingestTime: 3 }]);
  });

  it('reads an empty buffer as no records', () => {
    expect(
      deserializeRecords(new RecordSerializer(16).finish(), () => {
        throw new Error('no');
      }),
    ).toBe(0);
  });

  it('rejects values that are not plain data, writing nothing', () => {
    const ser = new RecordSerializer(256);
    ser.write('before', 0, 0, 0);
    const len = ser.byteLength;
    class Point {
      constructor(readonly x: number) {}
    }
    const bad: unknown[] = [new Date(0), new Map(), new Set(), new Point(1), () => 1, Symbol('s'), 10n, { nested: [new Uint8Array(2)] }];
    for (const v of bad) {
      expect(() => ser.write(v, 0, 0, 0)).toThrow(TypeError);
      expect(ser.byteLength).toBe(len);
      expect(ser.recordCount).toBe(1);
    }
    ser.write({ after: true }, 0, 0, 0);
    expect(readAll(ser.finish()).map((r) => r.value)).toStrictEqual(['before', { after: true }]);
  });

  it('accepts null-prototype objects', () => {
    const o = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    expect(roundTrip([o]).out).toEqual([{ a: 1 }]);
  });

  it('throws on corrupt or truncated buffers', () => {
    const ser = new RecordSerializer(256);
    ser.write({ a: 'abc' }, 1, 2, 3);
    ser.write([1, 2, 3], 1, 2, 3);
    const bytes = ser.finish();
    expect(() => deserializeRecords(bytes.subarray(0, 10), () => {})).toThrow(/corrupt/);
    expect(() => deserializeRecords(bytes.subarray(0, bytes.length - 2), () => {})).toThrow();
    const bad = bytes.slice();
    bad[RECORD_HEADER_BYTES] = 250; // unknown tag
    expect(() => deserializeRecords(bad, () => {})).toThrow(/corrupt record buffer: tag 250/);
  });

  it('allows a visitor to deserialize another buffer (re-entrant)', () => {
    const inner = new RecordSerializer(256);
    inner.write({ inner: 1 }, 0, 0, 0);
    const innerBytes = inner.finish();
    const outer = new RecordSerializer(256);
    outer.write({ outer: 1 }, 0, 0, 0);
    outer.write({ outer: 2 }, 0, 0, 0);
    const seen: unknown[] = [];
    deserializeRecords(outer.finish(), (v) => {
      seen.push(v);
      deserializeRecords(innerBytes, (w) => seen.push(w));
    });
    expect(seen).toStrictEqual([{ outer: 1 }, { inner: 1 }, { outer: 2 }, { inner: 1 }]);
  });

  it('rejects a bad buffer size', () => {
    expect(() => new RecordSerializer(0)).toThrow(RangeError);
    expect(() => new RecordSerializer(1.5)).toThrow(RangeError);
  });

  it('still works with a 1-byte buffer: every record goes alone into a grown buffer', () => {
    const { out, buffers } = roundTrip(['a', { b: 2 }, [3]], 1);
    expect(out).toStrictEqual(['a', { b: 2 }, [3]]);
    expect(buffers).toHaveLength(3);
  });
});
