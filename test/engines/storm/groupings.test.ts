/**
 * Stream groupings: each grouper's routing on its own, and end to end through a running topology
 * (which task of the consumer receives which tuple).
 */
import { describe, expect, it } from 'vitest';
import { hashKey } from '../../../engines/runtime/index.js';
import {
  AllGrouping,
  DirectGrouping,
  FieldsGrouping,
  GlobalGrouping,
  mkGrouper,
  PartialKeyGrouping,
  ShuffleGrouping,
  TopologyBuilder,
} from '../../../engines/storm/index.js';
import { runToEnd, startTopology } from './support/virtual-run.js';
import { ListSpout, RecordingBolt, type Received } from './support/test-components.js';

const TARGETS = [4, 5, 6, 7];

describe('groupers', () => {
  it('shuffle: round robin over a shuffled order, every target equally often', () => {
    const g = new ShuffleGrouping(TARGETS, 11);
    const picks = Array.from({ length: 400 }, () => g.choose('v'));
    for (const t of TARGETS) expect(picks.filter((p) => p === t).length).toBe(100);
    // A full round visits every target once, then the same order repeats.
    expect(new Set(picks.slice(0, 4)).size).toBe(4);
    expect(picks.slice(4, 8)).toEqual(picks.slice(0, 4));
  });

  it('fields: targets[hash(key) % n], the same task for the same key', () => {
    const g = new FieldsGrouping(TARGETS, { fields: 'word', key: (v: { w: string }) => v.w });
    for (const w of ['a', 'b', 'the', 'fox', 'ünï', '']) {
      expect(g.choose({ w })).toBe(TARGETS[hashKey(w) % 4]);
      expect(g.choose({ w, other: 1 })).toBe(g.choose({ w }));
    }
  });

  it('partial key: each key goes to one of its two candidates, whichever has received fewer', () => {
    const g = new PartialKeyGrouping(TARGETS, { fields: 'k', key: (v: string) => v });
    for (let i = 0; i < 300; i++) {
      const key = `k${i % 13}`;
      const [a, b] = g.candidates(key);
      const chosen = g.choose(key);
      expect([TARGETS[a], TARGETS[b]]).toContain(chosen);
    }
    // A hot key on its own alternates between its two candidates: the load splits evenly.
    let key = 'hot';
    for (let i = 0; g.candidates(key)[0] === g.candidates(key)[1]; i++) key = `hot${i}`;
    const hot = new PartialKeyGrouping(TARGETS, { fields: 'k', key: (v: string) => v });
    const [a, b] = hot.candidates(key);
    const picks = Array.from({ length: 100 }, () => hot.choose(key));
    expect(picks.filter((t) => t === TARGETS[a]).length).toBe(50);
    expect(picks.filter((t) => t === TARGETS[b]).length).toBe(50);
  });

  it('all, global, direct', () => {
    expect(new AllGrouping(TARGETS).all).toBe(true);
    expect(new GlobalGrouping([7, 5, 6]).choose('x')).toBe(5);
    expect(() => new DirectGrouping(TARGETS, 's').choose('x')).toThrow(/direct: emit to it with emitDirect/);
  });

  it("local or shuffle: only the targets in the producer's worker, all of them when none is local", () => {
    const local = mkGrouper(
      { type: 'localOrShuffle' },
      { targets: TARGETS, isLocal: (t) => t % 2 === 0, producerTask: 1, stream: 'default' },
    );
    expect(local.targets).toEqual([4, 6]);
    expect(new Set(Array.from({ length: 10 }, () => local.choose(null)))).toEqual(new Set([4, 6]));
    const none = mkGrouper({ type: 'localOrShuffle' }, { targets: TARGETS, isLocal: () => false, producerTask: 1, stream: 'default' });
    expect(new Set(Array.from({ length: 8 }, () => none.choose(null)))).toEqual(new Set(TARGETS));
  });
});

describe('groupings in a running topology', () => {
  it('route each tuple to the tasks the grouping names, across workers', async () => {
    const values = Array.from({ length: 60 }, (_, i) => ({ i, key: `k${i % 5}` }));
    const log: Received[] = [];
    let directTasks: readonly number[] = [];
    const b = new TopologyBuilder('routing');
    b.setSpout('src', () => new ListSpout(values), 1);
    b.setBolt(
      'router',
      () =>
        new RecordingBolt(log, {
          emit: (v, c, input) => {
            c.emit(input, v, 0, 0, 0);
            c.emitDirect(directTasks[v.i % 2], input, v, 0, 0, 0, 'direct');
          },
        }),
      1,
    )
      .shuffleGrouping('src')
      .declareStream('direct', true);
    b.setBolt('shuffled', () => new RecordingBolt(log), 3).shuffleGrouping('router');
    b.setBolt('fielded', () => new RecordingBolt(log), 3).fieldsGrouping('router', 'key', (v: { key: string }) => v.key);
    b.setBolt('everyone', () => new RecordingBolt(log), 2).allGrouping('router');
    b.setBolt('lowest', () => new RecordingBolt(log), 3).globalGrouping('router');
    b.setBolt('partial', () => new RecordingBolt(log), 3).partialKeyGrouping('router', 'key', (v: { key: string }) => v.key);
    b.setBolt('local', () => new RecordingBolt(log), 4).localOrShuffleGrouping('router');
    b.setBolt('zdirect', () => new RecordingBolt(log), 2).directGrouping('router', 'direct');
    const { clock, job } = startTopology(b.createTopology(), { workers: 4 });
    directTasks = job.assignment.componentTasks.get('zdirect')!;
    await runToEnd(clock, job);
    const a = job.assignment;
    const tasksOf = (c: string) => a.componentTasks.get(c)!;
    const got = (c: string) => log.filter((r) => r.component === c);

    const shuffled = got('shuffled');
    expect(shuffled.length).toBe(60);
    for (const t of tasksOf('shuffled')) expect(shuffled.filter((r) => r.task === t).length).toBe(20);

    const fielded = got('fielded');
    expect(fielded.length).toBe(60);
    for (const r of fielded) expect(r.task).toBe(tasksOf('fielded')[hashKey((r.value as { key: string }).key) % 3]);

    const everyone = got('everyone');
    expect(everyone.length).toBe(120);
    for (const t of tasksOf('everyone')) expect(everyone.filter((r) => r.task === t).length).toBe(60);

    expect(got('lowest').every((r) => r.task === Math.min(...tasksOf('lowest')))).toBe(true);
    expect(got('lowest').length).toBe(60);

    const partial = got('partial');
    expect(partial.length).toBe(60);
    for (let k = 0; k < 5; k++)
      expect(new Set(partial.filter((r) => (r.value as { key: string }).key === `k${k}`).map((r) => r.task)).size).toBeLessThanOrEqual(2);

    // local-or-shuffle: the router's worker hosts some 'local' tasks; only they receive.
    const routerTask = tasksOf('router')[0];
    const routerWorker = a.executorSlot.get(a.executors.find((e) => e.startTask === routerTask)!.id)!.id;
    const localTasks = tasksOf('local').filter(
      (t) => a.executorSlot.get(a.executors.find((e) => e.startTask === t)!.id)!.id === routerWorker,
    );
    expect(localTasks.length).toBeGreaterThan(0);
    expect(localTasks.length).toBeLessThan(4);
    expect(new Set(got('local').map((r) => r.task))).toEqual(new Set(localTasks));

    const direct = got('zdirect');
    expect(direct.length).toBe(60);
    for (const r of direct) expect(r.task).toBe(directTasks[(r.value as { i: number }).i % 2]);
    expect(direct.every((r) => r.input === 0)).toBe(true);
    expect(job.stats().transfer.remoteTuples).toBeGreaterThan(0);
  });

  it('rejects a direct grouping on a plain stream and a plain grouping on a direct stream', () => {
    const b = new TopologyBuilder('bad');
    b.setSpout('src', () => new ListSpout([]));
    b.setBolt('x', () => new RecordingBolt([])).directGrouping('src');
    expect(() => startTopology(b.createTopology())).toThrow(/direct grouping needs a direct stream/);
    const c = new TopologyBuilder('bad2');
    c.setSpout('src', () => new ListSpout([])).declareStream('d', true);
    c.setBolt('x', () => new RecordingBolt([])).shuffleGrouping('src', 'd');
    expect(() => startTopology(c.createTopology())).toThrow(/is direct and needs a direct grouping/);
  });
});
