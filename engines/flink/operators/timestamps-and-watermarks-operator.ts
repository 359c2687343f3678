/**
 * Flink's `TimestampsAndWatermarksOperator` with `BoundedOutOfOrdernessWatermarks`: assigns each record's
 * event time and tracks the highest one seen; a periodic processing-time timer (every
 * `flink.watermarkInterval` ms, Flink's auto-watermark interval) emits `maxSeen - maxDelay - 1` when it
 * has advanced. Watermarks from upstream are swallowed, except the final MAX watermark, which is
 * forwarded so that the end of a bounded input still reaches every window. As in Flink, the generator
 * is not part of a checkpoint: a restored job starts its watermarks afresh.
 */
import { MAX_WATERMARK, MIN_WATERMARK, type Cancellable } from '../../api/index.js';
import { BoundedOutOfOrderness } from '../../operators/index.js';
import { StreamOperator, type OperatorContext } from './stream-operator.js';

export class TimestampsAndWatermarksOperator extends StreamOperator {
  private readonly generator: BoundedOutOfOrderness;
  private lastEmitted = MIN_WATERMARK;
  private timer: Cancellable | undefined;
  /** Watermarks emitted. */
  watermarks = 0;

  constructor(
    id: number,
    name: string,
    private readonly fn: (value: any) => number,
    maxDelay: number,
  ) {
    super(id, name);
    this.generator = new BoundedOutOfOrderness(maxDelay);
  }

  override open(ctx: OperatorContext): void {
    this.timer = ctx.timers.periodic(ctx.config.watermarkInterval, this.onPeriodicEmit);
  }

  collect(value: unknown, _eventTime: number, emitTime: number, ingestTime: number): void {
    const t = this.fn(value);
    this.generator.observe(t);
    this.output.collect(value, t, emitTime, ingestTime);
  }

  override emitWatermark(watermark: number): void {
    if (watermark !== MAX_WATERMARK) return;
    this.timer?.cancel();
    this.emit(MAX_WATERMARK);
  }

  private readonly onPeriodicEmit = (): void => {
    const wm = this.generator.current;
    if (wm > this.lastEmitted) this.emit(wm);
  };

  private emit(watermark: number): void {
    if (watermark <= this.lastEmitted) return;
    this.lastEmitted = watermark;
    this.watermarks++;
    this.output.emitWatermark(watermark);
  }

  override finish(): void {
    this.timer?.cancel();
  }
}
