/**
 * Storm's trigger policy for event-time windows sliding by a duration, `WatermarkTimeTriggerPolicy`: on
 * each watermark event it evaluates, in order, every window whose end is at or below the watermark. For
 * each it sets the eviction policy's reference time to the window's end and has the window manager
 * evaluate it; the next window ends one sliding interval later. When a window held no event, the next
 * end is found from the events instead (the earliest timestamp after it, aligned), so that gaps in event
 * time are skipped rather than stepped through.
 *
 * Window ends are inclusive (a window is `(end - length, end]`, Storm's convention). Storm aligns ends to
 * multiples of the sliding interval; here `end + 1` is, so that the windows are exactly the project's
 * `[start, start + length)` with `start` a multiple of the slide (an event at a multiple of the slide opens
 * its window rather than closing the previous one). The first end is -Infinity rather than Storm's 0, for
 * the same reason as the generator's first watermark.
 */
import type { WatermarkTimeEvictionPolicy } from './eviction-policy.js';

/** What the trigger policy asks of the window manager (Storm's `TriggerHandler` and the scans it offers). */
export interface TriggerTarget {
  /** Evaluates the window ending at the eviction policy's reference time; false when it held no event. */
  onTrigger(): boolean;
  /** The earliest event timestamp in `(after, upTo]` (ms), Infinity when there is none. */
  earliestEventTs(after: number, upTo: number): number;
  /** Events with a timestamp at or below `referenceTime` (Storm counts them for every window it evaluates). */
  eventCount(referenceTime: number): number;
}

export class WatermarkTimeTriggerPolicy {
  private nextWindowEnd = Number.NEGATIVE_INFINITY;
  /** Windows evaluated, with or without events. */
  evaluated = 0;

  /** @param slidingIntervalMs the sliding interval (ms; the window length for tumbling windows) */
  constructor(
    readonly slidingIntervalMs: number,
    private readonly target: TriggerTarget,
    private readonly eviction: WatermarkTimeEvictionPolicy,
  ) {}

  /** A watermark event (ms): evaluates every window ending at or below it. */
  onWatermark(watermark: number): void {
    let end = this.nextWindowEnd;
    while (end <= watermark) {
      // Storm computes the window's event count for the eviction context (count policies use it): a scan.
      this.target.eventCount(end);
      this.eviction.setContext(end);
      this.evaluated++;
      if (this.target.onTrigger()) {
        end += this.slidingIntervalMs;
        continue;
      }
      const next = this.nextAlignedWindowEnd(end, watermark);
      if (next === Number.POSITIVE_INFINITY) break;
      end = next;
    }
    this.nextWindowEnd = end;
  }

  /** The end of the first window holding the earliest event in `(after, upTo]`, or Infinity. */
  private nextAlignedWindowEnd(after: number, upTo: number): number {
    const ts = this.target.earliestEventTs(after, upTo);
    if (ts === Number.POSITIVE_INFINITY) return ts;
    const slide = this.slidingIntervalMs;
    return Math.ceil((ts + 1) / slide) * slide - 1;
  }

  /** The end of the next window to evaluate (ms). */
  get nextEnd(): number {
    return this.nextWindowEnd;
  }
}
