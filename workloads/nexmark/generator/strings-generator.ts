/**
 * Nexmark's `StringsGenerator` and `PriceGenerator`. `extra` padding (the bulk of every event's bytes) is
 * cut from a pool of random letters made once per generator, so that padding costs a substring and not a
 * random draw per character: the generator must not be what limits a run.
 */
import type { SeededRandom } from '../../generators/index.js';

const MIN_STRING_LENGTH = 3;
const POOL_SIZE = 1 << 16;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export class StringsGenerator {
  private readonly pool: string;

  constructor(private readonly random: SeededRandom) {
    let pool = '';
    for (let i = 0; i < POOL_SIZE; i++) pool += LETTERS[random.int(26)];
    this.pool = pool;
  }

  /** A random string of 3..maxLength-1 letters with about one `special` in 13, trimmed (`nextString`). */
  nextString(maxLength: number, special = ' '): string {
    let len = MIN_STRING_LENGTH + this.random.int(maxLength - MIN_STRING_LENGTH);
    let s = '';
    while (len-- > 0) s += this.random.int(13) === 0 ? special : LETTERS[this.random.int(26)];
    return special === ' ' ? s.trim() : s;
  }

  /** Exactly `length` random letters (`nextExactString`). */
  nextExactString(length: number): string {
    if (length <= 0) return '';
    const n = Math.min(length, POOL_SIZE);
    const at = this.random.int(POOL_SIZE - n + 1);
    return this.pool.substring(at, at + n);
  }

  /** Padding such that `currentSize` + its length is `desiredAverageSize` on average, +-20 % (`nextExtra`). */
  nextExtra(currentSize: number, desiredAverageSize: number): string {
    if (currentSize > desiredAverageSize) return '';
    const desired = desiredAverageSize - currentSize;
    const delta = Math.round(desired * 0.2);
    const minSize = desired - delta;
    return this.nextExactString(minSize + (delta === 0 ? 0 : this.random.int(2 * delta)));
  }
}

/** A price in cents, log-uniform between 100 and 100 000 000 (`PriceGenerator.nextPrice`). */
export function nextPrice(random: SeededRandom): number {
  return Math.round(Math.pow(10, random.next() * 6) * 100);
}
