/**
 * `storm.windowing=incremental` only: periodic watermarks generated where timestamps are assigned, as
 * Flink's periodic watermark generators do (Storm computes them inside each windowed bolt instead, see
 * windowing/). Tracks the highest event time seen and, every watermark interval, emits a watermark of
 * `maxSeen - maxDelay - 1` (bounded out-of-orderness, the project's semantics) if it has advanced.
 * Watermarks travel as tuples on a system stream to every downstream task; a task's watermark is the
 * minimum over its input channels.
 */
import { BoundedOutOfOrderness } from '../../../operators/index.js';
import type { PeriodicTimer } from '../../../runtime/index.js';
import type { TopologyContext } from '../../topology/components.js';

export class PeriodicWatermarks {
  private readonly bound: BoundedOutOfOrderness;
  private lastEmitted = Number.NEGATIVE_INFINITY;
  private timer: PeriodicTimer | undefined;
  emitted = 0;

  constructor(
    maxDelay: number,
    private readonly intervalMs: number,
    private readonly emit: (watermark: number) => void,
  ) {
    this.bound = new BoundedOutOfOrderness(maxDelay);
  }

  start(context: TopologyContext): void {
    this.timer = context.timers.periodic(this.intervalMs, this.tick);
  }

  /** Records a tuple's event time. */
  track(eventTime: number): void {
    this.bound.observe(eventTime);
  }

  private readonly tick = (): void => {
    const wm = this.bound.current;
    if (wm <= this.lastEmitted) return;
    this.lastEmitted = wm;
    this.emitted++;
    this.emit(wm);
  };

  stop(): void {
    this.timer?.cancel();
  }
}
