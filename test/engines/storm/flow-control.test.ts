/**
 * Flow control: `topology.max.spout.pending` bounds the unacked tuples of a spout task; Storm 2
 * backpressure (full queues stop the senders and the spouts) keeps memory bounded under a slow bolt, in
 * one worker and across workers; JStorm's topology master throttles the spouts of a blocked component.
 */
import { describe, expect, it } from 'vitest';
import { DataflowBuilder } from '../../../engines/api/index.js';
import {
  BackpressureTrigger,
  BP_TRIGGER,
  FLOW_CTRL,
  TopologyBuilder,
  TopologyMaster,
  Tuple,
  type IBolt,
  type OutputCollector,
  type TopologyContext,
} from '../../../engines/storm/index.js';
import { stormEngine } from '../../../engines/storm/index.js';
import { drive, runToEnd, runVirtual, startTopology, stormConfig } from './support/virtual-run.js';
import { AckOnTickBolt, ListSpout } from './support/test-components.js';

describe('max spout pending', () => {
  for (const limit of [null, 1, 5, 32]) {
    it(`bounds in-flight tuples per spout task (${limit ?? 'unlimited'})`, async () => {
      const values = Array.from({ length: 300 }, (_, i) => i);
      const spouts: ListSpout[] = [];
      let maxPending = 0;
      const b = new TopologyBuilder('pending');
      b.setSpout(
        'src',
        () => {
          const s = new ListSpout(values);
          s.onEmit = (pending) => (maxPending = Math.max(maxPending, pending));
          spouts.push(s);
          return s;
        },
        2,
      );
      // Acks come 10 ms apart, so without a limit the spouts run far ahead.
      b.setBolt('slow-acks', () => new AckOnTickBolt(10), 2).shuffleGrouping('src');
      const { clock, job } = startTopology(b.createTopology(), { maxSpoutPending: limit });
      await runToEnd(clock, job);
      expect(spouts.reduce((n, s) => n + s.acked.length, 0)).toBe(values.length);
      if (limit === null) expect(maxPending).toBe(values.length / 2);
      else expect(maxPending).toBe(limit);
    });
  }
});

/** Emits `fanout` copies of each input: downstream gets many more tuples than this bolt consumes. */
class Amplifier implements IBolt {
  readonly autoAck = true;
  private c!: OutputCollector;
  constructor(private readonly fanout: number) {}
  prepare(_ctx: TopologyContext, c: OutputCollector): void {
    this.c = c;
  }
  execute(t: Tuple): void {
    for (let i = 0; i < this.fanout; i++) this.c.emit(t, t.value, t.eventTime, t.emitTime, t.ingestTime);
  }
}

class CountingSink implements IBolt {
  readonly autoAck = true;
  count = 0;
  constructor(private readonly onExecute?: () => void) {}
  prepare(): void {}
  execute(): void {
    this.count++;
    this.onExecute?.();
  }
}

describe('Storm 2 backpressure', () => {
  for (const workers of [1, 2]) {
    it(`a slow bolt stops its senders and the spout: queues stay within capacity, the backlog stays in the log (${workers} worker(s))`, async () => {
      const n = 3000;
      const fanout = 40;
      const capacity = 64;
      const b = new DataflowBuilder('amplified');
      b.source<number>('events')
        .flatMap((v) => Array.from({ length: fanout }, () => v), 'amplify')
        .sink('out');
      const flow = b.build();
      const r = await runVirtual(
        stormEngine,
        flow,
        Array.from({ length: n }, (_, i) => i),
        { values: { receiveBufferSize: capacity, workers, supervisors: 2, transferBufferSize: 32 } },
      );
      expect(r.sinks.out.length).toBe(n * fanout);
      const stats = r.stats;
      for (const q of stats.queues) {
        expect(q.highWaterMark, q.executor).toBeLessThanOrEqual(capacity);
        // A blocked executor holds back what one input produced, at most.
        expect(q.pendingEmitsHighWaterMark, q.executor).toBeLessThanOrEqual(fanout * 2 + 2);
        // What other workers delivered into a full queue: bounded by what was in flight when the flag went up.
        expect(q.overflowHighWaterMark, q.executor).toBeLessThanOrEqual(600);
      }
      if (workers > 1) expect(stats.transfer.remoteTuples).toBeGreaterThan(0);
      expect(stats.acked).toBe(n);
    });
  }

  it('while a slow bolt holds the pipeline, the spout reads only what fits in the queues', async () => {
    const values = Array.from({ length: 5000 }, (_, i) => i);
    let spout!: ListSpout;
    let maxAhead = 0;
    const sink: CountingSink = new CountingSink(() => {
      const emitted = spout.acked.length + job.spoutExecutors[0].pendingCount;
      maxAhead = Math.max(maxAhead, emitted - Math.floor(sink.count / 20));
    });
    const b = new TopologyBuilder('bounded');
    b.setSpout('src', () => (spout = new ListSpout(values)));
    b.setBolt('amplify', () => new Amplifier(20)).shuffleGrouping('src');
    b.setBolt('sink', () => sink).shuffleGrouping('amplify');
    const { clock, job } = startTopology(b.createTopology(), { receiveBufferSize: 50 });
    await runToEnd(clock, job);
    expect(sink.count).toBe(values.length * 20);
    // Events read but not yet fully sunk: the spout -> amplify queue (50), the one amplify works on, and
    // the amplified copies in amplify -> sink (50 slots and 20 pending emits, i.e. under 4 events).
    expect(maxAhead).toBeLessThanOrEqual(50 + 1 + 4 + 1);
    expect(maxAhead).toBeGreaterThan(10);
  });
});

describe('JStorm topology-master throttling', () => {
  it('a task reports blocked after more than sampleNumber x sampleRate full samples, released after as many near-empty ones', () => {
    const config = stormConfig({ flavour: 'jstorm' });
    let fill = 0.9;
    const sent: unknown[] = [];
    const ticks: (() => void)[] = [];
    const executor = {
      queue: {
        get fill() {
          return fill;
        },
      },
      executeLatencyMs: 0.25,
      timers: { periodic: (_ms: number, cb: () => void) => ticks.push(cb) },
      tasks: [
        {
          collector: {
            sendControl: (kind: number, task: number, _a: number, _b: number, _c: number, _d: number, value: unknown) =>
              sent.push({ kind, task, value }),
          },
        },
      ],
    };
    const trigger = new BackpressureTrigger(executor as never, 1, config);
    trigger.start();
    const tick = () => ticks[0]();
    for (let i = 0; i < 3; i++) tick();
    expect(sent).toEqual([]); // 3 of 4 samples is not more than 4 x 0.75
    tick();
    expect(sent).toEqual([{ kind: BP_TRIGGER, task: 1, value: [1, 0.25] }]);
    fill = 0.5;
    for (let i = 0; i < 6; i++) tick();
    expect(sent.length).toBe(1); // neither full nor near empty
    fill = 0.01;
    for (let i = 0; i < 4; i++) tick();
    expect(sent[1]).toEqual({ kind: BP_TRIGGER, task: 1, value: [0, 0.25] });
  });

  it('the master throttles the upstream spouts when more than the trigger ratio of a component is blocked, and releases them', () => {
    const config = stormConfig({ flavour: 'jstorm' });
    const sent: { kind: number; task: number; value: unknown }[] = [];
    const tm = new TopologyMaster(config, {
      componentOf: (task) => (task <= 2 ? 'spout' : task <= 22 ? 'bolt' : 'other'),
      tasksOf: (c) => (c === 'bolt' ? Array.from({ length: 20 }, (_, i) => i + 3) : [1, 2]),
      sourceSpoutTasks: () => [1, 2],
    });
    tm.prepare(
      {} as TopologyContext,
      {
        sendControl: (kind: number, task: number, _a: number, _b: number, _c: number, _d: number, value: unknown) =>
          sent.push({ kind, task, value }),
      } as never,
    );
    const trigger = (task: number, blocked: number, ms: number) => {
      const t = new Tuple(BP_TRIGGER, 23, task, 0, [blocked, ms], 0, 0, 0);
      tm.execute(t);
    };
    trigger(3, 1, 0.5);
    trigger(4, 1, 0.75);
    expect(sent).toEqual([]); // 2 of 20 = 0.1: not above the ratio
    trigger(5, 1, 0.25);
    expect(sent).toEqual([
      { kind: FLOW_CTRL, task: 1, value: 0.75 },
      { kind: FLOW_CTRL, task: 2, value: 0.75 },
    ]);
    expect(tm.throttlingComponents).toEqual(['bolt']);
    trigger(5, 0, 0.25);
    expect(sent.slice(2)).toEqual([
      { kind: FLOW_CTRL, task: 1, value: 0 },
      { kind: FLOW_CTRL, task: 2, value: 0 },
    ]);
  });

  it('a throttled spout sleeps its delay per emitted tuple, then steps the delay down to zero once released', async () => {
    const values = Array.from({ length: 40000 }, (_, i) => i);
    const b = new TopologyBuilder('throttled');
    b.setSpout('src', () => new ListSpout(values));
    b.setBolt('sink', () => new CountingSink()).shuffleGrouping('src');
    const { clock, job } = startTopology(b.createTopology(), { flavour: 'jstorm' });
    const spoutExec = job.spoutExecutors[0];
    const spoutTask = spoutExec.tasks[0].taskId;
    const acked = () => (spoutExec.tasks[0].spout as ListSpout).acked.length;
    // The topology master's message, delivered to the spout's queue: 0.5 ms per tuple.
    spoutExec.queue.offer(new Tuple(FLOW_CTRL, spoutTask, job.assignment.masterTask!, 0, 0.5, 0, 0, 0));
    const t0 = clock.now();
    await drive(clock, () => acked() >= 200);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(200 * 0.5 - 1);
    expect(spoutExec.throttleMs).toBe(0.5);
    // Released: the delay steps down by a quarter every check interval (1000 ms).
    spoutExec.queue.offer(new Tuple(FLOW_CTRL, spoutTask, job.assignment.masterTask!, 0, 0, 0, 0, 0));
    const t1 = clock.now();
    await drive(clock, () => spoutExec.throttleMs === 0);
    expect(clock.now() - t1).toBeGreaterThanOrEqual(3000);
    expect(clock.now() - t1).toBeLessThanOrEqual(4000 + 1);
    expect(acked()).toBeLessThan(values.length);
    await runToEnd(clock, job);
    expect(acked()).toBe(values.length);
    expect(job.stats().throttle!.throttledTuples).toBeGreaterThan(200);
  });
});
