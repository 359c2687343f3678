/**
 * YSB's own latency (`get-stats`, `updated.txt`): for every (campaign, window), the time of its last
 * update minus the window's end, one sample per window and campaign. The 2015 blog's
 * `window.final_event_latency = (last_updated_at - window.timestamp) - window.duration`. With the flush
 * sink the last update is the flush that wrote the final count; with the window sink, the one write at
 * the watermark. A window last updated before its end did not end during the run (the end of a bounded
 * input fires every open window): it is counted as truncated, not sampled.
 */

interface WindowUpdate {
  windowStart: number;
  windowEnd: number;
  lastUpdate: number;
  updates: number;
}

export interface YsbLatencySummary {
  /** (campaign, window) pairs sampled. */
  windows: number;
  /** Updates written in all (early firings included). */
  updates: number;
  /** Windows whose last update came before their end (cut off by the end of the run): not in the percentiles. */
  truncated: number;
  /** Last update minus window end, ms. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export class WindowUpdates {
  private readonly windows = new Map<string, WindowUpdate>();

  /** One sink record of `campaign`'s window `[windowStart, windowEnd)`, arriving at `nowMs`. */
  record(campaign: string, windowStart: number, windowEnd: number, nowMs: number): void {
    const id = `${campaign}\u0000${windowStart}`;
    const w = this.windows.get(id);
    if (w === undefined) this.windows.set(id, { windowStart, windowEnd, lastUpdate: nowMs, updates: 1 });
    else {
      if (nowMs > w.lastUpdate) w.lastUpdate = nowMs;
      w.updates++;
    }
  }

  /** The distribution over windows that start at or after `measureFrom` (ms; warm-up windows excluded). */
  summary(measureFrom = Number.NEGATIVE_INFINITY): YsbLatencySummary {
    const samples: number[] = [];
    let updates = 0;
    let truncated = 0;
    for (const w of this.windows.values()) {
      if (w.windowStart < measureFrom) continue;
      updates += w.updates;
      if (w.lastUpdate < w.windowEnd) truncated++;
      else samples.push(w.lastUpdate - w.windowEnd);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number) => (samples.length === 0 ? 0 : round(samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]));
    const mean = samples.length === 0 ? 0 : round(samples.reduce((a, b) => a + b, 0) / samples.length);
    return { windows: samples.length, updates, truncated, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), mean };
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
