/**
 * When a fault's recovery ended, read from the trial's time series: the first sample after the engine
 * restarted (for a stall: after the pause) in which the engine reads at least 90 % of the offered rate,
 * its backlog is no larger than in the sample before, and the interval's p99 latency is back under the
 * pre-fault p99 (the highest per-sample p99 of the measured samples before the fault). Times are ms from
 * the start of the load.
 */
import type { FaultEvent } from '../../engines/api/index.js';
import type { TimeseriesSample } from '../../reports/schema.js';

/** A sample at least this fraction of the offered rate is "at the offered rate". */
export const OFFERED_RATE_FRACTION = 0.9;

export interface FaultTimeline {
  readonly detectedMs: number | null;
  readonly restartedMs: number | null;
  readonly recoveredMs: number | null;
  /** Highest latency of any sample from the fault to the recovery (or the end). */
  readonly maxLatencyMs: number | null;
  /** The threshold recovery was measured against. */
  readonly preFaultP99Ms: number | null;
}

export function faultTimeline(
  atMs: number,
  events: readonly FaultEvent[],
  samples: readonly TimeseriesSample[],
  t0: number,
  offeredPerSec: number | undefined,
): FaultTimeline {
  const rel = (e: FaultEvent | undefined) => (e === undefined ? null : Math.round((e.timeMs - t0) * 10) / 10);
  const detected = rel(events.find((e) => e.type === 'detected'));
  const failed = events.some((e) => e.type === 'failed');
  const restartedEvent = events.find((e) => e.type === 'restarted');
  const restarted = rel(restartedEvent) ?? (events.every((e) => e.type !== 'restarted') ? detected : null);
  const before = samples.filter((s) => s.t * 1000 <= atMs && s.latency !== null);
  const measured = before.filter((s) => s.phase === 'measure');
  const base = (measured.length > 0 ? measured : before).map((s) => (s.latency as { p99: number }).p99);
  const preFaultP99 = base.length > 0 ? Math.max(...base) : null;
  let recovered: number | null = null;
  if (!failed && restarted !== null) {
    for (let i = 1; i < samples.length; i++) {
      const s = samples[i];
      if (s.t * 1000 <= restarted || s.latency === null) continue;
      const rateOk = offeredPerSec === undefined || s.inputEventsPerSec >= OFFERED_RATE_FRACTION * offeredPerSec || s.phase === 'drain';
      const backlogOk = s.backlog <= samples[i - 1].backlog;
      const latencyOk = preFaultP99 === null || s.latency.p99 <= preFaultP99;
      if (rateOk && backlogOk && latencyOk) {
        recovered = Math.round(s.t * 1000);
        break;
      }
    }
  }
  let maxLatency: number | null = null;
  for (const s of samples) {
    if (s.t * 1000 < atMs || s.latency === null) continue;
    if (recovered !== null && s.t * 1000 > recovered) break;
    maxLatency = Math.max(maxLatency ?? 0, s.latency.max);
  }
  return { detectedMs: detected, restartedMs: restarted, recoveredMs: recovered, maxLatencyMs: maxLatency, preFaultP99Ms: preFaultP99 };
}
