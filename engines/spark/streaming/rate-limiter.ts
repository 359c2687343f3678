/**
 * The receiver's rate limiter (Guava's SmoothBursty RateLimiter under Spark's receiver RateLimiter):
 * permits accrue at `rate` per second, at most one second's worth is stored, and a receiver that has
 * none left waits until the next one accrues. `rate` Infinity means unlimited.
 */
export class RateLimiter {
  private rate: number;
  private stored: number;
  private last = Number.NaN;

  constructor(ratePerSec: number) {
    this.rate = ratePerSec;
    this.stored = Number.isFinite(ratePerSec) ? 0 : Infinity;
  }

  get ratePerSec(): number {
    return this.rate;
  }

  /** Changes the rate (records/s; Infinity = unlimited). */
  setRate(ratePerSec: number): void {
    this.rate = ratePerSec;
    if (!Number.isFinite(ratePerSec)) this.stored = Infinity;
    else if (this.stored > ratePerSec) this.stored = ratePerSec;
  }

  /** Takes up to `wanted` permits at `now` (ms); returns how many were granted. */
  acquire(wanted: number, now: number): number {
    if (!Number.isFinite(this.rate)) return wanted;
    if (Number.isNaN(this.last)) this.last = now;
    if (!Number.isFinite(this.stored)) this.stored = 0;
    this.stored = Math.min(this.rate, this.stored + ((now - this.last) * this.rate) / 1000);
    this.last = now;
    // The epsilon absorbs rounding in `elapsed * rate`, so a permit due now is granted now.
    const granted = Math.min(wanted, Math.floor(this.stored + 1e-9));
    this.stored = Math.max(0, this.stored - granted);
    return granted;
  }

  /** Gives back `n` permits acquired but not used. */
  release(n: number): void {
    if (n > 0 && Number.isFinite(this.stored)) this.stored = Math.min(this.rate, this.stored + n);
  }

  /** When (ms) the next whole permit will be available. */
  nextPermitAt(now: number): number {
    const missing = 1 - this.stored;
    // At least a microsecond ahead: a wake-up due at `now` itself would spin without time passing.
    return now + Math.max(0.001, (missing * 1000) / this.rate);
  }
}
