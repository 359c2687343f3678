/**
 * `storm.windowing=incremental` only: `withTimestamps` as a bolt of its own that assigns each tuple its
 * event time and broadcasts this task's watermarks as tuples ({@link PeriodicWatermarks}), Flink's
 * mechanism rather than Storm's. Watermarks from upstream stop here (a new assigner replaces them).
 */
import type { Tuple } from '../../executor/tuple.js';
import type { IBolt, OutputCollector, TopologyContext } from '../../topology/components.js';
import { PeriodicWatermarks } from './periodic-watermarks.js';

export class WatermarkTuplesBolt implements IBolt {
  readonly autoAck = true;
  readonly generatesWatermarks = true;
  private collector!: OutputCollector;
  private generator!: PeriodicWatermarks;

  constructor(
    private readonly fn: (value: any) => number,
    private readonly maxDelay: number,
    private readonly intervalMs: number,
  ) {}

  prepare(context: TopologyContext, collector: OutputCollector): void {
    this.collector = collector;
    this.generator = new PeriodicWatermarks(this.maxDelay, this.intervalMs, (wm) => collector.emitWatermark(wm));
    this.generator.start(context);
  }

  execute(t: Tuple): void {
    const et = this.fn(t.value);
    this.generator.track(et);
    this.collector.emit(t, t.value, et, t.emitTime, t.ingestTime);
  }

  onEndOfInput(): void {
    this.generator.stop();
  }
}
