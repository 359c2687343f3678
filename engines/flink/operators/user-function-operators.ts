/** Flink's `StreamMap`, `StreamFlatMap` and `StreamFilter`: a user function per record, no state. */
import { StreamOperator } from './stream-operator.js';

export class StreamMap extends StreamOperator {
  constructor(
    id: number,
    name: string,
    private readonly fn: (value: any) => unknown,
  ) {
    super(id, name);
  }

  collect(value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    this.output.collect(this.fn(value), eventTime, emitTime, ingestTime);
  }
}

export class StreamFlatMap extends StreamOperator {
  constructor(
    id: number,
    name: string,
    private readonly fn: (value: any) => Iterable<unknown>,
  ) {
    super(id, name);
  }

  collect(value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    const out = this.output;
    const result = this.fn(value);
    if (Array.isArray(result)) {
      for (let i = 0; i < result.length; i++) out.collect(result[i], eventTime, emitTime, ingestTime);
    } else {
      for (const v of result) out.collect(v, eventTime, emitTime, ingestTime);
    }
  }
}

export class StreamFilter extends StreamOperator {
  constructor(
    id: number,
    name: string,
    private readonly fn: (value: any) => boolean,
  ) {
    super(id, name);
  }

  collect(value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    if (this.fn(value)) this.output.collect(value, eventTime, emitTime, ingestTime);
  }
}
