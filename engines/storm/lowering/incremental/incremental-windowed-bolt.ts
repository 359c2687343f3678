/**
 * `storm.windowing=incremental`, a non-Storm optimisation kept for comparison: keyed event-time windows
 * aggregated incrementally on the project's shared window state (`WindowAggregation`, `WindowJoin`) and
 * driven by watermark tuples, as Flink's window operator is. Storm's `WindowedBoltExecutor` holds every
 * tuple instead (windowing/).
 *
 * - Each input tuple goes into the state of its key; a tuple whose every window has already fired is late:
 *   dropped, counted, and acked at once.
 * - Acks are held until the tuple expires: when the watermark passes the end of the last window it belongs
 *   to (a session: the end of its own gap), as Storm acks window tuples on expiry; the executor sends
 *   expired acks a budget at a time.
 * - When the task's watermark advances, closed windows fire. Their results are emitted unanchored: Storm
 *   anchors each result to every tuple of the window, which costs one XOR per (result, tuple) pair; here
 *   the tuple trees end at the window instead.
 */
import { MAX_WATERMARK, MIN_WATERMARK, type Key, type KeySelector, type MetricsRecorder, type WindowSpec } from '../../../api/index.js';
import { slideOf } from '../../../api/index.js';
import type { KeyedWindows } from '../../../operators/index.js';
import type { Tuple } from '../../executor/tuple.js';
import type { IBolt, OutputCollector, TopologyContext } from '../../topology/components.js';
import { ExpiringAcks } from './expiring-acks.js';

export class IncrementalWindowedBolt implements IBolt {
  readonly autoAck = false;
  private collector!: OutputCollector;
  private acks: ExpiringAcks | null = null;
  private watermark = MIN_WATERMARK;
  lateRecordsDropped = 0;
  windowsFired = 0;

  /**
   * @param name the operator name (late records are counted under it)
   * @param keys the key selector of each input side
   */
  constructor(
    private readonly name: string,
    private readonly spec: WindowSpec,
    private readonly state: KeyedWindows<unknown>,
    private readonly keys: readonly KeySelector<any>[],
    private readonly metrics: MetricsRecorder,
  ) {}

  prepare(context: TopologyContext, collector: OutputCollector): void {
    this.collector = collector;
    if (context.ackersEnabled) this.acks = new ExpiringAcks(collector);
  }

  execute(t: Tuple): void {
    const side = t.stream;
    const key: Key = this.keys[side](t.value);
    if (!this.state.add(key, t.value, side, t.eventTime, t.emitTime, t.ingestTime, this.watermark)) {
      this.lateRecordsDropped++;
      this.metrics.lateRecordsDropped(this.name, 1);
      this.collector.ack(t);
      return;
    }
    if (this.acks === null) return;
    const expiry = this.expiry(t.eventTime);
    if (expiry <= this.watermark) this.collector.ack(t);
    else this.acks.hold(t, expiry);
  }

  /** The watermark at which every window holding a record of time `t` has fired (ms). */
  private expiry(t: number): number {
    const spec = this.spec;
    if (spec.kind === 'session') return t + spec.gap - 1;
    const slide = slideOf(spec);
    const newest = Math.floor(t / slide) * slide;
    // In a gap between sliding windows the record belongs to none: nothing to wait for.
    if (newest + spec.size <= t) return MIN_WATERMARK;
    return newest + spec.size - 1;
  }

  onWatermark(watermark: number): void {
    if (watermark <= this.watermark) return;
    this.watermark = watermark;
    this.windowsFired += this.state.advance(watermark, this.emitResult);
    this.acks?.release(watermark);
  }

  onEndOfInput(): void {
    this.onWatermark(MAX_WATERMARK);
  }

  hasDeferred(): boolean {
    return this.acks !== null && this.acks.hasDue;
  }

  flushDeferred(max: number): number {
    return this.acks === null ? 0 : this.acks.flush(max);
  }

  private readonly emitResult = (value: unknown, eventTime: number, emitTime: number, ingestTime: number): void => {
    this.collector.emit(null, value, eventTime, emitTime, ingestTime);
  };
}
