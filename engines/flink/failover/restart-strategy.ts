/**
 * Flink's restart backoff strategies: whether a failed job may restart, and after how long.
 * - fixed-delay: `restartAttempts` restarts, each `restartDelay` after the failure;
 * - exponential-delay: unlimited restarts, the delay growing x1.5 from `restartDelay` up to 1 min (Flink
 *   also adds a 10 % jitter and resets the backoff after an hour without failures: not modelled);
 * - none: the first failure fails the job.
 */
import type { FlinkRecoveryConfig } from './recovery-options.js';

/** ExponentialDelayRestartBackoffTimeStrategy's defaults. */
export const EXPONENTIAL_MULTIPLIER = 1.5;
export const EXPONENTIAL_MAX_BACKOFF_MS = 60_000;

export class RestartStrategy {
  private failures = 0;

  constructor(private readonly config: FlinkRecoveryConfig) {}

  /** Restarts so far. */
  get restarts(): number {
    return this.failures;
  }

  /** Records a failure; returns the delay before the restart (ms), or undefined when the job must fail. */
  onFailure(): number | undefined {
    const c = this.config;
    if (c.restartStrategy === 'none') return undefined;
    if (c.restartStrategy === 'fixed-delay') {
      if (this.failures >= c.restartAttempts) return undefined;
      this.failures++;
      return c.restartDelay;
    }
    const delay = Math.min(EXPONENTIAL_MAX_BACKOFF_MS, c.restartDelay * EXPONENTIAL_MULTIPLIER ** this.failures);
    this.failures++;
    return delay;
  }

  describe(): string {
    const c = this.config;
    if (c.restartStrategy === 'none') return 'no restart';
    if (c.restartStrategy === 'fixed-delay') return `fixed-delay: ${c.restartAttempts} attempts, ${c.restartDelay} ms apart`;
    return `exponential-delay from ${c.restartDelay} ms (x${EXPONENTIAL_MULTIPLIER}, at most ${EXPONENTIAL_MAX_BACKOFF_MS} ms)`;
  }
}
