/**
 * The RateController of an input stream (a StreamingListener in Spark): when a batch completes, it feeds
 * the batch's size and delays to the rate estimator and publishes a new rate limit to the input (the
 * direct stream's per-batch offset limit, or the receivers' rate limiters).
 */
import type { BatchContext } from './batch.js';
import type { PIDRateEstimator } from './pid-rate-estimator.js';

export class RateController {
  private latestRate = -1;
  /** Every published rate: `{time, ratePerSec}`. */
  readonly history: { time: number; ratePerSec: number }[] = [];

  constructor(
    private readonly estimator: PIDRateEstimator,
    private readonly publish: (ratePerSec: number) => void,
  ) {}

  onBatchCompleted(batch: BatchContext): void {
    const rate = this.estimator.compute(batch.time, batch.records, batch.processingDelay, batch.schedulingDelay);
    if (rate === undefined) return;
    this.latestRate = rate;
    this.history.push({ time: batch.time, ratePerSec: rate });
    if (this.history.length > 1000) this.history.shift();
    this.publish(rate);
  }

  /** The last published rate (records/s), -1 before any. */
  getLatestRate(): number {
    return this.latestRate;
  }
}
