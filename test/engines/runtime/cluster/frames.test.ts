import { describe, expect, it } from 'vitest';
import {
  encodeFrame,
  encodeJsonFrame,
  FRAME_BINARY,
  FRAME_JSON,
  FrameDecoder,
  FrameError,
  MAX_FRAME_BYTES,
} from '../../../../engines/runtime/cluster/index.js';
import { decodeDataFrame, encodeDataFrame, DATA_BUFFER, DATA_CREDIT } from '../../../../engines/runtime/cluster/index.js';

function decodeAll(bytes: Buffer, chunk: number): [number, string][] {
  const out: [number, string][] = [];
  const d = new FrameDecoder((type, body) => out.push([type, body.toString('utf8')]));
  for (let i = 0; i < bytes.length; i += chunk) d.push(bytes.subarray(i, i + chunk));
  expect(d.buffered).toBe(0);
  return out;
}

describe('frames', () => {
  const stream = Buffer.concat([
    encodeJsonFrame({ a: 1 }),
    encodeFrame(FRAME_BINARY, Buffer.from('xyz')),
    encodeFrame(FRAME_BINARY, new Uint8Array(0)),
    encodeJsonFrame('é'),
  ]);
  const expected: [number, string][] = [
    [FRAME_JSON, '{"a":1}'],
    [FRAME_BINARY, 'xyz'],
    [FRAME_BINARY, ''],
    [FRAME_JSON, '"é"'],
  ];

  it('decodes the same frames whatever the chunking', () => {
    for (const chunk of [1, 2, 3, 5, 7, 1000]) expect(decodeAll(stream, chunk)).toEqual(expected);
  });

  it('rejects an unknown type and an oversized length: the stream is not ours', () => {
    const d = new FrameDecoder(() => {});
    expect(() => d.push(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(FrameError);
    const big = Buffer.alloc(5);
    big.writeUInt32LE(MAX_FRAME_BYTES + 1, 0);
    big[4] = FRAME_JSON;
    expect(() => new FrameDecoder(() => {}).push(big)).toThrow(/exceeds/);
  });

  it('data frames carry routing header and payload', () => {
    const m = decodeDataFrame(
      Buffer.from(encodeDataFrame({ to: 3, channel: 70000, kind: DATA_BUFFER, a: 12, b: 4, bytes: Uint8Array.of(9, 8, 7) })),
    );
    expect(m).toEqual({ to: 3, channel: 70000, kind: DATA_BUFFER, a: 12, b: 4, bytes: Uint8Array.of(9, 8, 7) });
    expect(m.bytes?.byteOffset).toBe(0); // its own buffer, so that it can be moved to a thread
    const c = decodeDataFrame(Buffer.from(encodeDataFrame({ to: 0, channel: 1, kind: DATA_CREDIT, a: 2, b: 0 })));
    expect(c).toEqual({ to: 0, channel: 1, kind: DATA_CREDIT, a: 2, b: 0 });
  });
});
