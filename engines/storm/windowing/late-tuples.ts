/**
 * What a windowed bolt does with a late tuple (one whose timestamp is below its last watermark): Storm's
 * `WindowedBoltExecutor` emits it on the late tuple stream when one is configured (`withLateTupleStream`,
 * here `storm.lateTupleStream`), anchored to it, and otherwise only logs it; either way it is acked at once,
 * and never reaches a window. Without a late stream it is counted as dropped here; with one, where the
 * stream is consumed.
 */
import type { MetricsRecorder } from '../../api/index.js';
import type { Tuple } from '../executor/tuple.js';
import type { OutputCollector } from '../topology/components.js';

/** What travels on the late tuple stream: a copy of the late tuple detached from the topology (Storm's `DetachedTuple`). */
export interface DetachedTuple {
  readonly value: unknown;
  /** Its timestamp (ms). */
  readonly timestamp: number;
  readonly sourceTask: number;
}

export class LateTuples {
  /** Late tuples seen. */
  count = 0;

  /**
   * @param stream the late tuple stream, or null to count late tuples as dropped
   * @param operator the dataflow operator the bolt runs (late records are counted under it)
   */
  constructor(
    private readonly collector: OutputCollector,
    readonly stream: string | null,
    private readonly operator: string,
    private readonly metrics: MetricsRecorder,
  ) {}

  handle(t: Tuple): void {
    this.count++;
    if (this.stream !== null) {
      const detached: DetachedTuple = { value: t.value, timestamp: t.eventTime, sourceTask: t.srcTask };
      this.collector.emit(t, detached, t.eventTime, t.emitTime, t.ingestTime, this.stream);
    } else {
      this.metrics.lateRecordsDropped(this.operator, 1);
    }
    this.collector.ack(t);
  }
}
