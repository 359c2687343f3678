/**
 * Nimbus: validation, the system topology (ackers, JStorm's topology master), task numbering, executors,
 * and the schedulers' assignments (Storm's EvenScheduler, JStorm's co-locating TaskScheduler).
 */
import { describe, expect, it } from 'vitest';
import {
  evenScheduler,
  executorRanges,
  jstormTaskScheduler,
  resolveConfig,
  sortSlots,
  submitTopology,
  TopologyBuilder,
  type ExecutorDetails,
  type WorkerSlot,
} from '../../../engines/storm/index.js';
import { stormConfig, stormValues } from './support/virtual-run.js';
import { ListSpout, RecordingBolt } from './support/test-components.js';

function slot(node: number, port: number): WorkerSlot {
  return { supervisor: `supervisor-${node}`, node: `node-${node}`, port, id: `node-${node}:${port}` };
}

function wordTopology(p = 1) {
  const b = new TopologyBuilder('words');
  b.setSpout('spout', () => new ListSpout([]), p);
  b.setBolt('split', () => new RecordingBolt([]), p).shuffleGrouping('spout');
  b.setBolt('count', () => new RecordingBolt([]), p).fieldsGrouping('split', 'word', (w: string) => w);
  return b.createTopology();
}

describe('the even scheduler', () => {
  it('sorts slots round robin across nodes', () => {
    expect(sortSlots([[slot(1, 6701), slot(1, 6700)], [slot(2, 6700), slot(2, 6701)], [slot(3, 6700)]]).map((s) => s.id)).toEqual([
      'node-1:6700',
      'node-2:6700',
      'node-3:6700',
      'node-1:6701',
      'node-2:6701',
    ]);
  });

  it('deals executors sorted by start task over the first topology.workers slots', () => {
    const executors: ExecutorDetails[] = [5, 1, 3, 2, 4, 6, 7].map((t) => ({
      id: `c[${t}-${t}]`,
      component: 'c',
      startTask: t,
      endTask: t,
      system: false,
    }));
    const slots = sortSlots([
      [slot(1, 6700), slot(1, 6701)],
      [slot(2, 6700), slot(2, 6701)],
    ]);
    const a = evenScheduler.schedule({ executors, slots, workers: 3, upstream: new Map() });
    const where = (t: number) => a.get(`c[${t}-${t}]`)!.id;
    expect([1, 2, 3, 4, 5, 6, 7].map(where)).toEqual([
      'node-1:6700',
      'node-2:6700',
      'node-1:6701',
      'node-1:6700',
      'node-2:6700',
      'node-1:6701',
      'node-1:6700',
    ]);
  });

  it('numbers tasks by sorted component id, adds one acker per worker, and spreads executors over workers and supervisors', () => {
    const a = submitTopology(wordTopology(3), stormConfig({ workers: 3, supervisors: 2 }));
    expect(a.scheduler).toBe('EvenScheduler');
    // __acker < count < split < spout
    expect(a.componentTasks.get('__acker')).toEqual([1, 2, 3]);
    expect(a.componentTasks.get('count')).toEqual([4, 5, 6]);
    expect(a.componentTasks.get('split')).toEqual([7, 8, 9]);
    expect(a.componentTasks.get('spout')).toEqual([10, 11, 12]);
    expect(a.ackerTasks).toEqual([1, 2, 3]);
    expect(a.slots.map((s) => s.id)).toEqual(['node-1:6700', 'node-2:6700', 'node-1:6701']);
    const on = (id: string) => a.executors.filter((e) => a.executorSlot.get(e.id)!.id === id).map((e) => e.id);
    expect(on('node-1:6700')).toEqual(['__acker[1-1]', 'count[4-4]', 'split[7-7]', 'spout[10-10]']);
    expect(on('node-2:6700')).toEqual(['__acker[2-2]', 'count[5-5]', 'split[8-8]', 'spout[11-11]']);
    expect(on('node-1:6701')).toEqual(['__acker[3-3]', 'count[6-6]', 'split[9-9]', 'spout[12-12]']);
  });

  it('splits tasks over executors in contiguous ranges, the first ones larger', () => {
    expect(executorRanges(1, 7, 3)).toEqual([
      [1, 3],
      [4, 5],
      [6, 7],
    ]);
    expect(executorRanges(4, 2, 5)).toEqual([
      [4, 4],
      [5, 5],
    ]);
    const b = new TopologyBuilder('tasks');
    b.setSpout('s', () => new ListSpout([]), 2).setNumTasks(5);
    b.setBolt('b', () => new RecordingBolt([]), 1).shuffleGrouping('s');
    const a = submitTopology(b.createTopology(), stormConfig({ ackers: '2' }));
    expect(a.executors.map((e) => e.id)).toEqual(['__acker[1-1]', '__acker[2-2]', 'b[3-3]', 's[4-6]', 's[7-8]']);
    // JStorm: a task is a thread.
    const j = submitTopology(b.createTopology(), stormConfig({ flavour: 'jstorm', ackers: '0' }));
    expect(j.executors.filter((e) => e.component === 's').length).toBe(5);
  });
});

describe('the JStorm scheduler', () => {
  it('places the topology master first and co-locates tasks with their producers', () => {
    const a = submitTopology(wordTopology(2), stormConfig({ flavour: 'jstorm', workers: 2, ackers: '0' }));
    expect(a.scheduler).toBe('JStorm TaskScheduler');
    expect(a.masterTask).not.toBeNull();
    const where = (task: number) => a.executorSlot.get(a.executors.find((e) => e.startTask === task)!.id)!.id;
    expect(where(a.masterTask!)).toBe(a.slots[0].id);
    // One of each component per worker, and every split next to a spout, every count next to a split.
    for (const c of ['spout', 'split', 'count']) {
      expect(new Set(a.componentTasks.get(c)!.map(where)).size).toBe(2);
    }
    const direct = jstormTaskScheduler.schedule({
      executors: [
        { id: 'p[1-1]', component: 'p', startTask: 1, endTask: 1, system: false },
        { id: 'q[2-2]', component: 'q', startTask: 2, endTask: 2, system: false },
        { id: 'r[3-3]', component: 'r', startTask: 3, endTask: 3, system: false },
      ],
      slots: [slot(1, 6900), slot(1, 6901)],
      workers: 2,
      upstream: new Map([
        ['q', []],
        ['r', ['p']],
        ['p', []],
      ]),
    });
    // r consumes from p: it joins p's worker once the totals tie.
    expect(direct.get('r[3-3]')!.id).toBe(direct.get('p[1-1]')!.id);
  });
});

describe('validation and configuration', () => {
  it('rejects impossible topologies and configurations with one clear line', () => {
    const cyc = new TopologyBuilder('cyc');
    cyc.setSpout('s', () => new ListSpout([]));
    cyc
      .setBolt('a', () => new RecordingBolt([]))
      .shuffleGrouping('s')
      .shuffleGrouping('b');
    cyc.setBolt('b', () => new RecordingBolt([])).shuffleGrouping('a');
    expect(() => submitTopology(cyc.createTopology(), stormConfig())).toThrow(/has a cycle \(a -> b -> a\)/);
    const unknown = new TopologyBuilder('u');
    unknown.setSpout('s', () => new ListSpout([]));
    unknown.setBolt('a', () => new RecordingBolt([])).shuffleGrouping('nope');
    expect(() => submitTopology(unknown.createTopology(), stormConfig())).toThrow(/unknown component 'nope'/);
    const reserved = new TopologyBuilder('r');
    reserved.setSpout('__acker', () => new ListSpout([]));
    expect(() => submitTopology(reserved.createTopology(), stormConfig())).toThrow(/reserved for system components/);
    expect(() => resolveConfig(stormValues({ workers: 5 }))).toThrow(/storm.workers=5 needs 5 worker slots but the cluster has 4/);
    expect(() => resolveConfig(stormValues({ ackers: 'many' }))).toThrow(/storm.ackers/);
  });

  it('resolves flavour defaults from the reference', () => {
    const s = stormConfig();
    expect([
      s.receiveBufferSize,
      s.transferBufferSize,
      s.batchSize,
      s.messageTimeoutMs,
      s.maxSpoutPending,
      s.ackers,
      s.watermarkIntervalMs,
      s.basePort,
    ]).toEqual([32768, 1000, 1, 30_000, Infinity, 1, 1000, 6700]);
    const j = stormConfig({ flavour: 'jstorm', workers: 3 });
    expect([j.receiveBufferSize, j.transferBufferSize, j.batchSize, j.batchFlushIntervalMs, j.ackers, j.basePort]).toEqual([
      256, 256, 20, 2, 3, 6900,
    ]);
    expect(j.tm).toEqual({
      checkIntervalMs: 1000,
      waterMarkHigh: 0.8,
      waterMarkLow: 0.05,
      triggerRatio: 0.1,
      sampleNumber: 4,
      sampleRate: 0.75,
    });
  });
});
