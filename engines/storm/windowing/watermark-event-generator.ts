/**
 * Storm's `WaterMarkEventGenerator`, inside a windowed bolt: it tracks, per input stream of the bolt, the
 * largest tuple timestamp seen, and every `topology.bolts.watermark.event.interval.ms` (1 s by default)
 * computes the watermark as the minimum over the streams minus the lag (`withLag`), once every stream has
 * delivered something. A watermark above the last one goes to the window manager, whose trigger policy
 * fires the windows it closes. A tuple whose timestamp is below the last watermark is late.
 *
 * A stream is a subscription of the bolt (Storm's `GlobalStreamId`: component and stream), not an upstream
 * task: tuples from several upstream tasks share one maximum, so skew between them (partitions read at
 * different speeds) counts against the lag, unlike a per-channel minimum (Flink's).
 *
 * Storm runs it on its own scheduled thread; here it is a timer of the bolt's executor, run between tuples.
 * Storm's initial watermark is 0 (no tuple is late before the first one); here it is -Infinity, which is
 * the same for epoch timestamps and also holds for the small or negative times tests use.
 */
import { MIN_WATERMARK } from '../../api/index.js';
import type { PeriodicTimer, TimerService } from '../../runtime/index.js';

export class WaterMarkEventGenerator {
  /** Per input stream: the largest timestamp seen (ms), -Infinity before any. */
  private readonly maxSeen: Float64Array;
  private streamsSeen = 0;
  private last = MIN_WATERMARK;
  private timer: PeriodicTimer | undefined;
  /** Watermark events generated (each one above the previous). */
  generated = 0;

  /**
   * @param onWatermark where watermark events go (the window manager)
   * @param intervalMs how often the watermark is computed (ms)
   * @param lagMs how far tuple timestamps may be out of order (ms): the watermark is that far behind
   * @param streams the bolt's input streams
   */
  constructor(
    private readonly onWatermark: (watermark: number) => void,
    readonly intervalMs: number,
    readonly lagMs: number,
    streams: number,
  ) {
    this.maxSeen = new Float64Array(Math.max(1, streams)).fill(Number.NEGATIVE_INFINITY);
  }

  /** Records a tuple's timestamp (ms) on input `stream`; false when the tuple is late (below the last watermark). */
  track(stream: number, ts: number): boolean {
    const seen = this.maxSeen;
    if (ts > seen[stream]) {
      if (seen[stream] === Number.NEGATIVE_INFINITY) this.streamsSeen++;
      seen[stream] = ts;
    }
    return ts >= this.last;
  }

  /** Starts the periodic computation on the bolt's timers. */
  start(timers: TimerService): void {
    this.timer = timers.periodic(this.intervalMs, this.run);
  }

  /** One period: a watermark event if the watermark advanced. */
  readonly run = (): void => {
    const wm = this.compute();
    if (wm <= this.last) return;
    this.last = wm;
    this.generated++;
    this.onWatermark(wm);
  };

  /** The minimum over the streams of the largest timestamp, minus the lag; -Infinity until every stream has data. */
  private compute(): number {
    const seen = this.maxSeen;
    if (this.streamsSeen < seen.length) return MIN_WATERMARK;
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < seen.length; i++) if (seen[i] < min) min = seen[i];
    return min - this.lagMs;
  }

  /** The last watermark generated (ms). */
  get watermark(): number {
    return this.last;
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
