/**
 * Watermark bookkeeping shared by every engine: generation by bounded out-of-orderness where timestamps
 * are assigned, and the minimum over input channels downstream (Flink's StatusWatermarkValve).
 */
import { boundedOutOfOrderness, MIN_WATERMARK } from '../api/index.js';

/** Tracks the highest event time seen and derives the watermark from it. */
export class BoundedOutOfOrderness {
  private maxSeen = Number.NEGATIVE_INFINITY;

  constructor(readonly maxDelay: number) {}

  /** Records an event time; returns true when the watermark moved. */
  observe(eventTime: number): boolean {
    if (eventTime <= this.maxSeen) return false;
    this.maxSeen = eventTime;
    return true;
  }

  get current(): number {
    return this.maxSeen === Number.NEGATIVE_INFINITY ? MIN_WATERMARK : boundedOutOfOrderness(this.maxSeen, this.maxDelay);
  }

  /** The highest event time seen (-Infinity before any): all a checkpoint needs to restore it. */
  get maxSeenEventTime(): number {
    return this.maxSeen;
  }

  restore(maxSeenEventTime: number): void {
    this.maxSeen = maxSeenEventTime;
  }
}

/** The minimum watermark over a fixed number of input channels. */
export class WatermarkValve {
  private readonly channels: Float64Array;
  private combined = MIN_WATERMARK;

  constructor(channelCount: number) {
    this.channels = new Float64Array(channelCount).fill(MIN_WATERMARK);
  }

  /** Records a channel's watermark; returns the new combined watermark if it advanced, else undefined. */
  update(channel: number, watermark: number): number | undefined {
    if (watermark <= this.channels[channel]) return undefined;
    this.channels[channel] = watermark;
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.channels.length; i++) if (this.channels[i] < min) min = this.channels[i];
    if (min <= this.combined) return undefined;
    this.combined = min;
    return min;
  }

  get current(): number {
    return this.combined;
  }
}
