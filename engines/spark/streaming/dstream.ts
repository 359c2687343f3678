/**
 * DStreams: a discretized stream is a sequence of RDDs, one per batch. Each DStream knows its parents
 * and how to compute its RDD for a batch time from theirs (`compute`); `getOrCompute` builds it once per
 * time and remembers it (`generatedRDDs`), so every job of a batch shares the same RDDs. Each
 * transformation maps one-to-one onto the same RDD transformation of that batch's RDD.
 */
import { OptionError } from '../../api/index.js';
import type { RDD, StorageLevel } from '../rdd/rdd.js';
import { unionOf } from '../rdd/union-rdd.js';
import { filterFunction, flatMapFunction, mapFunction, MapPartitionsRDD, type PartitionFunction } from '../rdd/map-partitions-rdd.js';
import type { OutputFunction } from '../scheduler/task.js';
import type { StreamingContext } from './streaming-context.js';

export abstract class DStream {
  readonly id: number;
  /** The RDD of every batch time still remembered. */
  readonly generatedRDDs = new Map<number, RDD>();
  storageLevel: StorageLevel = 'NONE';
  /** RDDs are kept this long (ms) after their batch time; at least the slide, more under a window. */
  rememberDuration = 0;
  zeroTime = Number.NaN;

  constructor(
    readonly ssc: StreamingContext,
    readonly dependencies: readonly DStream[],
    readonly name: string,
  ) {
    this.id = ssc.graph.register(this);
  }

  /** The Spark class this models, e.g. `MappedDStream`. */
  abstract get kind(): string;

  /** Time between two RDDs of this stream (ms): the batch interval unless windowed. */
  get slideDuration(): number {
    return this.dependencies[0].slideDuration;
  }

  /** This stream's RDD for batch `time`, built from its parents' (undefined when there is none for that time). */
  abstract compute(time: number): RDD | undefined;

  /** The RDD of batch `time`, computed once and remembered. */
  getOrCompute(time: number): RDD | undefined {
    const known = this.generatedRDDs.get(time);
    if (known !== undefined) return known;
    if (!this.isTimeValid(time)) return undefined;
    const rdd = this.compute(time);
    if (rdd === undefined) return undefined;
    if (this.storageLevel !== 'NONE') rdd.persist(this.storageLevel);
    this.generatedRDDs.set(time, rdd);
    return rdd;
  }

  /** A time is valid when it is a whole number of slides after the start. */
  isTimeValid(time: number): boolean {
    return time > this.zeroTime && (time - this.zeroTime) % this.slideDuration === 0;
  }

  /** Keeps this stream's RDDs in memory (MEMORY_ONLY by default), so later jobs do not recompute them. */
  persist(level: Exclude<StorageLevel, 'NONE'> = 'MEMORY_ONLY'): this {
    this.storageLevel = level;
    return this;
  }

  /**
   * How long after its inputs end this stream's RDDs still change (ms): a window keeps producing results
   * until its last batch has slid out. The JobGenerator runs that long past the end of a bounded input.
   */
  get drainDuration(): number {
    let d = 0;
    for (const p of this.dependencies) if (p.drainDuration > d) d = p.drainDuration;
    return d;
  }

  /** Sets the zero time and remember durations, parents first (DStream.initialize). */
  initialize(zeroTime: number): void {
    if (!Number.isNaN(this.zeroTime)) return;
    this.zeroTime = zeroTime;
    if (this.rememberDuration < this.slideDuration) this.rememberDuration = this.slideDuration;
    for (const d of this.dependencies) {
      d.remember(this.parentRememberDuration);
      d.initialize(zeroTime);
    }
  }

  /** How long parents must keep their RDDs for this stream. */
  protected get parentRememberDuration(): number {
    return this.rememberDuration;
  }

  remember(ms: number): void {
    if (ms > this.rememberDuration) this.rememberDuration = ms;
    for (const d of this.dependencies) d.remember(this.parentRememberDuration);
  }

  /** Forgets (and unpersists) RDDs at or before `time - rememberDuration`, here and upstream. */
  clearMetadata(time: number): void {
    for (const [t, rdd] of this.generatedRDDs) {
      if (t > time - this.rememberDuration) continue;
      this.generatedRDDs.delete(t);
      rdd.unpersist();
    }
    for (const d of this.dependencies) d.clearMetadata(time);
  }

  /** The RDDs of every batch in `[fromTime, toTime]` (DStream.slice). */
  slice(fromTime: number, toTime: number): RDD[] {
    const rdds: RDD[] = [];
    for (let t = toTime; t >= fromTime; t -= this.slideDuration) {
      if (t <= this.zeroTime) break;
      const rdd = this.getOrCompute(t);
      if (rdd !== undefined) rdds.unshift(rdd);
    }
    return rdds;
  }

  /** `MappedDStream[3] split`. */
  describe(): string {
    return `${this.kind}[${this.id}] ${this.name}${this.storageLevel === 'NONE' ? '' : ' (persisted)'}`;
  }

  map(fn: (value: any) => unknown, name = `map-${this.ssc.graph.size}`): DStream {
    return new MappedDStream(this.ssc, this, name, mapFunction(fn), 'MappedDStream', 'map');
  }

  flatMap(fn: (value: any) => Iterable<unknown>, name = `flatMap-${this.ssc.graph.size}`): DStream {
    return new MappedDStream(this.ssc, this, name, flatMapFunction(fn), 'FlatMappedDStream', 'flatMap');
  }

  filter(fn: (value: any) => boolean, name = `filter-${this.ssc.graph.size}`): DStream {
    return new MappedDStream(this.ssc, this, name, filterFunction(fn), 'FilteredDStream', 'filter');
  }

  /** Every `slideMs`, the union of the last `windowMs` of batches (processing time, as DStream.window). */
  window(windowMs: number, slideMs = this.slideDuration, name = `window-${this.ssc.graph.size}`): WindowedDStream {
    return new WindowedDStream(this.ssc, this, windowMs, slideMs, name);
  }

  /**
   * Assigns event time with `fn` and reports, per task, the highest event time seen to the driver (a max
   * accumulator), from which the closing threshold with allowed lateness `maxDelay` (ms) is derived.
   */
  withEventTime(fn: (value: any) => number, maxDelay: number, name = `timestamps-${this.ssc.graph.size}`): EventTimeDStream {
    return new EventTimeDStream(this.ssc, this, fn, this.ssc.eventTime.addOrigin(maxDelay), maxDelay, name);
  }

  /** An output operation: each batch's RDD is computed into `output`, one job per batch. */
  foreachRDD(output: OutputFunction, name = `output-${this.ssc.graph.size}`): ForEachDStream {
    return new ForEachDStream(this.ssc, this, output, name);
  }
}

/** map, flatMap, filter and event-time assignment: one MapPartitionsRDD per batch. */
export class MappedDStream extends DStream {
  constructor(
    ssc: StreamingContext,
    parent: DStream,
    name: string,
    private readonly f: PartitionFunction,
    private readonly className: string,
    private readonly op: string,
  ) {
    super(ssc, [parent], name);
  }

  get kind(): string {
    return this.className;
  }

  compute(time: number): RDD | undefined {
    const rdd = this.dependencies[0].getOrCompute(time);
    return rdd && new MapPartitionsRDD(this.ssc.sc, rdd, this.f, this.name, this.op);
  }
}

/**
 * Event-time assignment: a map that gives records their event time and adds it to a max accumulator
 * (per origin, in the TaskContext), which the driver merges when the task ends.
 */
export class EventTimeDStream extends MappedDStream {
  constructor(
    ssc: StreamingContext,
    parent: DStream,
    fn: (value: any) => number,
    readonly origin: number,
    readonly maxDelay: number,
    name: string,
  ) {
    const f: PartitionFunction = (ctx, _split, out) => {
      const max = ctx.eventTimeMax;
      return (v, _et, em, ig) => {
        const t = fn(v);
        if (t > max[origin]) max[origin] = t;
        out(v, t, em, ig);
      };
    };
    super(ssc, parent, name, f, 'MappedDStream', 'eventTime');
  }

  override describe(): string {
    return `${super.describe()}: event time, max accumulator (allowed lateness ${this.maxDelay} ms)`;
  }
}

/**
 * Windows over batches (processing time). As Spark's WindowedDStream, the window length and the slide
 * must be multiples of the parent's slide duration (the batch interval; Spark's messages, as usage errors),
 * and the parent is persisted serialized (MEMORY_ONLY_SER), so every window over a batch reads its RDD
 * back, deserializing it, instead of recomputing it. The window's RDD is the union of the batches' RDDs,
 * partitioner-aware when they share a partitioner (as SparkContext.union).
 */
export class WindowedDStream extends DStream {
  constructor(
    ssc: StreamingContext,
    parent: DStream,
    readonly windowDuration: number,
    private readonly slide: number,
    name: string,
  ) {
    super(ssc, [parent], name);
    const p = parent.slideDuration;
    if (!(windowDuration > 0) || windowDuration % p !== 0) {
      throw new OptionError(
        `The window duration of windowed DStream (${windowDuration} ms) must be a multiple of the slide duration of parent DStream (${p} ms)`,
      );
    }
    if (!(slide > 0) || slide % p !== 0) {
      throw new OptionError(
        `The slide duration of windowed DStream (${slide} ms) must be a multiple of the slide duration of parent DStream (${p} ms)`,
      );
    }
    parent.persist('MEMORY_ONLY_SER');
  }

  get kind(): string {
    return 'WindowedDStream';
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

  compute(time: number): RDD | undefined {
    const parent = this.dependencies[0];
    const rdds = parent.slice(time - this.windowDuration + parent.slideDuration, time);
    return rdds.length === 0 ? undefined : unionOf(this.ssc.sc, rdds, this.name);
  }

  override describe(): string {
    return `${super.describe()} window ${this.windowDuration} ms every ${this.slide} ms`;
  }
}

/** An output operation: generates one job per batch over its parent's RDD. */
export class ForEachDStream extends DStream {
  constructor(
    ssc: StreamingContext,
    parent: DStream,
    readonly output: OutputFunction,
    name: string,
  ) {
    super(ssc, [parent], name);
    ssc.graph.addOutputStream(this);
  }

  get kind(): string {
    return 'ForEachDStream';
  }

  compute(time: number): RDD | undefined {
    return this.dependencies[0].getOrCompute(time);
  }

  /** The job of batch `time`, if this output has an RDD then. */
  generateJob(time: number): { readonly rdd: RDD; readonly output: OutputFunction; readonly name: string } | undefined {
    const rdd = this.getOrCompute(time);
    return rdd && { rdd, output: this.output, name: this.name };
  }

  // The output's RDD is its parent's: nothing of its own to remember or persist.
  override getOrCompute(time: number): RDD | undefined {
    return this.isTimeValid(time) ? this.dependencies[0].getOrCompute(time) : undefined;
  }
}
