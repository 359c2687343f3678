/**
 * Seeded random test inputs: the project's one PRNG (mulberry32, `SeededRandom` in engines/api). Tests that
 * compare an engine with the reference engine feed both the same drawn input, so the generator needs only
 * to be reproducible; its own behaviour is pinned by test/engines/api/shared-helpers.test.ts.
 */
import { SeededRandom } from '../../engines/api/index.js';

export type TestRandom = SeededRandom;

/** A generator for `seed`: the same seed draws the same values on every run. */
export function prng(seed: number): TestRandom {
  return new SeededRandom(seed);
}

/** The generator's `next` alone: uniform in [0, 1), for tests that only need numbers. */
export function uniform(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}
