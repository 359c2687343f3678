/**
 * State across batches: checkpoint interval rule and checkpoint jobs, mapWithState vs updateStateByKey,
 * offsets committed after batches (bounded memory), the receivers' bounded block store, stop(), the
 * engineStats shape and the configuration errors.
 */
import { describe, expect, it } from 'vitest';
import { count, DataflowBuilder, defaultOptionValues, tumbling, type OptionValues } from '../../../engines/api/index.js';
import { defaultCheckpointInterval, sparkConf, sparkEngine } from '../../../engines/spark/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { EventLog, SEGMENT_SIZE } from '../../../bench/driver/index.js';
import { LateRecordCounter } from '../../../bench/metrics/index.js';
import { wordcount } from '../../../workloads/wordcount/index.js';
import { referenceEngine } from '../../../engines/reference/index.js';
import { driveToNextTimers, flushMicrotasks, runBounded, sortedValues, VIRTUAL_START_MS } from '../../support/run-bounded.js';
import { prng, runVirtual } from './support.js';

interface Ev {
  t: number;
  k: string;
}

function countFlow(window = 50) {
  const b = new DataflowBuilder('counts');
  b.source<Ev>('events')
    .withTimestamps((e) => e.t, { maxDelay: 5 }, 'ts')
    .keyBy((e) => e.k)
    .window(tumbling(window))
    .aggregate(count<Ev>(), 'count')
    .sink('out');
  return b.build();
}

function input(n: number, keys = 20): Ev[] {
  const r = prng(n);
  return Array.from({ length: n }, (_, i) => ({ t: i - r.int(5), k: `k${r.int(keys)}` }));
}

describe('checkpoint interval', () => {
  it('defaults as Spark computes it: mapWithState 10 batches, updateStateByKey the first multiple of the batch >= 10 s', () => {
    expect(defaultCheckpointInterval(1000, 'mapWithState')).toBe(10_000);
    expect(defaultCheckpointInterval(250, 'mapWithState')).toBe(2500);
    expect(defaultCheckpointInterval(1000, 'updateStateByKey')).toBe(10_000);
    expect(defaultCheckpointInterval(300, 'updateStateByKey')).toBe(10_200);
    expect(defaultCheckpointInterval(3000, 'updateStateByKey')).toBe(12_000);
    expect(sparkConf({}).checkpointIntervalMs).toBe(10_000);
    expect(sparkConf({ batchInterval: 200, stateMode: 'updateStateByKey' }).checkpointIntervalMs).toBe(10_000);
    expect(sparkConf({ checkpointInterval: 'off' }).checkpointIntervalMs).toBe(0);
    expect(sparkConf({ checkpointInterval: '5s' }).checkpointIntervalMs).toBe(5000);
  });

  it('a checkpoint job snapshots every state partition at batch times that are multiples of the interval', async () => {
    const r = await runVirtual(sparkEngine, countFlow(), input(400), {
      parallelism: 2,
      values: { batchInterval: 10, maxRatePerPartition: 2000, checkpointInterval: '30ms' },
      startMs: 1_000_000,
    });
    const cps = r.stats.checkpoints;
    const batches = r.stats.batches;
    expect(cps.length).toBe(Math.floor(batches.length / 3));
    for (const cp of cps) {
      expect((cp.time - 1_000_000) % 30).toBe(0); // zero time is 1_000_000, one interval before the first batch
      expect(cp.sizeBytes).toBeGreaterThan(0);
      expect(cp.durationMs).toBe(0); // virtual time: the checkpoint's tasks take none
      // The checkpoint is one more stage (one task per state partition) of its batch.
      expect(batches.find((b) => b.time === cp.time)).toMatchObject({ stages: 3, tasks: 2 + 2 + 2 });
    }
    const off = await runVirtual(sparkEngine, countFlow(), input(400), {
      values: { batchInterval: 10, maxRatePerPartition: 2000, checkpointInterval: 'off' },
    });
    expect(off.stats.checkpoints).toEqual([]);
  });

  it('is rejected when not a multiple of the batch interval', () => {
    expect(() => sparkConf({ batchInterval: 300, checkpointInterval: '1s' })).toThrow('must be a multiple of the batch interval');
  });
});

describe('mapWithState and updateStateByKey', () => {
  it("updateStateByKey calls the update function on every entry every batch; mapWithState touches only the batch's keys", async () => {
    const values = { batchInterval: 10, maxRatePerPartition: 1000 };
    const events = input(300, 30);
    const byKey = await runVirtual(sparkEngine, countFlow(1000), events, { values: { ...values, stateMode: 'updateStateByKey' } });
    const withState = await runVirtual(sparkEngine, countFlow(1000), events, { values });
    expect(sortedValues(byKey.sinks.out)).toEqual(sortedValues(withState.sinks.out));
    expect(withState.stats.stateEntriesTouched).toBe(0);
    // 30 batches of 10 records over 30 keys in one open window: the state grows to ~30 entries, and every
    // batch visits all of it, however few keys the batch has.
    const batches = byKey.stats.batchesTotal;
    expect(batches).toBe(30);
    expect(byKey.stats.stateEntriesTouched).toBeGreaterThan(20 * (batches - 10));
  });
});

describe('offsets and memory', () => {
  it('commits log offsets after each batch, so the log drops what was processed (direct and receiver)', async () => {
    const events = input(3 * SEGMENT_SIZE, 5);
    const configs: OptionValues[] = [
      { batchInterval: 10, maxRatePerPartition: 200_000 },
      { source: 'receiver', batchInterval: 10, blockInterval: 5, receiverMaxRate: 400_000 },
    ];
    for (const values of configs) {
      const r = await runVirtual(sparkEngine, countFlow(), events, { values });
      expect(r.log.retainedEntries, JSON.stringify(values)).toBeLessThanOrEqual(SEGMENT_SIZE);
      expect(r.stats.batches.length).toBeGreaterThan(3);
    }
  });

  it('a full receiver block store stops the receiver; nothing is lost', async () => {
    const events = input(600);
    const ref = await runBounded(referenceEngine, countFlow(), events);
    const r = await runVirtual(sparkEngine, countFlow(), events, {
      values: { source: 'receiver', batchInterval: 20, blockInterval: 5, receiverMaxRate: 20_000, memoryStoreBytes: 1024 },
    });
    expect(sortedValues(r.sinks.out)).toEqual(sortedValues(ref.sinks.out));
  });
});

describe('running and stopping', () => {
  it('stop() ends an unbounded run: nothing is written after it returns, no timer is left', async () => {
    const clock = new ManualClock(VIRTUAL_START_MS);
    const log = new EventLog(1, clock);
    const flow = countFlow(10);
    let written = 0;
    const sinks = { get: () => ({ write: () => void written++ }) };
    const job = await sparkEngine.start(
      flow,
      { log, sinks, clock, metrics: new LateRecordCounter() },
      { parallelism: 1, values: { ...defaultOptionValues(sparkEngine.options), batchInterval: 5 } },
    );
    for (let t = 0; t < 200; t++) log.append(0, { t, k: 'a' }, t);
    log.publish();
    await driveToNextTimers(clock, () => written > 0);
    await job.stop();
    const after = written;
    expect(after).toBeGreaterThan(0);
    for (let t = 200; t < 400; t++) log.append(0, { t, k: 'a' }, t);
    log.publish();
    // A hundred batch intervals later (virtual time: the wait cannot be too short on a slow machine).
    clock.advance(500);
    await flushMicrotasks();
    clock.advance(0);
    expect(written).toBe(after);
    expect(clock.pendingTimers).toBe(0);
    await job.drained(); // resolves once stopped
  });

  it('engineStats has the documented shape and is JSON', async () => {
    const r = await runVirtual(
      sparkEngine,
      wordcount.dataflow({ ...defaultOptionValues(wordcount.options), window: 100, maxDelay: 10 }),
      Array.from({ length: 50 }, (_, k) => ({ time: k, text: 'a b' })),
      { values: { batchInterval: 10, maxRatePerPartition: 1000, backpressure: true } },
    );
    const s = r.stats;
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(s).toMatchObject({
      batchIntervalMs: 10,
      batchesTotal: expect.any(Number),
      shuffleBytes: expect.any(Number),
      stateEntries: 0,
      lateRecordsDropped: 0,
    });
    expect(Array.isArray(s.checkpoints) && Array.isArray(s.rateLimit)).toBe(true);
    for (const b of s.batches) {
      for (const key of ['time', 'records', 'schedulingDelayMs', 'processingDelayMs', 'totalDelayMs', 'stages', 'tasks'] as const)
        expect(typeof b[key]).toBe('number');
    }
    expect(s.batches.length).toBe(s.batchesTotal);
  });
});

describe('configuration', () => {
  it('rejects a receiver setup that leaves no core to process batches', () => {
    expect(() => sparkConf({ source: 'receiver', receivers: 2, executors: 1, coresPerExecutor: 2 })).toThrow(
      'leave none to process batches',
    );
    expect(() => sparkConf({ source: 'receiver', coresPerExecutor: 1 })).toThrow('spark.source=receiver');
    expect(() => sparkConf({ source: 'receiver', receivers: 2, executors: 3, coresPerExecutor: 1 })).not.toThrow();
  });

  it('lists every option with a default that validates', () => {
    const keys = sparkEngine.options.map((o) => o.key);
    for (const k of [
      'batchInterval',
      'concurrentJobs',
      'source',
      'blockInterval',
      'backpressure',
      'maxRatePerPartition',
      'executors',
      'coresPerExecutor',
      'stateMode',
      'checkpointInterval',
      'pidProportional',
      'pidIntegral',
      'pidDerived',
      'pidMinRate',
    ])
      expect(keys).toContain(k);
    expect(sparkEngine.options.find((o) => o.key === 'batchInterval')!.default).toBe(1000);
    expect(sparkEngine.options.find((o) => o.key === 'blockInterval')!.default).toBe(200);
    expect(() => sparkConf(defaultOptionValues(sparkEngine.options))).not.toThrow();
  });
});
