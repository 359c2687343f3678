/**
 * Random 64-bit tuple ids, as Storm's `MessageId.generateId` draws them: root ids for spout tuples and
 * edge ids for every (anchor, target task) pair. The XOR ledger relies on them being random: a tree's
 * value returns to zero only when every edge id has been XORed in exactly twice (a false zero has a
 * probability of 2^-64 per update).
 *
 * Ids are two signed 32-bit halves (no BigInt: a BigInt per tuple would cost an allocation and slow
 * arithmetic). The generator is xoshiro128**, seeded per executor, never yielding the id 0:0.
 */
export class MessageIdGenerator {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** @param seed any 32-bit integer; executors use distinct seeds. */
  constructor(seed: number) {
    // splitmix32 to spread the seed over the state (xoshiro must not start all-zero).
    let x = seed | 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next() | 1;
  }

  /** A random signed 32-bit integer. */
  next(): number {
    const s0 = this.s0,
      s1 = this.s1,
      s2 = this.s2,
      s3 = this.s3;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = (n3 << 11) | (n3 >>> 21);
    return result | 0;
  }

  /**
   * Draws a 64-bit id into `out[0]` (hi) and `out[1]` (lo), never 0:0 (the ledger's "complete" value and
   * the id tables' empty marker).
   */
  draw(out: Int32Array): void {
    let hi = this.next();
    let lo = this.next();
    while (hi === 0 && lo === 0) {
      hi = this.next();
      lo = this.next();
    }
    out[0] = hi;
    out[1] = lo;
  }

  /**
   * Draws `n` ids into `hi[0..n)` and `lo[0..n)`, as `n` calls of {@link draw} would (the same sequence),
   * with the generator's state in locals: what a multi-anchor emit needs, one id per anchor.
   */
  fill(hi: Int32Array, lo: Int32Array, n: number): void {
    let s0 = this.s0,
      s1 = this.s1,
      s2 = this.s2,
      s3 = this.s3;
    for (let i = 0; i < n; ) {
      let m = Math.imul(s1, 5);
      const h = Math.imul((m << 7) | (m >>> 25), 9) | 0;
      let t = s1 << 9;
      let n2 = s2 ^ s0;
      let n3 = s3 ^ s1;
      s1 ^= n2;
      s0 ^= n3;
      s2 = n2 ^ t;
      s3 = (n3 << 11) | (n3 >>> 21);
      m = Math.imul(s1, 5);
      const l = Math.imul((m << 7) | (m >>> 25), 9) | 0;
      t = s1 << 9;
      n2 = s2 ^ s0;
      n3 = s3 ^ s1;
      s1 ^= n2;
      s0 ^= n3;
      s2 = n2 ^ t;
      s3 = (n3 << 11) | (n3 >>> 21);
      if (h === 0 && l === 0) continue;
      hi[i] = h;
      lo[i] = l;
      i++;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }
}

/** `hi:lo` as 16 hex digits (for explain output and error messages). */
export function formatId(hi: number, lo: number): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}
