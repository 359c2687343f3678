/**
 * Key groups, as Flink's `KeyGroupRangeAssignment`: a keyed operator's state is split into
 * `maxParallelism` key groups, the atomic unit of state (and of rescaling); each subtask owns a contiguous
 * range of them. A key's group is a good hash of the key modulo max parallelism; records are routed to the
 * subtask that owns their key group, and the keyed state backend files them under that group.
 */
import type { Key } from '../../api/index.js';
import { hashKey } from '../../runtime/index.js';
import { UPPER_BOUND_MAX_PARALLELISM } from '../options.js';

/** `KeyGroupRangeAssignment.DEFAULT_LOWER_BOUND_MAX_PARALLELISM` (1 << 7). */
export const DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 128;

/** The smallest power of two >= x (x >= 1). */
export function roundUpToPowerOfTwo(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}

/**
 * Flink's default max parallelism for an operator of parallelism `p`:
 * `min(max(roundUpToPowerOfTwo(p + p / 2), 128), 32768)` (integer division, as in Java).
 */
export function computeDefaultMaxParallelism(parallelism: number): number {
  return Math.min(
    Math.max(roundUpToPowerOfTwo(parallelism + Math.floor(parallelism / 2)), DEFAULT_LOWER_BOUND_MAX_PARALLELISM),
    UPPER_BOUND_MAX_PARALLELISM,
  );
}

/** The key group of `key`: the shared murmur-style key hash modulo max parallelism. */
export function assignToKeyGroup(key: Key, maxParallelism: number): number {
  return hashKey(key) % maxParallelism;
}

/** The subtask (operator index) that owns `keyGroup`: `keyGroup * parallelism / maxParallelism`. */
export function computeOperatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/** The subtask that processes `key`. */
export function assignKeyToParallelOperator(key: Key, maxParallelism: number, parallelism: number): number {
  return computeOperatorIndexForKeyGroup(maxParallelism, parallelism, assignToKeyGroup(key, maxParallelism));
}

/** An inclusive range of key groups `[start, end]`; empty when end < start. */
export interface KeyGroupRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The key groups subtask `operatorIndex` of `parallelism` owns:
 * `[ceil(i * maxP / p), floor(((i + 1) * maxP - 1) / p)]`.
 */
export function computeKeyGroupRangeForOperatorIndex(maxParallelism: number, parallelism: number, operatorIndex: number): KeyGroupRange {
  if (parallelism > maxParallelism) throw new RangeError(`parallelism ${parallelism} is above max parallelism ${maxParallelism}`);
  return {
    start: Math.floor((operatorIndex * maxParallelism + parallelism - 1) / parallelism),
    end: Math.floor(((operatorIndex + 1) * maxParallelism - 1) / parallelism),
  };
}

/** Number of key groups in a range. */
export function keyGroupCount(range: KeyGroupRange): number {
  return Math.max(0, range.end - range.start + 1);
}
