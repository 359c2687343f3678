/**
 * The Kafka direct stream (DirectKafkaInputDStream): no receiver. At each batch time the driver looks at
 * the latest offset of every log partition and gives the batch the range from where the previous batch
 * stopped, clamped by `spark.streaming.kafka.maxRatePerPartition` and, with backpressure, by the rate
 * controller's estimate split over partitions in proportion to their lag (Spark's maxMessagesPerPartition).
 * The batch's KafkaRDD has one partition per log partition; its tasks read the ranges. Offsets are
 * committed when the batch has completed.
 */
import { KafkaRDD, type OffsetRange } from '../rdd/kafka-rdd.js';
import type { RDD } from '../rdd/rdd.js';
import { InputDStream } from './input-dstream.js';
import { PIDRateEstimator } from './pid-rate-estimator.js';
import { RateController } from './rate-controller.js';
import type { StreamingContext } from './streaming-context.js';

/** spark.streaming.kafka.minRatePerPartition: a batch takes at least this many records per partition when limited. */
const MIN_RATE_PER_PARTITION = 1;

export class DirectKafkaInputDStream extends InputDStream {
  /** Next offset to allocate, per log partition. */
  private readonly currentOffsets: number[];
  /** Per batch time: its ranges and when they were fixed. */
  private readonly ranges = new Map<number, { ranges: OffsetRange[]; takenAt: number }>();

  constructor(ssc: StreamingContext, name: string) {
    super(ssc, name);
    const log = ssc.sc.log;
    this.currentOffsets = Array.from({ length: log.partitions }, (_, p) => log.startOffset(p));
    const conf = ssc.conf;
    if (conf.backpressure) {
      this.rateController = new RateController(new PIDRateEstimator(conf.batchIntervalMs, conf.pid), () => {});
    }
  }

  get kind(): string {
    return 'DirectKafkaInputDStream';
  }

  allocate(time: number): number {
    const log = this.ssc.sc.log;
    const latest = this.currentOffsets.map((_, p) => log.endOffset(p));
    const limits = this.maxMessagesPerPartition(latest);
    let records = 0;
    const ranges = this.currentOffsets.map((from, p) => {
      const until = limits === undefined ? latest[p] : Math.min(latest[p], from + limits[p]);
      records += until - from;
      this.currentOffsets[p] = until;
      return { partition: p, fromOffset: from, untilOffset: until };
    });
    this.ranges.set(time, { ranges, takenAt: this.ssc.sc.clock.now() });
    return records;
  }

  allocateForExplain(time: number): void {
    this.ranges.set(time, { ranges: this.currentOffsets.map((o, p) => ({ partition: p, fromOffset: o, untilOffset: o })), takenAt: time });
  }

  /**
   * Spark's DirectKafkaInputDStream.maxMessagesPerPartition: per-partition limits for a batch, or
   * undefined when nothing limits it.
   */
  maxMessagesPerPartition(latestOffsets: readonly number[]): number[] | undefined {
    const conf = this.ssc.conf;
    const maxRate = conf.maxRatePerPartition;
    let estimated: number | undefined;
    if (this.rateController) {
      const lr = this.rateController.getLatestRate();
      estimated = lr > 0 ? lr : conf.backpressureInitialRate;
    }
    let perPartition: number[];
    if (estimated !== undefined && estimated > 0) {
      const lags = latestOffsets.map((latest, p) => Math.max(latest - this.currentOffsets[p], 0));
      const totalLag = lags.reduce((a, b) => a + b, 0);
      perPartition = lags.map((lag) => {
        const backpressureRate = totalLag > 0 ? (lag / totalLag) * estimated! : 0;
        return maxRate > 0 ? Math.min(backpressureRate, maxRate) : backpressureRate;
      });
    } else {
      perPartition = latestOffsets.map(() => maxRate);
    }
    if (!(perPartition.reduce((a, b) => a + b, 0) > 0)) return undefined;
    const secsPerBatch = conf.batchIntervalMs / 1000;
    return perPartition.map((limit) => Math.max(Math.floor(secsPerBatch * limit), MIN_RATE_PER_PARTITION));
  }

  get exhausted(): boolean {
    const log = this.ssc.sc.log;
    if (!log.isClosed()) return false;
    return this.currentOffsets.every((o, p) => o >= log.endOffset(p));
  }

  compute(time: number): RDD | undefined {
    const batch = this.ranges.get(time);
    return batch && new KafkaRDD(this.ssc.sc, batch.ranges, this.name, batch.takenAt);
  }

  onBatchCompleted(time: number): void {
    // Batches a later batch can still read (a window over batches) keep their ranges uncommitted.
    const upTo = time - this.rememberDuration + this.slideDuration;
    for (const [t, batch] of this.ranges) {
      if (t > upTo) break;
      this.ranges.delete(t);
      for (const r of batch.ranges) this.ssc.sc.log.commit(r.partition, r.untilOffset);
    }
  }

  override describe(): string {
    return `${super.describe()} (${this.currentOffsets.length} log partitions -> ${this.currentOffsets.length} RDD partitions per batch)`;
  }
}
