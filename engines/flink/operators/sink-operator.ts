/** Flink's `StreamSink`: hands every record to the run's sink writer of the same name. */
import type { SinkWriter } from '../../api/index.js';
import { StreamOperator, type OperatorContext } from './stream-operator.js';

export class StreamSink extends StreamOperator {
  private writer: SinkWriter | undefined;
  /** Records written. */
  records = 0;

  override open(ctx: OperatorContext): void {
    this.writer = ctx.io.sinks.get(this.name);
  }

  collect(value: unknown, _eventTime: number, emitTime: number, ingestTime: number): void {
    this.records++;
    (this.writer as SinkWriter).write(value, emitTime, ingestTime);
  }

  override emitWatermark(): void {}
}
