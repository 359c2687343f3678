/**
 * KafkaRDD: the RDD of the Kafka direct stream. One partition per log partition, each an offset range
 * fixed by the driver when it generated the batch; the task reads its range from the log itself (the
 * executor-side Kafka consumer), so reading costs task time. Records are stamped with the time the batch
 * took them (`ingestTime` = when the driver fixed the ranges): processing-time latency then covers the
 * batch's scheduling and processing delay, as Spark's total delay does.
 */
import type { Emit } from '../../operators/index.js';
import type { SparkContext } from '../spark-context.js';
import { DONE, MORE, RDD, type Dependency, type PartitionPump, type PumpResult } from './rdd.js';
import type { TaskContext } from './task-context.js';

/** The entries `[fromOffset, untilOffset)` of one log partition (Spark's OffsetRange). */
export interface OffsetRange {
  readonly partition: number;
  readonly fromOffset: number;
  readonly untilOffset: number;
}

export class KafkaRDD extends RDD {
  /** @param ingestTime when the batch took these ranges (ms since epoch) */
  constructor(
    sc: SparkContext,
    readonly offsetRanges: readonly OffsetRange[],
    name: string,
    readonly ingestTime: number,
  ) {
    super(sc, name);
  }

  get kind(): string {
    return 'KafkaRDD';
  }

  get numPartitions(): number {
    return this.offsetRanges.length;
  }

  get dependencies(): readonly Dependency[] {
    return [];
  }

  compute(split: number, ctx: TaskContext, out: Emit): PartitionPump {
    return new KafkaRDDIterator(this.sc, this.offsetRanges[split], this.ingestTime, ctx, out);
  }

  override describe(): string {
    const ranges = this.offsetRanges.map((r) => `p${r.partition}:[${r.fromOffset},${r.untilOffset})`).join(' ');
    return `${super.describe()} ${ranges}`;
  }
}

class KafkaRDDIterator implements PartitionPump {
  private offset: number;

  constructor(
    private readonly sc: SparkContext,
    private readonly range: OffsetRange,
    private readonly ingestTime: number,
    private readonly ctx: TaskContext,
    private readonly out: Emit,
  ) {
    this.offset = range.fromOffset;
  }

  pump(max: number): PumpResult {
    const log = this.sc.log;
    const { partition, untilOffset } = this.range;
    const out = this.out;
    const ingestTime = this.ingestTime;
    let n = 0;
    while (this.offset < untilOffset && n < max) {
      const batch = log.read(partition, this.offset, Math.min(max - n, untilOffset - this.offset));
      if (batch === undefined) throw new Error(`KafkaRDD: offset ${this.offset} of partition ${partition} is not in the log`);
      const { values, timestamps, index, count } = batch;
      for (let i = index, end = index + count; i < end; i++) {
        const ts = timestamps[i];
        out(values[i], ts, ts, ingestTime);
      }
      this.offset += count;
      n += count;
    }
    this.ctx.recordsRead += n;
    return this.offset >= untilOffset ? DONE : MORE;
  }
}
