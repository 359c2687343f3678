/**
 * The one hash of a {@link Key} that every engine partitions by (Flink's key groups, Spark's
 * HashPartitioner, Storm's fields grouping): 32-bit MurmurHash3-style mixing of the key's string form for
 * strings and of its float64 bits for numbers, so that `'1'` and `1` hash apart and the spread is good
 * for sequential ids.
 */
import type { Key } from '../api/index.js';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** An unsigned 32-bit hash of a key. */
export function hashKey(key: Key): number {
  if (typeof key === 'number') {
    f64[0] = key === 0 ? 0 : key; // -0 and 0 are the same key
    return finish(mix(mix(0x2f1a5c3d, u32[0]), u32[1]), 8);
  }
  let h = 0x9747b28c;
  const n = key.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = mix(h, key.charCodeAt(i) | (key.charCodeAt(i + 1) << 16));
  if (i < n) h = mix(h, key.charCodeAt(i));
  return finish(h, n);
}

/** The partition of `key` among `partitions` (0-based). */
export function partitionOf(key: Key, partitions: number): number {
  return hashKey(key) % partitions;
}
