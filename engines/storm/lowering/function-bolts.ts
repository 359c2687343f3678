/**
 * The stateless operators of the dataflow as basic bolts (Storm's `IBasicBolt`): each emits anchored to
 * its input, and the executor acks the input once `execute` returns.
 */
import type { SinkWriter } from '../../api/index.js';
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

export class MapBolt extends BasicBolt {
  constructor(private readonly fn: (value: any) => unknown) {
    super();
  }

  execute(t: Tuple): void {
    this.collector.emit(t, this.fn(t.value), t.eventTime, t.emitTime, t.ingestTime);
  }
}

export class FlatMapBolt extends BasicBolt {
  constructor(private readonly fn: (value: any) => Iterable<unknown>) {
    super();
  }

  execute(t: Tuple): void {
    const c = this.collector;
    const out = this.fn(t.value);
    if (Array.isArray(out)) {
      for (let i = 0; i < out.length; i++) c.emit(t, out[i], t.eventTime, t.emitTime, t.ingestTime);
      return;
    }
    for (const u of out) c.emit(t, u, t.eventTime, t.emitTime, t.ingestTime);
  }
}

export class FilterBolt extends BasicBolt {
  constructor(private readonly fn: (value: any) => boolean) {
    super();
  }

  execute(t: Tuple): void {
    if (this.fn(t.value)) this.collector.emit(t, t.value, t.eventTime, t.emitTime, t.ingestTime);
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
