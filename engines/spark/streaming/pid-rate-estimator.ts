/**
 * Spark's PIDRateEstimator (streaming/scheduler/rate/PIDRateEstimator.scala), term for term. Evaluated
 * when a batch completes; the rate is in records per second for the whole input stream:
 *
 *   delaySinceUpdate = (time - latestTime) / 1000                         s
 *   processingRate   = numElements / processingDelay * 1000               records/s
 *   error            = latestRate - processingRate
 *   historicalError  = schedulingDelay * processingRate / batchIntervalMs
 *   dError           = (error - latestError) / delaySinceUpdate
 *   newRate = max(minRate, latestRate - kp * error - ki * historicalError - kd * dError)
 *
 * Nothing is computed unless `time > latestTime && numElements > 0 && processingDelay > 0`; the first
 * computation only initialises `latestRate = processingRate` and `latestError = 0` and returns undefined.
 */
export interface PIDGains {
  readonly proportional: number;
  readonly integral: number;
  readonly derived: number;
  /** records/s; the estimate never goes below it. */
  readonly minRate: number;
}

/** Spark's defaults (spark.streaming.backpressure.pid.*). */
export const DEFAULT_PID_GAINS: PIDGains = { proportional: 1.0, integral: 0.2, derived: 0.0, minRate: 100 };

export class PIDRateEstimator {
  private firstRun = true;
  private latestTime = -1;
  private latestRate = -1;
  private latestError = -1;

  constructor(
    private readonly batchIntervalMs: number,
    private readonly gains: PIDGains = DEFAULT_PID_GAINS,
  ) {
    if (!(batchIntervalMs > 0)) throw new Error(`Specified batch interval ${batchIntervalMs} in PIDRateEstimator is invalid.`);
    if (!(gains.proportional >= 0)) throw new Error(`Proportional term ${gains.proportional} in PIDRateEstimator should be >= 0.`);
    if (!(gains.integral >= 0)) throw new Error(`Integral term ${gains.integral} in PIDRateEstimator should be >= 0.`);
    if (!(gains.derived >= 0)) throw new Error(`Derivative term ${gains.derived} in PIDRateEstimator should be >= 0.`);
    if (!(gains.minRate > 0)) throw new Error(`Minimum rate in PIDRateEstimator should be > 0`);
  }

  /**
   * @param time the batch time (ms)
   * @param numElements records the batch processed
   * @param processingDelay ms the batch's jobs ran
   * @param schedulingDelay ms the batch waited before its first job started
   * @returns the new rate limit (records/s), or undefined when there is none yet
   */
  compute(time: number, numElements: number, processingDelay: number, schedulingDelay: number): number | undefined {
    if (!(time > this.latestTime && numElements > 0 && processingDelay > 0)) return undefined;
    const delaySinceUpdate = (time - this.latestTime) / 1000;
    const processingRate = (numElements / processingDelay) * 1000;
    const error = this.latestRate - processingRate;
    const historicalError = (schedulingDelay * processingRate) / this.batchIntervalMs;
    const dError = (error - this.latestError) / delaySinceUpdate;
    const { proportional, integral, derived, minRate } = this.gains;
    const newRate = Math.max(minRate, this.latestRate - proportional * error - integral * historicalError - derived * dError);
    this.latestTime = time;
    if (this.firstRun) {
      this.latestRate = processingRate;
      this.latestError = 0;
      this.firstRun = false;
      return undefined;
    }
    this.latestRate = newRate;
    this.latestError = error;
    return newRate;
  }
}
