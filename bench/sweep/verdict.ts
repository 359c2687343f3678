/**
 * Whether an engine sustained an offered load, judged from a trial's time series (Karimov et al., ICDE 2018:
 * sustainable throughput is the highest load at which the system keeps up without ever-growing latency):
 * - the log backlog must not keep growing: its least-squares slope over the measurement window must be at
 *   most 1 % of the offered rate (a micro-batch engine's sawtooth averages out);
 * - event-time latency must not keep rising: the median of the per-sample latency in the last third of the
 *   window may exceed that of the first third by at most max(10 ms, 50 %) (this catches both a steady climb
 *   and a step up during the window, but not noise around a level);
 * - the input rate actually achieved must be within 5 % of the offered rate.
 */
import { linearRegression, median } from 'simple-statistics';
import type { Sample } from '../metrics/sampler.js';

export interface VerdictThresholds {
  /** Highest tolerated backlog slope as a fraction of the offered rate. */
  backlogSlopeFraction: number;
  /** Tolerated latency growth (ms) when latency is low. */
  latencyGrowthFloorMs: number;
  /** Tolerated latency growth as a fraction of the first third's median. */
  latencyGrowthFraction: number;
  /** Fewer measured samples than this cannot be judged. */
  minSamples: number;
  /** Tolerated shortfall of the achieved input rate below the offered rate (fraction). */
  achievedShortfall: number;
}

export const DEFAULT_THRESHOLDS: VerdictThresholds = {
  backlogSlopeFraction: 0.01,
  latencyGrowthFloorMs: 10,
  latencyGrowthFraction: 0.5,
  minSamples: 4,
  achievedShortfall: 0.05,
};

export interface Verdict {
  sustained: boolean;
  /** events/s */
  backlogSlope: number;
  /** ms: median latency of the last third minus that of the first */
  latencyGrowthMs: number;
  reason: string;
}

/**
 * Judges one trial at `offeredRate` events/s. `achievedRate` (input events/s over the measurement window)
 * must reach the offered rate within `achievedFraction` too: an engine, or a driver, that cannot even
 * read at the offered pace did not sustain it.
 */
export function judge(samples: readonly Sample[], offeredRate: number, achievedRate = offeredRate, t: VerdictThresholds = DEFAULT_THRESHOLDS): Verdict {
  const measured = samples.filter((s) => s.phase === 'measure');
  if (measured.length < t.minSamples) {
    return { sustained: false, backlogSlope: Number.NaN, latencyGrowthMs: Number.NaN, reason: `only ${measured.length} samples in the measurement window (need ${t.minSamples}): run longer` };
  }
  const { m: backlogSlope } = linearRegression(measured.map((s) => [s.t, s.backlog]));
  const latencies = measured.map((s) => s.latency?.p50).filter((v): v is number => v !== undefined);
  let latencyGrowthMs = 0;
  let first = Number.NaN;
  if (latencies.length >= 3) {
    const third = Math.max(1, Math.floor(latencies.length / 3));
    first = median(latencies.slice(0, third));
    latencyGrowthMs = median(latencies.slice(-third)) - first;
  }
  const slopeLimit = t.backlogSlopeFraction * offeredRate;
  const growthLimit = Math.max(t.latencyGrowthFloorMs, Number.isFinite(first) ? t.latencyGrowthFraction * first : 0);
  const figures = `backlog slope ${fmt(backlogSlope)} ev/s (limit ${fmt(slopeLimit)}), latency growth ${fmt(latencyGrowthMs)} ms (limit ${fmt(growthLimit)})`;
  if (achievedRate < (1 - t.achievedShortfall) * offeredRate) {
    return { sustained: false, backlogSlope, latencyGrowthMs, reason: `read only ${fmt(achievedRate)} of ${fmt(offeredRate)} ev/s offered; ${figures}` };
  }
  if (backlogSlope > slopeLimit) return { sustained: false, backlogSlope, latencyGrowthMs, reason: `backlog keeps growing: ${figures}` };
  if (latencyGrowthMs > growthLimit) return { sustained: false, backlogSlope, latencyGrowthMs, reason: `latency keeps rising: ${figures}` };
  return { sustained: true, backlogSlope, latencyGrowthMs, reason: `kept up: ${figures}` };
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1);
}
