/**
 * State across batches: checkpoint interval rule and checkpoint jobs, mapWithState vs updateStateByKey (what
 * each batch touches, serializes and keeps),
 * offsets committed after batches (bounded memory), the receivers' bounded block store, stop(), the
 * engineStats shape and the configuration errors.
 */
import { describe, expect, it } from 'vitest';
import { count, DataflowBuilder, defaultOptionValues, OptionError, tumbling, type OptionValues } from '../../../engines/api/index.js';
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
  });

  it("cannot be off with keyed state: mapWithState and updateStateByKey must checkpoint (Spark's message, a usage error)", async () => {
    for (const stateMode of ['mapWithState', 'updateStateByKey']) {
      const opts = { parallelism: 1, values: { ...defaultOptionValues(sparkEngine.options), checkpointInterval: 'off', stateMode } };
      expect(() => sparkEngine.explain(countFlow(), opts)).toThrow(OptionError);
      expect(() => sparkEngine.explain(countFlow(), opts)).toThrow(
        `spark.checkpointInterval=off: The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint() (${stateMode} of operator 'count' must checkpoint)`,
      );
    }
    // A stateless dataflow needs no checkpoint.
    const b = new DataflowBuilder('stateless');
    b.source<Ev>('events')
      .map((e) => e.k, 'k')
      .sink('out');
    const off = await runVirtual(sparkEngine, b.build(), input(100), { values: { batchInterval: 10, checkpointInterval: 'off' } });
    expect(off.stats.checkpoints).toEqual([]);
    expect(off.sinks.out.length).toBe(100);
  });

  it('is rejected when not a multiple of the batch interval', () => {
    expect(() => sparkConf({ batchInterval: 300, checkpointInterval: '1s' })).toThrow('must be a multiple of the batch interval');
  });
});

describe('mapWithState and updateStateByKey', () => {
  // 30 batches of 10 records over 30 keys in one 1000 ms window: the state grows to ~30 entries.
  const values = { batchInterval: 10, maxRatePerPartition: 1000 };
  const events = input(300, 30);

  it("give the same results; updateStateByKey updates every entry every batch, mapWithState only the batch's keys", async () => {
    const byKey = await runVirtual(sparkEngine, countFlow(1000), events, { values: { ...values, stateMode: 'updateStateByKey' } });
    const withState = await runVirtual(sparkEngine, countFlow(1000), events, { values });
    expect(sortedValues(byKey.sinks.out)).toEqual(sortedValues(withState.sinks.out));
    const batches = byKey.stats.batchesTotal as number;
    expect(batches).toBe(30);
    // mapWithState: one call per (key, window) of a batch, at most its 10 records.
    expect(withState.stats.stateEntriesTouched as number).toBeLessThanOrEqual(300);
    // updateStateByKey: every entry of the state, however few keys the batch has.
    expect(byKey.stats.stateEntriesTouched as number).toBeGreaterThan(20 * (batches - 10));
    expect(byKey.stats.stateEntriesTouched as number).toBeGreaterThan(2 * (withState.stats.stateEntriesTouched as number));
  });

  it('updateStateByKey deserializes and serializes the whole state every batch (MEMORY_ONLY_SER); mapWithState serializes it only to checkpoint', async () => {
    const byKey = await runVirtual(sparkEngine, countFlow(1000), events, { values: { ...values, stateMode: 'updateStateByKey' } });
    const withState = await runVirtual(sparkEngine, countFlow(1000), events, { values });
    // Every batch wrote the state it had: the sum over batches of its size, in bytes.
    const sizes = (byKey.stats.batches as { stateEntries: number }[]).map((b) => b.stateEntries);
    const entryBatches = sizes.reduce((a, b) => a + b, 0);
    expect(byKey.stats.stateBytesSerialized as number).toBeGreaterThan(20 * entryBatches);
    expect(byKey.stats.stateEntriesScanned as number).toBeGreaterThanOrEqual(entryBatches - sizes[sizes.length - 1]);
    expect(withState.stats.stateBytesSerialized).toBe(0);
    // mapWithState scans its state in its checkpoint batches (10, 20) and the last (30) only: 30 keys in
    // at most two windows each.
    expect(withState.stats.stateFullScans).toBe(3);
    expect(withState.stats.stateEntriesScanned as number).toBeLessThanOrEqual(3 * 2 * 30);
  });

  it('mapWithState keeps a delta map per batch over the previous ones until a checkpoint finds the chain 20 long and compacts it', async () => {
    const run = (n: number) => runVirtual(sparkEngine, countFlow(100_000), input(n * 10, 30), { values });
    // Batch b's map is b - 1 deltas above the first. Checkpoints every 10 batches: at 10 and 20 the chain
    // is 9 and 19 (kept); at 30 it is 29: compacted, so the map of batch 35 is 6 above the compacted one.
    const r25 = await run(25);
    expect(r25.stats.deltaChainLength).toBe(24);
    const r35 = await run(35);
    expect(r35.stats.deltaChainLength).toBe(6);
    // Old versions stay in memory: after the last batch closed every window nothing is live, but every
    // delta's entries (updates of 30 keys, ~10 per batch, and the removals) are still held.
    expect(r25.stats.stateEntries).toBe(0);
    expect(r25.stats.stateEntriesHeld as number).toBeGreaterThan(4 * 30);
  });

  it('updateStateByKey keeps a closed entry one more batch, marked closed, then drops it', async () => {
    const r = await runVirtual(sparkEngine, countFlow(50), input(400, 5), { values: { ...values, stateMode: 'updateStateByKey' } });
    expect(r.stats.stateEntriesHeld as number).toBeGreaterThan(r.stats.stateEntries as number);
    expect(r.stats.stateEntriesClosed as number).toBe(r.sinks.out.length);
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
      stateMode: 'mapWithState',
      stateEntriesTouched: expect.any(Number),
      stateFullScans: expect.any(Number),
      deltaChainLength: expect.any(Number),
    });
    expect(Array.isArray(s.checkpoints) && Array.isArray(s.rateLimit)).toBe(true);
    for (const b of s.batches) {
      for (const key of [
        'time',
        'records',
        'schedulingDelayMs',
        'processingDelayMs',
        'totalDelayMs',
        'stages',
        'tasks',
        'stateEntries',
      ] as const)
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
