/**
 * The stateless operators of the dataflow as basic bolts (Storm's `IBasicBolt`): each emits anchored to
 * its input, and the executor acks the input once `execute` returns.
 *
 * A bolt may also set the timestamp field of what it emits (`stamp`): in Storm a tuple's event time is a
 * field the component that creates the tuple fills in, which a windowed bolt downstream reads
 * (`withTimestampField`). The dataflow's `withTimestamps` becomes that field of the component before it.
 */
import type { MetricsRecorder, SinkWriter } from '../../api/index.js';
import type { Tuple } from '../executor/tuple.js';
import type { IBolt, OutputCollector, TopologyContext } from '../topology/components.js';

abstract class BasicBolt implements IBolt {
  readonly autoAck = true;
  protected collector!: OutputCollector;

  prepare(_context: TopologyContext, collector: OutputCollector): void {
    this.collector = collector;
  }

  abstract execute(input: Tuple): void;
}

/** The event time of an emitted value (ms), computed from it. */
export type Stamp = (value: any) => number;

export class MapBolt extends BasicBolt {
  constructor(
    private readonly fn: (value: any) => unknown,
    private readonly stamp: Stamp | null = null,
  ) {
    super();
  }

  execute(t: Tuple): void {
    const out = this.fn(t.value);
    this.collector.emit(t, out, this.stamp === null ? t.eventTime : this.stamp(out), t.emitTime, t.ingestTime);
  }
}

export class FlatMapBolt extends BasicBolt {
  constructor(
    private readonly fn: (value: any) => Iterable<unknown>,
    private readonly stamp: Stamp | null = null,
  ) {
    super();
  }

  execute(t: Tuple): void {
    const c = this.collector;
    const stamp = this.stamp;
    const out = this.fn(t.value);
    if (Array.isArray(out)) {
      for (let i = 0; i < out.length; i++) c.emit(t, out[i], stamp === null ? t.eventTime : stamp(out[i]), t.emitTime, t.ingestTime);
      return;
    }
    for (const u of out) c.emit(t, u, stamp === null ? t.eventTime : stamp(u), t.emitTime, t.ingestTime);
  }
}

export class FilterBolt extends BasicBolt {
  constructor(
    private readonly fn: (value: any) => boolean,
    private readonly stamp: Stamp | null = null,
  ) {
    super();
  }

  execute(t: Tuple): void {
    if (this.fn(t.value))
      this.collector.emit(t, t.value, this.stamp === null ? t.eventTime : this.stamp(t.value), t.emitTime, t.ingestTime);
  }
}

/** Sets the timestamp field, where no component before it can (it has other consumers, or is a join or a window). */
export class TimestampFieldBolt extends BasicBolt {
  constructor(private readonly stamp: Stamp) {
    super();
  }

  execute(t: Tuple): void {
    this.collector.emit(t, t.value, this.stamp(t.value), t.emitTime, t.ingestTime);
  }
}

/** Consumes a windowed bolt's late tuple stream: each late tuple is counted as dropped by that operator. */
export class LateTupleBolt extends BasicBolt {
  /** Late tuples received. */
  received = 0;

  constructor(
    private readonly operator: string,
    private readonly metrics: MetricsRecorder,
  ) {
    super();
  }

  execute(_t: Tuple): void {
    this.received++;
    this.metrics.lateRecordsDropped(this.operator, 1);
  }

  get lateRecordsDropped(): number {
    return this.received;
  }
}

/** Writes each tuple to the run's sink; its tuple tree ends here. */
export class SinkBolt extends BasicBolt {
  constructor(private readonly writer: SinkWriter) {
    super();
  }

  execute(t: Tuple): void {
    this.writer.write(t.value, t.emitTime, t.ingestTime);
  }
}
