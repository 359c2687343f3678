/**
 * Processing-time windows as DStream programs: window(w, s).reduceByKey, reduceByKeyAndWindow and
 * reduceByKeyAndWindow with an inverse function (spark.windowOperation). In virtual time every batch reads
 * a known slice of the input, so each window's counts are exact; the three programs agree with each other
 * and, in per-word totals, with the reference engine. Their costs differ as Spark's do: what is shuffled,
 * what is read back from serialized blocks, and the inverse version's checkpoints that cut its lineage.
 */
import { describe, expect, it } from 'vitest';
import {
  count,
  DataflowBuilder,
  defaultOptionValues,
  OptionError,
  reducing,
  sliding,
  tumbling,
  type AlignedWindowSpec,
  type AggregateFunction,
  type Dataflow,
  type WindowResult,
} from '../../../engines/api/index.js';
import { referenceEngine } from '../../../engines/reference/index.js';
import {
  ReducedWindowedDStream,
  ReliableCheckpointRDD,
  ShuffledDStream,
  sparkConf,
  sparkEngine,
  StreamingContext,
  HashPartitioner,
  type DStream,
  type RDD,
} from '../../../engines/spark/index.js';

import { ManualClock } from '../../../engines/runtime/index.js';
import { EventLog } from '../../../bench/driver/index.js';
import { totalsPerWord, wordcount } from '../../../workloads/wordcount/index.js';
import { runBounded, sortedValues } from '../../support/run-bounded.js';
import { runVirtual } from './support.js';

const OPERATIONS = ['window', 'reduceByKeyAndWindow', 'reduceByKeyAndWindowInv'] as const;

function flow(spec: AlignedWindowSpec, fn: AggregateFunction<string, any, unknown> = count<string>()): Dataflow {
  const b = new DataflowBuilder('pt');
  b.source<string>('words')
    .keyBy((w) => w)
    .processingTimeWindow(spec)
    .aggregate(fn, 'count')
    .sink('out');
  return b.build();
}

const WORDS = ['a', 'b', 'c', 'd'];
/** Word i of the input: a fixed, uneven pattern. */
const input = Array.from({ length: 60 }, (_, i) => WORDS[((i * i + i) % 7) % 4]);

/**
 * The windows a batch engine must produce when batch j (1-based, at zero + 10 j) reads records
 * [3 (j - 1), 3 j): every slide, the counts of the batches of the last window length, until the last
 * batch has slid out.
 */
function expectedWindows(size: number, slide: number, zero: number): string[] {
  const perBatch = 3;
  const batches = Math.ceil(input.length / perBatch);
  const out: string[] = [];
  for (let t = zero + slide; t - size < zero + batches * 10; t += slide) {
    const counts = new Map<string, number>();
    for (let j = 1; j <= batches; j++) {
      const time = zero + 10 * j;
      if (time <= t - size || time > t) continue;
      for (const w of input.slice(perBatch * (j - 1), perBatch * j)) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    for (const [key, value] of counts) out.push(JSON.stringify({ key, value, windowEnd: t, windowStart: t - size }));
  }
  return out.sort();
}

const BATCHES = { batchInterval: 10, maxRatePerPartition: 300 }; // 3 records per 10 ms batch

describe('processing-time windows, three DStream programs', () => {
  for (const op of OPERATIONS) {
    it(`${op}: every slide, each word's count over the batches of the window, until the last batch slid out`, async () => {
      for (const [size, slide] of [
        [30, 10],
        [40, 20],
        [20, 20],
      ]) {
        const spec = size === slide ? tumbling(size) : sliding(size, slide);
        const r = await runVirtual(sparkEngine, flow(spec), input, { values: { ...BATCHES, windowOperation: op }, startMs: 1_000_000 });
        expect(sortedValues(r.sinks.out), `${op} ${size}/${slide}`).toEqual(expectedWindows(size, slide, 1_000_000));
        // Results carry the window's end - 1 as their time and are written at the window's batch.
        for (const [i, rec] of r.sinks.out.entries()) expect(r.writeTimes.out[i]).toBe((rec.value as WindowResult).windowEnd);
      }
    });
  }

  it('agree with the reference in per-word totals, at parallelism 1 and 3, for the wordcount workload', async () => {
    const values = { ...defaultOptionValues(wordcount.options), time: 'processing', window: 30, slide: 10, keys: 30 };
    const wc = wordcount.dataflow(values);
    const gen = wordcount.generator(values, 3);
    const events = Array.from({ length: 600 }, (_, k) => gen.next(k, 2_000_000 + k));
    const ref = await runBounded(referenceEngine, wc, events);
    const totals = (recs: { value: unknown }[]) =>
      sortedValues(
        totalsPerWord(recs.map((x) => x.value as WindowResult<string, number>)).map((value) => ({
          value,
          emitTime: 0,
          ingestTime: 0,
          writeTime: 0,
        })),
      );
    for (const windowOperation of OPERATIONS) {
      for (const parallelism of [1, 3]) {
        const r = await runVirtual(sparkEngine, wc, events, {
          parallelism,
          values: { batchInterval: 10, maxRatePerPartition: 2000, windowOperation },
        });
        expect(totals(r.sinks.counts), `${windowOperation} p=${parallelism}`).toEqual(totals(ref.sinks.counts));
        expect(r.stats.batchesTotal as number).toBeGreaterThan(5);
      }
    }
  });

  it('cost what their programs cost: window shuffles every window, the others each batch once; serialized batches are read once per window', async () => {
    const spec = sliding(40, 10);
    const run = (windowOperation: string) => runVirtual(sparkEngine, flow(spec), input, { values: { ...BATCHES, windowOperation } });
    const [win, reduce, inverse] = await Promise.all(OPERATIONS.map(run));
    // window(): the raw records of 4 batches are shuffled at every slide; reduceByKeyAndWindow shuffles each batch once.
    expect(win.stats.shuffleBytes as number).toBeGreaterThan(3 * (reduce.stats.shuffleBytes as number));
    expect(inverse.stats.shuffleBytes).toBe(reduce.stats.shuffleBytes);
    // window(): each batch's 3 records are serialized once and deserialized by each of the 4 windows over it (the last one too).
    expect(win.stats.recordsSerializedToBlocks).toBe(input.length);
    expect(win.stats.recordsDeserializedFromBlocks).toBe(4 * input.length);
    // The inverse version reads each reduced batch twice (when it slides in, when it slides out) and the previous window.
    const reducedPerBatch = reduce.stats.recordsSerializedToBlocks as number;
    expect(reduce.stats.recordsDeserializedFromBlocks).toBe(4 * reducedPerBatch);
    expect(inverse.stats.recordsDeserializedFromBlocks as number).toBeLessThan(
      4 * reducedPerBatch + (inverse.stats.recordsSerializedToBlocks as number),
    );
  });
});

describe('validation, as Spark validates', () => {
  it("window and slide must be multiples of the batch interval: Spark's messages, as usage errors", async () => {
    const values = (windowOperation: string) => ({ ...defaultOptionValues(sparkEngine.options), batchInterval: 20, windowOperation });
    for (const op of ['window', 'reduceByKeyAndWindow']) {
      expect(() => sparkEngine.explain(flow(sliding(50, 20)), { parallelism: 1, values: values(op) })).toThrow(
        'The window duration of windowed DStream (50 ms) must be a multiple of the slide duration of parent DStream (20 ms)',
      );
      expect(() => sparkEngine.explain(flow(sliding(60, 30)), { parallelism: 1, values: values(op) })).toThrow(
        'The slide duration of windowed DStream (30 ms) must be a multiple of the slide duration of parent DStream (20 ms)',
      );
    }
    expect(() => sparkEngine.explain(flow(sliding(50, 20)), { parallelism: 1, values: values('reduceByKeyAndWindowInv') })).toThrow(
      'requirement failed: The window duration of ReducedWindowedDStream (50 ms) must be multiple of the slide duration of parent DStream (20 ms)',
    );
    expect(() => sparkEngine.explain(flow(tumbling(30)), { parallelism: 1, values: values('reduceByKeyAndWindowInv') })).toThrow(
      'requirement failed: The window duration of ReducedWindowedDStream (30 ms) must be multiple',
    );
    const io = {
      log: new EventLog(1, new ManualClock(0)),
      sinks: { get: () => ({ write: () => {} }) },
      clock: new ManualClock(0),
      metrics: { lateRecordsDropped: () => {} },
    };
    await expect(sparkEngine.start(flow(tumbling(30)), io, { parallelism: 1, values: values('window') })).rejects.toThrow(OptionError);
  });

  it('the inverse version needs an aggregate with an inverse, and must checkpoint (at a multiple of its slide)', () => {
    const opts = (o: Record<string, unknown>) => ({
      parallelism: 1,
      values: { ...defaultOptionValues(sparkEngine.options), windowOperation: 'reduceByKeyAndWindowInv', ...o },
    });
    const max = reducing<string>('max', (a, b) => (a > b ? a : b));
    expect(() => sparkEngine.explain(flow(sliding(3000, 1000), max), opts({}))).toThrow(
      "the aggregate 'max' of count has no inverse function (retract)",
    );
    expect(() => sparkEngine.explain(flow(sliding(3000, 1000), max), opts({ windowOperation: 'reduceByKeyAndWindow' }))).not.toThrow();
    expect(() => sparkEngine.explain(flow(sliding(4000, 2000)), opts({ checkpointInterval: '5s' }))).toThrow(
      'The checkpoint interval for ReducedWindowedDStream has been set to 5000 ms which not a multiple of its slide duration (2000 ms)',
    );
    expect(() => sparkEngine.explain(flow(sliding(4000, 2000)), opts({ checkpointInterval: 'off' }))).toThrow(
      'The checkpoint directory has not been set',
    );
    const plan = sparkEngine.explain(flow(sliding(4000, 2000)), opts({}));
    expect(plan.text).toContain('ReducedWindowedDStream');
    expect(plan.text).toContain('checkpoint every 10000 ms'); // the first multiple of the slide >= 10 s
  });
});

describe('ReducedWindowedDStream checkpoints', () => {
  it("replace a window's RDD by its checkpoint, so the next windows' lineage stops there", () => {
    const clock = new ManualClock(0);
    const log = new EventLog(1, clock);
    const ssc = new StreamingContext(sparkConf({ batchInterval: 10, checkpointInterval: '40ms' }), {
      log,
      clock,
      metrics: { lateRecordsDropped: () => {} },
      sinks: { get: () => ({ write: () => {} }) },
    });
    const words: DStream = ssc.inputStream('in');
    const reduced = new ShuffledDStream(ssc, words, (w) => w as string, count(), new HashPartitioner(2), 'per batch');
    const windows = new ReducedWindowedDStream(ssc, reduced, 30, 10, 'counts');
    const seen = new Map<number, Map<string, number>>();
    windows.foreachRDD((ctx) => {
      const m = new Map<string, number>();
      seen.set(ctx.batch.time, m);
      return (v) => {
        const [k, acc] = v as [string, number];
        m.set(k, (m.get(k) ?? 0) + acc);
      };
    }, 'collect');
    ssc.start();
    for (let t = 0; t < 200; t++) {
      clock.set(t);
      log.append(0, WORDS[t % 3], t);
      log.publish();
      clock.runDeferred();
    }
    clock.set(201);
    clock.runDeferred();
    expect(ssc.sc.scheduler.error).toBeUndefined();
    ssc.stop();
    // 10 records per batch, 'a' 'b' 'c' in turn; a 30 ms window holds 30 records, 10 of each word.
    expect(Object.fromEntries(seen.get(100)!)).toEqual({ a: 10, b: 10, c: 10 });
    expect(windows.checkpointsTaken).toBe(5); // at 40, 80, 120, 160, 200 ms
    const cut = windows.generatedRDDs.get(160)!;
    expect(cut).toBeInstanceOf(ReliableCheckpointRDD);
    expect(cut.dependencies).toEqual([]);
    // The window after it depends on it, and on nothing older than the batches of its own window.
    const lineage = (rdd: RDD, acc = new Set<RDD>()): Set<RDD> => {
      if (acc.has(rdd)) return acc;
      acc.add(rdd);
      for (const d of rdd.dependencies) lineage(d.rdd, acc);
      return acc;
    };
    const next = windows.generatedRDDs.get(170)!;
    expect(lineage(next).has(cut)).toBe(true);
    expect(lineage(next).size).toBeLessThan(20);
  });
});
