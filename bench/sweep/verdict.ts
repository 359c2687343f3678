/**
 * Whether an engine sustained an offered load, judged from a trial's time series (Karimov et al., ICDE 2018:
 * sustainable throughput is the highest load at which the system keeps up without ever-growing latency):
 * - the log backlog must not keep growing: its slope, measured between the peaks of the first and the last
 *   third of the measurement window, must be at most 1 % of the offered rate. Peaks, not a least-squares
 *   line: a micro-batch engine's backlog is a sawtooth (it fills for an interval, then empties), and a fit
 *   over a sawtooth depends on where the window starts and ends in the batch cycle; its peaks do not;
 * - event-time latency must not keep rising: the median of the per-sample latency in the last third of the
 *   window may exceed that of the first third by at most max(10 ms, 50 % of the window's median) (this
 *   catches both a steady climb and a step up during the window, but not noise around a level; the whole
 *   window's median is the scale because a third may hold only a couple of a micro-batch engine's samples).
 */
import { max, median } from 'simple-statistics';
import type { TimeseriesSample } from '../../reports/schema.js';

export interface VerdictThresholds {
  /** Highest tolerated backlog slope as a fraction of the offered rate. */
  backlogSlopeFraction: number;
  /** Tolerated latency growth (ms) when latency is low. */
  latencyGrowthFloorMs: number;
  /** Tolerated latency growth as a fraction of the window's median latency. */
  latencyGrowthFraction: number;
  /** Fewer measured samples than this cannot be judged. */
  minSamples: number;
}

export const DEFAULT_THRESHOLDS: VerdictThresholds = {
  backlogSlopeFraction: 0.01,
  latencyGrowthFloorMs: 10,
  latencyGrowthFraction: 0.5,
  minSamples: 6,
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
 * Judges one trial at `offeredRate` events/s. A driver that cannot produce the offered rate shows up as
 * rising event-time latency (its lag is part of it), an engine that cannot read it as a growing backlog.
 */
export function judge(samples: readonly TimeseriesSample[], offeredRate: number, t: VerdictThresholds = DEFAULT_THRESHOLDS): Verdict {
  const measured = samples.filter((s) => s.phase === 'measure');
  if (measured.length < t.minSamples) {
    return {
      sustained: false,
      backlogSlope: Number.NaN,
      latencyGrowthMs: Number.NaN,
      reason: `only ${measured.length} samples in the measurement window (need ${t.minSamples}): run longer`,
    };
  }
  const third = Math.max(1, Math.floor(measured.length / 3));
  const head = measured.slice(0, third);
  const tail = measured.slice(-third);
  const centre = (xs: readonly TimeseriesSample[]) => (xs[0].t + xs[xs.length - 1].t) / 2;
  const backlogSlope = (max(tail.map((s) => s.backlog)) - max(head.map((s) => s.backlog))) / (centre(tail) - centre(head));
  const latencies = measured.map((s) => s.latency?.p50).filter((v): v is number => v !== undefined);
  let latencyGrowthMs = 0;
  let level = Number.NaN;
  if (latencies.length >= 3) {
    const n = Math.max(1, Math.floor(latencies.length / 3));
    latencyGrowthMs = median(latencies.slice(-n)) - median(latencies.slice(0, n));
    level = median(latencies);
  }
  const slopeLimit = t.backlogSlopeFraction * offeredRate;
  const growthLimit = Math.max(t.latencyGrowthFloorMs, Number.isFinite(level) ? t.latencyGrowthFraction * level : 0);
  const figures = `backlog slope ${fmt(backlogSlope)} ev/s (limit ${fmt(slopeLimit)}), latency growth ${fmt(latencyGrowthMs)} ms (limit ${fmt(growthLimit)})`;
  if (backlogSlope > slopeLimit) return { sustained: false, backlogSlope, latencyGrowthMs, reason: `backlog keeps growing: ${figures}` };
  if (latencyGrowthMs > growthLimit) return { sustained: false, backlogSlope, latencyGrowthMs, reason: `latency keeps rising: ${figures}` };
  return { sustained: true, backlogSlope, latencyGrowthMs, reason: `kept up: ${figures}` };
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1);
}
