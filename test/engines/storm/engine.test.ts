/** The engine's surface: options, explain, engineStats' shape, and stop() on an unbounded run. */
import { describe, expect, it } from 'vitest';
import { defaultOptionValues } from '../../../engines/api/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { engines } from '../../../engines/index.js';
import { stormEngine } from '../../../engines/storm/index.js';
import { EventLog } from '../../../bench/driver/index.js';
import { LateRecordCounter } from '../../../bench/metrics/index.js';
import { stateless } from '../../../workloads/stateless/index.js';
import { wordcount } from '../../../workloads/wordcount/index.js';
import { START, runVirtual, stormValues } from './support/virtual-run.js';

const wcFlow = () => wordcount.dataflow(defaultOptionValues(wordcount.options));

describe('the storm engine', () => {
  it('is registered, with documented options', () => {
    expect(engines.storm).toBe(stormEngine);
    for (const o of stormEngine.options) expect(o.description.length).toBeGreaterThan(10);
  });

  it('explains the topology and the assignment, as text and as nodes and edges', () => {
    const plan = stormEngine.explain(wcFlow(), { parallelism: 3, values: stormValues({ workers: 2 }) });
    expect(plan.engine).toBe('storm');
    for (const s of [
      'events',
      'fills the timestamp field (timestamps',
      'split',
      'count',
      'counts',
      '__acker',
      'fields(key)',
      'localOrShuffle',
      'EvenScheduler',
      'worker node-1:6700',
      'worker node-1:6701',
      'supervisor-1',
      'WindowedBoltExecutor',
      'lag 201 ms',
    ]) {
      expect(plan.text).toContain(s);
    }
    const ids = new Set(plan.nodes.map((n) => n.id));
    for (const n of plan.nodes) if (n.parent !== undefined) expect(ids.has(n.parent), n.id).toBe(true);
    for (const e of plan.edges) {
      expect(ids.has(e.from), e.from).toBe(true);
      expect(ids.has(e.to), e.to).toBe(true);
    }
    // Storm's way: the timestamp is a field the spout fills in; no timestamps bolt.
    expect(plan.nodes.filter((n) => n.kind === 'executor').length).toBe(3 * 4 + 2);
    expect(plan.nodes.some((n) => n.id === 'component:timestamps')).toBe(false);
    expect(plan.nodes.filter((n) => n.kind === 'worker').length).toBe(2);
    expect(plan.edges).toContainEqual({ from: 'component:split', to: 'component:count', label: 'fields(key)' });
    expect(plan.edges).toContainEqual({ from: 'component:__acker', to: 'component:events', label: '__ack_ack/__ack_fail direct' });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    const inc = stormEngine.explain(wcFlow(), { parallelism: 3, values: stormValues({ workers: 2, windowing: 'incremental' }) });
    expect(inc.nodes.filter((n) => n.kind === 'executor').length).toBe(3 * 5 + 2);
    expect(inc.text).toContain('watermark tuples');
    expect(inc.edges).toContainEqual({ from: 'component:events', to: 'component:timestamps', label: 'localOrShuffle' });
    const j = stormEngine.explain(wcFlow(), { parallelism: 1, values: stormValues({ flavour: 'jstorm' }) });
    expect(j.text).toContain('__topology_master');
    expect(j.text).toContain('JStorm TaskScheduler');
  });

  it('reports engineStats in the agreed shape', async () => {
    const gen = stateless.generator(defaultOptionValues(stateless.options), 1);
    const events = Array.from({ length: 500 }, (_, k) => gen.next(k, START + k));
    for (const values of [{}, { ackers: '0', flavour: 'jstorm' }]) {
      const r = await runVirtual(stormEngine, stateless.dataflow({}), events, { values });
      const s = r.stats;
      expect(JSON.parse(JSON.stringify(s))).toEqual(s);
      expect(['storm', 'jstorm']).toContain(s.flavour);
      if (values.ackers === '0') expect(s.completeLatencyMs).toBeNull();
      else {
        expect(Object.keys(s.completeLatencyMs ?? {}).sort()).toEqual(['count', 'mean', 'p50', 'p99']);
        expect(s.completeLatencyMs?.count).toBeGreaterThan(0);
      }
      for (const k of ['acked', 'failed', 'replayed', 'lateRecordsDropped'] as const) expect(typeof s[k]).toBe('number');
      expect(s.acked).toBe(500);
      expect(s.bolts.map((b) => b.component)).toEqual(expect.arrayContaining(['parse', 'filter-views', 'project', 'views']));
      for (const b of s.bolts) {
        expect(Object.keys(b)).toEqual(expect.arrayContaining(['component', 'executors', 'executed', 'executeLatencyMs', 'capacity']));
        // On the virtual clock no time passes inside execute(): the execute latency, and so the capacity
        // (executed x execute latency / window), is exactly 0.
        expect(b.executeLatencyMs).toBe(0);
        expect(b.capacity).toBe(0);
      }
      expect(s.bolts.find((b) => b.component === 'parse')?.executed).toBe(500);
      for (const q of s.queues) {
        expect(typeof q.executor).toBe('string');
        expect(q.highWaterMark).toBeLessThanOrEqual(q.capacity);
      }
      expect(Object.keys(s.assignment)).toEqual(expect.arrayContaining(['workers', 'supervisors', 'executors', 'ackers']));
    }
  });

  it('stop() ends an unbounded run; nothing is written after it resolves', async () => {
    const clock = new ManualClock(START);
    const log = new EventLog(1, clock);
    let written = 0;
    const sinks = { get: () => ({ write: () => written++ }) };
    const job = await stormEngine.start(
      stateless.dataflow({}),
      { log, sinks, clock, metrics: new LateRecordCounter() },
      { parallelism: 1, values: stormValues() },
    );
    const gen = stateless.generator(defaultOptionValues(stateless.options), 2);
    for (let k = 0; k < 300; k++) log.append(0, gen.next(k, START + k), START + k);
    log.publish();
    clock.runDeferred();
    const before = written;
    expect(before).toBeGreaterThan(0);
    await job.stop();
    for (let k = 300; k < 600; k++) log.append(0, gen.next(k, START + k), START + k);
    log.publish();
    clock.advance(60_000);
    expect(written).toBe(before);
    await job.drained();
  });
});

describe('failures', () => {
  it('an exception in an operator rejects drained() with the executor named', async () => {
    const { DataflowBuilder } = await import('../../../engines/api/index.js');
    const b = new DataflowBuilder('boom');
    b.source<number>('events')
      .map((v) => {
        if (v === 5) throw new Error('bad value 5');
        return v;
      }, 'explode')
      .sink('out');
    await expect(
      runVirtual(
        stormEngine,
        b.build(),
        Array.from({ length: 10 }, (_, i) => i),
      ),
    ).rejects.toThrow(/explode\[\d+-\d+\] failed: bad value 5/);
  });
});
