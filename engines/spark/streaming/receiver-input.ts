/**
 * The receiver source (`spark.source=receiver`): ReceiverInputDStream, the ReceiverTracker on the driver,
 * and the receivers themselves.
 *
 * A receiver is a long-running task that permanently occupies one executor core. It reads its log
 * partitions continuously (rate-limited by `spark.streaming.receiver.maxRate` and, with backpressure, by
 * the rate controller), stamping each record with the time it received it, and hands the records to its
 * BlockGenerator, which cuts blocks every block interval. Pushed blocks are reported to the tracker; at
 * each batch time the tracker allocates every block received since the last batch to the batch
 * (ReceivedBlockTracker.allocateBlocksToBatch), and the batch's BlockRDD has one partition per block.
 * When the batch completes, its blocks are dropped and the offsets they covered committed.
 */
import type { Cancellable } from '../../api/index.js';
import type { StreamBlock } from '../rdd/block-manager.js';
import { BlockRDD } from '../rdd/block-rdd.js';
import { BLOCKED, DONE, MORE, type PumpResult, type RDD } from '../rdd/rdd.js';
import type { ExecutorCore } from '../scheduler/executor.js';
import { Task } from '../scheduler/task.js';
import type { SparkContext } from '../spark-context.js';
import { BlockGenerator } from './block-generator.js';
import { InputDStream } from './input-dstream.js';
import { PIDRateEstimator } from './pid-rate-estimator.js';
import { RateController } from './rate-controller.js';
import { RateLimiter } from './rate-limiter.js';
import type { StreamingContext } from './streaming-context.js';

/** The receiver task: the receiving loop of ReceiverSupervisor + Receiver, on its own core. */
export class ReceiverTask extends Task {
  private readonly offsets: number[];
  private readonly waiting: boolean[];
  private next = 0;
  private core: ExecutorCore | undefined;
  private timer: Cancellable | undefined;
  finished = false;
  received = 0;

  constructor(
    private readonly sc: SparkContext,
    readonly receiverId: number,
    readonly partitions: readonly number[],
    readonly generator: BlockGenerator,
    readonly limiter: RateLimiter,
  ) {
    super(-1, receiverId);
    this.offsets = partitions.map((p) => sc.log.startOffset(p));
    this.waiting = partitions.map(() => false);
  }

  override get label(): string {
    return `receiver ${this.receiverId}`;
  }

  start(core: ExecutorCore): void {
    this.core = core;
    core.dedicated = true;
  }

  run(budget: number): PumpResult {
    const core = this.core!;
    const gen = this.generator;
    if (gen.isBlocked) {
      gen.onUnblocked(core.wake);
      return BLOCKED;
    }
    const { log, clock } = this.sc;
    const now = clock.now();
    const allowed = this.limiter.acquire(budget, now);
    if (allowed === 0) {
      this.timer ??= clock.schedule(this.limiter.nextPermitAt(now), () => {
        this.timer = undefined;
        core.wake();
      });
      return BLOCKED;
    }
    // Partitions are read round robin in even shares, as a consumer's fetch returns some records of
    // each: reading one partition far ahead of the others would skew event time across partitions.
    let read = 0;
    let exhausted = 0;
    const parts = this.partitions;
    const share = Math.max(1, Math.ceil(allowed / parts.length));
    for (let progress = true; progress && read < allowed; ) {
      progress = false;
      exhausted = 0;
      for (let k = 0; k < parts.length && read < allowed; k++) {
        const idx = (this.next + k) % parts.length;
        const p = parts[idx];
        const batch = log.read(p, this.offsets[idx], Math.min(share, allowed - read));
        if (batch === undefined) {
          if (log.isClosed()) exhausted++;
          else if (!this.waiting[idx]) {
            this.waiting[idx] = true;
            log.waitForData(p, this.offsets[idx], () => {
              this.waiting[idx] = false;
              core.wake();
            });
          }
          continue;
        }
        const { values, timestamps, index, count } = batch;
        for (let i = index, end = index + count; i < end; i++) gen.addData(values[i], timestamps[i], now);
        this.offsets[idx] += count;
        gen.noteOffset(p, this.offsets[idx]);
        read += count;
        progress = true;
      }
    }
    this.next++;
    this.received += read;
    this.limiter.release(allowed - read);
    if (read > 0) return MORE;
    if (exhausted === parts.length) {
      this.finished = true;
      gen.stop();
      core.dedicated = false;
      return DONE;
    }
    return BLOCKED;
  }

  /** Cancels a pending rate-limit wake-up. */
  cancelTimers(): void {
    this.timer?.cancel();
  }
}

/** The driver side of receivers: launching them, tracking their blocks, allocating blocks to batches. */
export class ReceiverTracker {
  readonly receivers: ReceiverTask[];
  private unallocated: StreamBlock[] = [];
  private readonly allocated = new Map<number, StreamBlock[]>();
  blocksReceived = 0;

  constructor(
    private readonly sc: SparkContext,
    count: number,
  ) {
    const conf = sc.conf;
    const parts = sc.log.partitions;
    // Spark's receiver RateLimiter: the initial rate is min(initialRate (if set), maxRate).
    const initial =
      conf.backpressure && conf.backpressureInitialRate > 0
        ? Math.min(conf.backpressureInitialRate / count, conf.receiverMaxRate)
        : conf.receiverMaxRate;
    this.receivers = Array.from({ length: count }, (_, id) => {
      const partitions = Array.from({ length: parts }, (_, p) => p).filter((p) => p % count === id);
      const gen = new BlockGenerator(sc, id, conf.blockIntervalMs, (block) => this.addBlock(block));
      return new ReceiverTask(sc, id, partitions, gen, new RateLimiter(initial));
    });
  }

  /** Places each receiver on its own core (round robin over executors) and starts its block generator. */
  start(): void {
    const cores = this.sc.cores;
    const byExecutor = this.sc.executors.map((e) => e.cores);
    const order: ExecutorCore[] = [];
    for (let i = 0; order.length < cores.length; i++) for (const cs of byExecutor) if (i < cs.length) order.push(cs[i]);
    this.receivers.forEach((r, i) => {
      const core = order[i];
      core.task = r;
      r.start(core);
      r.generator.start();
    });
  }

  stop(): void {
    for (const r of this.receivers) {
      r.cancelTimers();
      r.generator.shutdown();
    }
  }

  /** ReceivedBlockTracker.addBlock: a stored block, not yet in any batch. */
  addBlock(block: StreamBlock): void {
    this.unallocated.push(block);
    this.blocksReceived++;
  }

  /** Every block received since the last batch goes to batch `time`. */
  allocateBlocksToBatch(time: number): StreamBlock[] {
    const blocks = this.unallocated;
    this.unallocated = [];
    this.allocated.set(time, blocks);
    return blocks;
  }

  blocksOf(time: number): StreamBlock[] {
    return this.allocated.get(time) ?? [];
  }

  /** Every receiver has finished and every block it cut has been allocated. */
  get exhausted(): boolean {
    return this.unallocated.length === 0 && this.receivers.every((r) => r.finished && r.generator.idle);
  }

  /** Batches up to `upTo` (ms) are done with: their blocks are dropped and the offsets they cover committed. */
  cleanupOldBatches(upTo: number): void {
    for (const [time, blocks] of this.allocated) {
      if (time > upTo) break;
      this.allocated.delete(time);
      for (const b of blocks) {
        this.sc.blockManager.removeStreamBlock(b.id);
        for (const [p, until] of b.untilOffsets) this.sc.log.commit(p, until);
      }
    }
  }

  /** ReceiverTracker.sendRateUpdate: each receiver gets its share, capped by the receiver max rate. */
  sendRateUpdate(ratePerSec: number): void {
    const share = ratePerSec / this.receivers.length;
    for (const r of this.receivers) r.limiter.setRate(Math.min(share, this.sc.conf.receiverMaxRate));
  }
}

export class ReceiverInputDStream extends InputDStream {
  readonly tracker: ReceiverTracker;
  private explainBlocks = new Map<number, string[]>();

  constructor(ssc: StreamingContext, name: string) {
    super(ssc, name);
    const conf = ssc.conf;
    this.tracker = new ReceiverTracker(ssc.sc, conf.receivers);
    if (conf.backpressure) {
      this.rateController = new RateController(new PIDRateEstimator(conf.batchIntervalMs, conf.pid), (rate) =>
        this.tracker.sendRateUpdate(rate),
      );
    }
  }

  get kind(): string {
    return 'ReceiverInputDStream';
  }

  override start(): void {
    this.tracker.start();
  }

  override stop(): void {
    this.tracker.stop();
  }

  allocate(time: number): number {
    let records = 0;
    for (const b of this.tracker.allocateBlocksToBatch(time)) records += b.records;
    return records;
  }

  allocateForExplain(time: number): void {
    const conf = this.ssc.conf;
    const perReceiver = Math.max(1, Math.round(conf.batchIntervalMs / conf.blockIntervalMs));
    const ids: string[] = [];
    for (let r = 0; r < conf.receivers; r++) for (let i = 0; i < perReceiver; i++) ids.push(`input-${r}-${i}`);
    this.explainBlocks.set(time, ids);
  }

  get exhausted(): boolean {
    return this.tracker.exhausted;
  }

  compute(time: number): RDD | undefined {
    const planned = this.explainBlocks.get(time);
    const ids = planned ?? this.tracker.blocksOf(time).map((b) => b.id);
    return new BlockRDD(this.ssc.sc, ids, this.name);
  }

  onBatchCompleted(time: number): void {
    // As ReceiverTracker.cleanupOldBlocksAndBatches: keep what a window over batches may still read.
    this.tracker.cleanupOldBatches(time - this.rememberDuration + this.slideDuration);
  }

  override describe(): string {
    const conf = this.ssc.conf;
    return `${super.describe()} (${conf.receivers} receiver(s), a block every ${conf.blockIntervalMs} ms -> one RDD partition per block)`;
  }
}
