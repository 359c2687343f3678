/**
 * Keyed DStreams of processing-time windows, as PairDStreamFunctions builds them:
 *
 * - ShuffledDStream (`reduceByKey(func, partitioner)`): per batch, a shuffle by key (map-side combined
 *   unless `spark.mapSideCombine=false`) and the reduce side's combine; no shuffle at all when the
 *   parent's RDDs are already partitioned by the same partitioner (a window over reduced batches).
 * - ReducedWindowedDStream (`reduceByKeyAndWindow(func, invFunc, window, slide, partitioner, filterFunc)`):
 *   the window's reduced values are the previous window's, minus the reduced batches that slid out
 *   (the inverse function), plus the ones that slid in, cogrouped without a shuffle; keys whose count
 *   falls to zero are filtered out. It persists its RDDs and the reduced batches serialized, and must
 *   checkpoint: each window's RDD depends on the previous one's, a lineage only a checkpoint cuts.
 * - WindowResultsDStream: the reduced `[key, acc, n]` records of each window as the dataflow's
 *   WindowResult records, the window ending at the batch time.
 *
 * Records between them are partials `[key, acc, n]` (KeyAggregation) with the max emit and ingest times
 * of the records they hold in the frame. A max has no inverse: a window's times are the maxima of what was
 * merged into it, never lowered when old batches are subtracted (they are older anyway).
 */
import { OptionError, type AggregateFunction, type Key, type KeySelector, type WindowResult } from '../../api/index.js';
import { ReliableCheckpointRDD } from '../rdd/checkpoint-rdd.js';
import { CoGroupedRDD, type CoGroups } from '../rdd/co-grouped-rdd.js';
import { CombineByKeyRDD } from '../rdd/combine-by-key-rdd.js';
import type { HashPartitioner } from '../rdd/hash-partitioner.js';
import { MapPartitionsRDD, type PartitionFunction } from '../rdd/map-partitions-rdd.js';
import { DONE, type PartitionPump, type RDD } from '../rdd/rdd.js';
import { ShuffleDependency, ShuffledRDD } from '../rdd/shuffled-rdd.js';
import { EmptyRDD } from '../rdd/union-rdd.js';
import { blockCursor, type CheckpointCursor, type CheckpointSource } from './checkpoint-writer.js';
import { DStream } from './dstream.js';
import type { StreamingContext } from './streaming-context.js';

/** reduceByKey: one partial `[key, acc, n]` per key and batch, partitioned by `partitioner`. */
export class ShuffledDStream extends DStream {
  /** @param key the key of a parent record (used when the parent's records are values to be shuffled) */
  constructor(
    ssc: StreamingContext,
    parent: DStream,
    private readonly key: KeySelector<any>,
    readonly aggregate: AggregateFunction<any, any, unknown>,
    readonly partitioner: HashPartitioner,
    name: string,
  ) {
    super(ssc, [parent], name);
  }

  get kind(): string {
    return 'ShuffledDStream';
  }

  compute(time: number): RDD | undefined {
    const rdd = this.dependencies[0].getOrCompute(time);
    if (rdd === undefined) return undefined;
    const sc = this.ssc.sc;
    // Already partitioned by this partitioner: the records are partials of an earlier reduceByKey.
    if (this.partitioner.equals(rdd.partitioner)) return new CombineByKeyRDD(sc, rdd, this.aggregate, true, this.name);
    const combine = this.ssc.conf.mapSideCombine;
    const dep = new ShuffleDependency(
      sc,
      rdd,
      this.partitioner,
      this.key,
      undefined,
      combine ? { kind: 'key', aggregate: this.aggregate } : undefined,
    );
    return new CombineByKeyRDD(sc, new ShuffledRDD(sc, dep, this.name), this.aggregate, combine, this.name);
  }

  override describe(): string {
    return `${super.describe()}: reduceByKey ${this.aggregate.name}, ${this.partitioner.numPartitions} partitions`;
  }
}

/** The default checkpoint interval of a DStream that must checkpoint: the first multiple of its slide >= 10 s (DStream.initialize). */
export function mustCheckpointInterval(slideMs: number): number {
  return slideMs * Math.ceil(10_000 / slideMs);
}

/** reduceByKeyAndWindow with an inverse function (and a filter dropping keys whose window became empty). */
export class ReducedWindowedDStream extends DStream implements CheckpointSource {
  /** Every this many ms (of batch time from the zero time) a window's RDD is checkpointed; see {@link checkpointed}. */
  readonly checkpointIntervalMs: number;
  /** Window RDDs replaced by their checkpoint. */
  checkpointsTaken = 0;

  constructor(
    ssc: StreamingContext,
    reduced: ShuffledDStream,
    readonly windowDuration: number,
    private readonly slide: number,
    name: string,
  ) {
    super(ssc, [reduced], name);
    const p = reduced.slideDuration;
    // Spark's require() messages, as usage errors.
    if (!(windowDuration > 0) || windowDuration % p !== 0) {
      throw new OptionError(
        `requirement failed: The window duration of ReducedWindowedDStream (${windowDuration} ms) must be multiple of the slide duration of parent DStream (${p} ms)`,
      );
    }
    if (!(slide > 0) || slide % p !== 0) {
      throw new OptionError(
        `requirement failed: The slide duration of ReducedWindowedDStream (${slide} ms) must be multiple of the slide duration of parent DStream (${p} ms)`,
      );
    }
    const fn = reduced.aggregate;
    if (fn.retract === undefined) {
      throw new OptionError(
        `spark.windowOperation=reduceByKeyAndWindowInv: the aggregate '${fn.name}' of ${name} has no inverse function (retract); use reduceByKeyAndWindow or window`,
      );
    }
    const set = ssc.conf.checkpointIntervalMs;
    if (ssc.conf.checkpointSetting === 'set' && set % slide !== 0) {
      throw new OptionError(
        `The checkpoint interval for ReducedWindowedDStream has been set to ${set} ms which not a multiple of its slide duration (${slide} ms). Please set it to a multiple of ${slide} ms.`,
      );
    }
    if (ssc.conf.checkpointSetting === 'off') {
      throw new OptionError(
        'spark.checkpointInterval=off: The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint() (ReducedWindowedDStream must checkpoint)',
      );
    }
    this.checkpointIntervalMs = ssc.conf.checkpointSetting === 'auto' ? mustCheckpointInterval(slide) : set;
    this.persist('MEMORY_ONLY_SER');
    reduced.persist('MEMORY_ONLY_SER');
    // Keep the last checkpointed window twice over, as Spark's DStream.initialize does.
    this.rememberDuration = Math.max(slide, 2 * this.checkpointIntervalMs);
    ssc.checkpointWriter.addSource(this);
  }

  get numPartitions(): number {
    return this.reduced.partitioner.numPartitions;
  }

  /** The cached (serialized) block of the batch's window RDD, written again as its checkpoint file. */
  openCheckpoint(split: number, batch: { readonly time: number }): CheckpointCursor {
    const rdd = this.generatedRDDs.get(batch.time);
    const block = rdd && this.ssc.sc.blockManager.serializedBlock(rdd.id, split);
    if (block === undefined)
      throw new Error(`${this.name}: the window RDD of batch ${batch.time} is not cached, so it cannot be checkpointed`);
    return blockCursor(block);
  }

  get kind(): string {
    return 'ReducedWindowedDStream';
  }

  override get slideDuration(): number {
    return this.slide;
  }

  protected override get parentRememberDuration(): number {
    return this.rememberDuration + this.windowDuration;
  }

  override get drainDuration(): number {
    return super.drainDuration + this.windowDuration - this.dependencies[0].slideDuration;
  }

  private get reduced(): ShuffledDStream {
    return this.dependencies[0] as ShuffledDStream;
  }

  compute(time: number): RDD | undefined {
    const sc = this.ssc.sc;
    const reduced = this.reduced;
    const ps = reduced.slideDuration;
    const current = { begin: time - this.windowDuration + ps, end: time };
    const previous = { begin: current.begin - this.slide, end: current.end - this.slide };
    const oldRdds = reduced.slice(previous.begin, current.begin - ps);
    const newRdds = reduced.slice(previous.end + ps, current.end);
    const previousWindow =
      this.getOrCompute(previous.end) ?? new EmptyPartitionedRDD(sc, reduced.partitioner, `${this.name} (no previous window)`);
    const cogrouped = new CoGroupedRDD(sc, [previousWindow, ...oldRdds, ...newRdds], reduced.partitioner, this.name);
    return new MapPartitionsRDD(sc, cogrouped, mergeWindow(reduced.aggregate, oldRdds.length), this.name, 'mergeValues, filter', true);
  }

  /** The checkpoint of the window RDD of `time` is written: later windows depend on it, not on its lineage. */
  checkpointed(time: number, files: readonly (readonly Uint8Array[])[]): void {
    const rdd = this.generatedRDDs.get(time);
    if (rdd === undefined) return;
    this.generatedRDDs.set(time, new ReliableCheckpointRDD(this.ssc.sc, files, rdd.partitioner, rdd, this.name));
    this.checkpointsTaken++;
  }

  override describe(): string {
    return (
      `${super.describe()} window ${this.windowDuration} ms every ${this.slide} ms, inverse ${this.reduced.aggregate.name}, ` +
      `checkpoint every ${this.checkpointIntervalMs} ms`
    );
  }
}

/**
 * ReducedWindowedDStream's mergeValues and filterFunc over `[key, groups]`: groups[0] is the previous
 * window's value, the next `olds` the batches that slid out, the rest those that slid in.
 */
function mergeWindow(fn: AggregateFunction<any, any, unknown>, olds: number): PartitionFunction {
  const retract = fn.retract!;
  return (_ctx, _split, out) => (v, et, em, ig) => {
    const [key, groups] = v as [Key, CoGroups];
    let acc: unknown;
    let n = 0;
    let has = false;
    const fold = (j: number) => {
      for (const [a, c] of groups[j]) {
        acc = has ? fn.merge(acc, a) : a;
        n += c;
        has = true;
      }
    };
    if (groups[0].length > 0) {
      [acc, n] = groups[0][0];
      has = true;
      for (let j = 1; j <= olds; j++) {
        for (const [a, c] of groups[j]) {
          acc = retract(acc, a);
          n -= c;
        }
      }
    }
    for (let j = olds + 1; j < groups.length; j++) fold(j);
    if (n > 0) out([key, acc, n], et, em, ig);
  };
}

/** An RDD with every partition of a partitioner and no records (the window before the first). */
class EmptyPartitionedRDD extends EmptyRDD {
  constructor(
    sc: StreamingContext['sc'],
    private readonly part: HashPartitioner,
    name: string,
  ) {
    super(sc, name);
  }

  override get numPartitions(): number {
    return this.part.numPartitions;
  }

  override get partitioner(): HashPartitioner {
    return this.part;
  }

  override compute(): PartitionPump {
    return { pump: () => DONE };
  }
}

/** Each window's reduced records as WindowResults `{windowStart, windowEnd, key, value}`, the window ending at the batch time. */
export class WindowResultsDStream extends DStream {
  constructor(
    ssc: StreamingContext,
    parent: DStream,
    readonly windowDuration: number,
    private readonly aggregate: AggregateFunction<any, any, unknown>,
    name: string,
  ) {
    super(ssc, [parent], name);
  }

  get kind(): string {
    return 'MappedDStream';
  }

  compute(time: number): RDD | undefined {
    const rdd = this.dependencies[0].getOrCompute(time);
    if (rdd === undefined) return undefined;
    const start = time - this.windowDuration;
    const fn = this.aggregate;
    const f: PartitionFunction = (_ctx, _split, out) => (v, _et, em, ig) => {
      const [key, acc] = v as [Key, unknown, number];
      const result: WindowResult = { windowStart: start, windowEnd: time, key, value: fn.result(acc) };
      out(result, time - 1, em, ig);
    };
    return new MapPartitionsRDD(this.ssc.sc, rdd, f, this.name, 'map');
  }
}
