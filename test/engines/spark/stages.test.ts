/**
 * The DAGScheduler's stage cutting (which operators share a stage, where shuffles cut), the stages and
 * tasks that really run per batch, and the shuffle: serialized buckets per reducer, map-side combine.
 */
import { describe, expect, it } from 'vitest';
import {
  count,
  DataflowBuilder,
  defaultOptionValues,
  session,
  sumOf,
  tumbling,
  type Dataflow,
  type OptionValues,
  type WindowResult,
} from '../../../engines/api/index.js';
import {
  DAGScheduler,
  KafkaRDD,
  ShuffleMapStage,
  sparkConf,
  sparkEngine,
  stagePipeline,
  KeyedStateRDD,
  StreamingContext,
  lowerDataflow,
  BatchContext,
  type Stage,
} from '../../../engines/spark/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { EventLog } from '../../../bench/driver/index.js';
import { stateless } from '../../../workloads/stateless/index.js';
import { wordcount } from '../../../workloads/wordcount/index.js';
import { sortedValues } from '../../support/run-bounded.js';
import { prng, runVirtual } from './support.js';

/** The stages of every job of one batch: `[kind, rdd names of the pipeline]` per stage, parents first. */
function planStages(
  flow: Dataflow,
  parallelism: number,
  values: OptionValues = {},
): { kind: string; ops: string[]; tasks: number; combine?: boolean }[][] {
  const clock = new ManualClock(0);
  const ssc = new StreamingContext(sparkConf(values), {
    log: new EventLog(parallelism, clock),
    clock,
    metrics: { lateRecordsDropped: () => {} },
    sinks: { get: () => ({ write: () => {} }) },
  });
  lowerDataflow(ssc, flow, parallelism);
  ssc.graph.start(0);
  const time = ssc.conf.batchIntervalMs;
  for (const input of ssc.graph.inputStreams) input.allocateForExplain(time);
  const batch = new BatchContext(time, 0, ssc.eventTime.operatorCount, ssc.eventTime.originCount, false);
  const dag: DAGScheduler = ssc.sc.dagScheduler;
  return ssc.graph.generateJobs(time).map((job) => {
    const order: Stage[] = [];
    const visit = (s: Stage) => {
      if (order.includes(s)) return;
      s.parents.forEach(visit);
      order.push(s);
    };
    visit(dag.planJob(job.rdd, batch));
    return order.map((s) => ({
      kind: s.kind,
      ops: stagePipeline(s.rdd).map((r) => `${r.kind}:${r.name}`),
      tasks: s.numTasks,
      ...(s instanceof ShuffleMapStage ? { combine: s.shuffleDep.combiner !== undefined } : {}),
    }));
  });
}

describe('stage cutting', () => {
  it('stateless: source, parse, filter and project are pipelined in one ResultStage, one task per log partition', () => {
    const jobs = planStages(stateless.dataflow(defaultOptionValues(stateless.options)), 3);
    expect(jobs).toEqual([
      [
        {
          kind: 'ResultStage',
          ops: ['KafkaRDD:events', 'MapPartitionsRDD:parse', 'MapPartitionsRDD:filter-views', 'MapPartitionsRDD:project'],
          tasks: 3,
        },
      ],
    ]);
  });

  it('wordcount: the keyBy + window cuts a ShuffleMapStage (read, timestamps, split) from the ResultStage (shuffle read, state)', () => {
    const jobs = planStages(wordcount.dataflow(defaultOptionValues(wordcount.options)), 2);
    expect(jobs).toEqual([
      [
        {
          kind: 'ShuffleMapStage',
          ops: ['KafkaRDD:events', 'MapPartitionsRDD:timestamps', 'MapPartitionsRDD:split'],
          tasks: 2,
          combine: true,
        },
        { kind: 'ResultStage', ops: ['ShuffledRDD:count', 'MapWithStateRDD:count'], tasks: 2 },
      ],
    ]);
  });

  it("a window after a window: three stages; the first window's state update and the re-keying map share the middle stage", () => {
    const b = new DataflowBuilder('two-windows');
    b.source<{ t: number; k: string }>('events')
      .withTimestamps((e) => e.t, { maxDelay: 0 }, 'ts')
      .keyBy((e) => e.k)
      .window(tumbling(10))
      .aggregate(count(), { name: 'w1', parallelism: 4 })
      .map((r) => (r as WindowResult).value, 'value')
      .keyBy((v) => Number(v) % 2)
      .window(tumbling(100))
      .aggregate(
        sumOf<number>((v) => v),
        'w2',
      )
      .sink('out');
    const [job] = planStages(b.build(), 3);
    expect(job).toEqual([
      { kind: 'ShuffleMapStage', ops: ['KafkaRDD:events', 'MapPartitionsRDD:ts'], tasks: 3, combine: true },
      { kind: 'ShuffleMapStage', ops: ['ShuffledRDD:w1', 'MapWithStateRDD:w1', 'MapPartitionsRDD:value'], tasks: 4, combine: true },
      { kind: 'ResultStage', ops: ['ShuffledRDD:w2', 'MapWithStateRDD:w2'], tasks: 3 },
    ]);
  });

  it("a join: one ShuffleMapStage per input, both parents of the join's stage; sessions are not combined map-side", () => {
    const b = new DataflowBuilder('joins');
    const src = b.source<{ t: number; k: string }>('events').withTimestamps((e) => e.t, { maxDelay: 0 }, 'ts');
    const left = src.filter((e) => e.t % 2 === 0, 'left');
    const right = src.filter((e) => e.t % 2 === 1, 'right');
    left
      .keyBy((e) => e.k)
      .join(
        right.keyBy((e) => e.k),
        (l, r) => [l, r],
        'join',
      )
      .sink('joined');
    src
      .keyBy((e) => e.k)
      .window(session(5))
      .aggregate(count(), 'sessions')
      .sink('sessions-out');
    const [joinJob, sessionJob] = planStages(b.build(), 2);
    expect(joinJob).toEqual(
      [
        {
          kind: 'ShuffleMapStage',
          ops: ['KafkaRDD:events', 'MapPartitionsRDD:ts (MEMORY_ONLY)', 'MapPartitionsRDD:left'],
          tasks: 2,
          combine: false,
        },
        {
          kind: 'ShuffleMapStage',
          ops: ['KafkaRDD:events', 'MapPartitionsRDD:ts (MEMORY_ONLY)', 'MapPartitionsRDD:right'],
          tasks: 2,
          combine: false,
        },
        { kind: 'ResultStage', ops: ['ShuffledRDD:join left', 'ShuffledRDD:join right', 'MapWithStateRDD:join'], tasks: 2 },
      ].map((s) => ({ ...s, ops: s.ops.map((o) => o.replace(' (MEMORY_ONLY)', '')) })),
    );
    expect(sessionJob[0]).toMatchObject({ kind: 'ShuffleMapStage', combine: false });
  });

  it('explain prints the DStream graph and the stages of one batch, as text and as nodes and edges', () => {
    const plan = sparkEngine.explain(wordcount.dataflow(defaultOptionValues(wordcount.options)), {
      parallelism: 2,
      values: defaultOptionValues(sparkEngine.options),
    });
    expect(plan.text).toContain('DirectKafkaInputDStream');
    expect(plan.text).toContain('MapWithStateDStream');
    expect(plan.text).toContain('ShuffleMapStage 0: 2 task(s)');
    expect(plan.text).toContain('ResultStage 1 after stage 0: 2 task(s)');
    expect(plan.text).toContain('map-side combine');
    const stages = plan.nodes.filter((n) => n.kind === 'stage');
    expect(stages.map((s) => s.label)).toEqual(['ShuffleMapStage 0', 'ResultStage 1']);
    const rdds = plan.nodes.filter((n) => n.kind === 'rdd');
    expect(rdds.map((r) => [r.label.replace(/\[\d+\]/, ''), r.parent])).toEqual([
      ['KafkaRDD events', 'stage-0'],
      ['MapPartitionsRDD timestamps', 'stage-0'],
      ['MapPartitionsRDD split', 'stage-0'],
      ['ShuffledRDD count', 'stage-1'],
      ['MapWithStateRDD count', 'stage-1'],
    ]);
    expect(plan.edges.filter((e) => e.label?.startsWith('shuffle ')).length).toBe(1);
    expect(plan.nodes.filter((n) => n.kind === 'dstream').length).toBe(5);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });
});

describe('stages and tasks at run time', () => {
  it('each batch runs its stages with one task per partition; a receiver batch has one map task per block', async () => {
    const flow = wordcount.dataflow({ ...defaultOptionValues(wordcount.options), window: 100, maxDelay: 0 });
    const input = Array.from({ length: 300 }, (_, k) => ({ time: k, text: `w${k % 7} w${k % 3}` }));
    const direct = await runVirtual(sparkEngine, flow, input, { parallelism: 3, values: { batchInterval: 10, maxRatePerPartition: 2000 } });
    const batches = direct.stats.batches;
    expect(batches.length).toBeGreaterThan(3);
    for (const b of batches) expect([b.stages, b.tasks]).toEqual([2, 6]);

    const receiver = await runVirtual(sparkEngine, flow, input, {
      parallelism: 3,
      values: { source: 'receiver', batchInterval: 20, blockInterval: 5, receiverMaxRate: 3000 },
    });
    const rb = receiver.stats.batches;
    // 20 ms batches of 5 ms blocks: up to 4 blocks (map tasks), plus 3 reduce tasks.
    expect(rb.some((b) => b.tasks === 4 + 3)).toBe(true);
    for (const b of rb) expect(b.tasks).toBeLessThanOrEqual(5 + 3);
    expect(sortedValues(receiver.sinks.counts)).toEqual(sortedValues(direct.sinks.counts));
  });

  it('a fan-out of two output operations is two jobs per batch; the shared, persisted prefix runs once', async () => {
    const b = new DataflowBuilder('fanout');
    const w = b
      .source<{ t: number; k: string }>('events')
      .withTimestamps((e) => e.t, { maxDelay: 0 }, 'ts')
      .keyBy((e) => e.k)
      .window(tumbling(20))
      .aggregate(count(), 'count');
    w.sink('a');
    w.sink('b');
    const input = Array.from({ length: 200 }, (_, t) => ({ t, k: `k${t % 5}` }));
    const r = await runVirtual(sparkEngine, b.build(), input, { parallelism: 2, values: { batchInterval: 10, maxRatePerPartition: 2000 } });
    const batches = r.stats.batches;
    // Job 1: map stage + result stage; job 2: its result stage only (the window's RDD is cached).
    for (const x of batches) expect([x.stages, x.tasks]).toEqual([3, 6]);
    expect(sortedValues(r.sinks.a)).toEqual(sortedValues(r.sinks.b));
    expect(r.sinks.a.length).toBe(50); // 10 windows x 5 keys
  });
});

describe('the shuffle', () => {
  const flow = wordcount.dataflow({ ...defaultOptionValues(wordcount.options), window: 50, maxDelay: 10 });
  const r = prng(5);
  const input = Array.from({ length: 600 }, (_, k) => ({
    time: k - r.int(10),
    text: Array.from({ length: 6 }, () => `w${r.int(4)}`).join(' '),
  }));

  it('map-side combine folds each (window, key) into one partial per map task: far fewer shuffle bytes, same results', async () => {
    const values = { batchInterval: 10, maxRatePerPartition: 5000 };
    const combined = await runVirtual(sparkEngine, flow, input, { parallelism: 2, values });
    const plain = await runVirtual(sparkEngine, flow, input, { parallelism: 2, values: { ...values, mapSideCombine: false } });
    expect(sortedValues(combined.sinks.counts)).toEqual(sortedValues(plain.sinks.counts));
    const combinedBytes = combined.stats.shuffleBytes;
    const plainBytes = plain.stats.shuffleBytes;
    expect(combinedBytes).toBeGreaterThan(0);
    // 3600 words over 4 keys: without combine every word crosses the shuffle, with it at most
    // (windows x keys) partials per map task and batch.
    expect(plainBytes).toBeGreaterThan(3 * combinedBytes);
  });

  it("shuffle data crosses as serialized bytes: the reduce side gets copies, never the map side's objects", async () => {
    const sent: object[] = [];
    const b = new DataflowBuilder('identity');
    const src = b.source<number>('numbers').map((n) => {
      const box = { n, tag: 'x' };
      sent.push(box);
      return box;
    }, 'box');
    const left = src.filter((x) => x.n % 2 === 0, 'even');
    const right = src.filter((x) => x.n % 2 === 1, 'odd');
    left
      .keyBy(() => 'all')
      .join(
        right.keyBy(() => 'all'),
        (l, r) => ({ l, r }),
        'pairs',
      )
      .sink('out');
    const res = await runVirtual(sparkEngine, b.build(), [0, 1, 2, 3], { values: { batchInterval: 10 } });
    expect(res.sinks.out.length).toBe(4);
    for (const rec of res.sinks.out) {
      const { l, r } = rec.value as { l: object; r: object };
      expect(sent).toContainEqual(l);
      expect(sent.includes(l) || sent.includes(r)).toBe(false);
    }
    expect(res.stats.shuffleBytes).toBeGreaterThan(4 * 28);
  });
});

describe('keyed state RDDs', () => {
  it('the KeyedStateRDD of batch n computes state version n of its operator', () => {
    const clock = new ManualClock(0);
    const ssc = new StreamingContext(sparkConf({ batchInterval: 10 }), {
      log: new EventLog(1, clock),
      clock,
      metrics: { lateRecordsDropped: () => {} },
      sinks: { get: () => ({ write: () => {} }) },
    });
    lowerDataflow(ssc, wordcount.dataflow(defaultOptionValues(wordcount.options)), 1);
    ssc.graph.start(0);
    const versions: number[] = [];
    for (const time of [10, 20, 30]) {
      for (const input of ssc.graph.inputStreams) input.allocateForExplain(time);
      const [job] = ssc.graph.generateJobs(time);
      expect(job.rdd).toBeInstanceOf(KeyedStateRDD);
      versions.push((job.rdd as KeyedStateRDD).version);
      const source = stagePipeline((job.rdd as KeyedStateRDD).parents[0].dependencies[0].rdd)[0];
      expect(source).toBeInstanceOf(KafkaRDD);
    }
    expect(versions).toEqual([0, 1, 2]);
  });
});
