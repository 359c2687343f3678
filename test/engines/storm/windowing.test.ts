/**
 * Storm's windowing (storm.windowing=storm, the default): the window manager with the watermark time
 * eviction and trigger policies, the watermark generator inside the bolt, and the windowed bolt in a
 * running topology: windows evaluated on the bolt's own watermark, results anchored to every tuple of the
 * window, tuples acked when they expire (one window later), late tuples counted or sent to the late tuple
 * stream, and Storm's check of the window against the message timeout.
 */
import { describe, expect, it } from 'vitest';
import {
  count,
  DataflowBuilder,
  OptionError,
  session,
  tumbling,
  type Dataflow,
  type OptionValue,
  type WindowResult,
} from '../../../engines/api/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import {
  MessageIdGenerator,
  stormEngine,
  TopologyBuilder,
  WaterMarkEventGenerator,
  WatermarkTimeEvictionPolicy,
  WatermarkTimeTriggerPolicy,
  WindowedBoltExecutor,
  WindowManager,
  type IWindowedBolt,
  type SupervisedTopology,
  type TopologyContext,
  type TupleWindow,
  type WindowedOutputCollector,
} from '../../../engines/storm/index.js';
import { EventLog } from '../../../bench/driver/index.js';
import { LateRecordCounter } from '../../../bench/metrics/index.js';
import { drive, runToEnd, START, startTopology, stormValues } from './support/virtual-run.js';
import { HoldingBolt, ListSpout } from './support/test-components.js';

interface Ev {
  ts: number;
}

function windowManager(length: number, slide: number) {
  const activations: { events: number[]; news: number[]; expired: number[]; end: number }[] = [];
  const expired: number[] = [];
  const eviction = new WatermarkTimeEvictionPolicy(length);
  const manager = new WindowManager<Ev>(
    {
      onExpiry: (events) => expired.push(...events.map((e) => e.ts)),
      onActivation: (events, news, gone, end) =>
        activations.push({ events: events.map((e) => e.ts), news: news.map((e) => e.ts), expired: gone.map((e) => e.ts), end }),
    },
    eviction,
    (e) => e.ts,
  );
  const trigger = new WatermarkTimeTriggerPolicy(slide, manager, eviction);
  manager.setTriggerPolicy(trigger);
  const add = (...ts: number[]) => ts.forEach((t) => manager.add({ ts: t }));
  return { manager, trigger, activations, expired, add };
}

describe('the window manager with the watermark time policies', () => {
  it('tumbling: evaluates each window up to the watermark; a tuple expires at the next window, not at its own', () => {
    const w = windowManager(100, 100);
    w.add(5, 50, 99, 100, 150, 250, 120);
    w.manager.addWatermark(199);
    // Windows are [start, start + 100): the event at 100 opens the second window.
    expect(w.activations).toEqual([
      { events: [5, 50, 99], news: [5, 50, 99], expired: [], end: 99 },
      { events: [100, 150, 120], news: [100, 150, 120], expired: [5, 50, 99], end: 199 },
    ]);
    expect(w.expired).toEqual([5, 50, 99]);
    expect(w.manager.held).toBe(4); // 100, 150, 120 wait for the next window; 250 is in it
    w.manager.addWatermark(1000);
    expect(w.activations.map((a) => [a.end, a.events])).toEqual([
      [99, [5, 50, 99]],
      [199, [100, 150, 120]],
      [299, [250]],
    ]);
    // Evaluating [300,400) expired 250 and found it empty; with no later event the trigger policy stopped.
    expect(w.expired).toEqual([5, 50, 99, 100, 150, 120, 250]);
    expect(w.trigger.nextEnd).toBe(399);
    expect(w.manager.held).toBe(0);
    w.add(420);
    w.manager.expireAll(); // the end of a bounded input
    expect(w.expired.at(-1)).toBe(420);
    expect(w.manager.held).toBe(0);
  });

  it('sliding: every window holding an event, with new and expired tuples; gaps in event time are skipped', () => {
    const w = windowManager(60, 20);
    w.add(5, 25, 45);
    w.manager.addWatermark(100);
    expect(w.activations).toEqual([
      { events: [5], news: [5], expired: [], end: 19 },
      { events: [5, 25], news: [25], expired: [], end: 39 },
      { events: [5, 25, 45], news: [45], expired: [], end: 59 },
      { events: [25, 45], news: [], expired: [5], end: 79 },
      { events: [45], news: [], expired: [25], end: 99 },
    ]);
    w.add(500);
    const evaluated = w.trigger.evaluated;
    w.manager.addWatermark(600);
    expect(w.activations.slice(5).map((a) => [a.end, a.events])).toEqual([
      [519, [500]],
      [539, [500]],
      [559, [500]],
    ]);
    // 119 (empty, 45 expires), then straight to 519, 539, 559, and 579 (empty): five, not twenty-four.
    expect(w.trigger.evaluated - evaluated).toBe(5);
    expect(w.expired).toEqual([5, 25, 45, 500]);
  });

  it('expires nothing before the first watermark; compaction between watermarks finds nothing new', () => {
    const w = windowManager(10, 10);
    for (let t = 0; t < 99; t++) w.add(t);
    expect(w.expired).toEqual([]);
    w.manager.addWatermark(9);
    expect(w.expired).toEqual([]);
    expect(w.activations.map((a) => a.end)).toEqual([9]);
    // The 100th add scans with the last reference (9): nothing before 0 to expire yet.
    w.add(99);
    w.manager.addWatermark(19);
    expect(w.expired).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Every 100th add scans the front with the last reference; with watermark policies that finds nothing
    // the last evaluation did not already expire (Storm says as much of EXPIRE_EVENTS_THRESHOLD).
    for (let t = 100; t < 300; t++) w.add(t);
    expect(w.expired.length).toBe(10);
    expect(w.manager.held).toBe(290);
    expect(w.manager.peakHeld).toBe(290);
  });
});

describe("Storm's watermark event generator", () => {
  it('the minimum over input streams of the largest timestamp, minus the lag, once every stream has data', () => {
    const got: number[] = [];
    const g = new WaterMarkEventGenerator((wm) => got.push(wm), 1000, 10, 2);
    expect(g.track(0, 100)).toBe(true);
    g.run();
    expect(got).toEqual([]); // stream 1 has delivered nothing yet
    expect(g.track(1, 50)).toBe(true);
    g.run();
    expect(got).toEqual([40]);
    expect(g.track(0, 30)).toBe(false); // below the last watermark: late
    expect(g.track(1, 40)).toBe(true); // at it: not late
    g.run();
    expect(got).toEqual([40]); // no advance, no event
    g.track(1, 80);
    g.run();
    expect(got).toEqual([40, 70]);
    expect(g.generated).toBe(2);
  });

  it('draws the same ids in bulk as one at a time', () => {
    const a = new MessageIdGenerator(7);
    const b = new MessageIdGenerator(7);
    const hi = new Int32Array(1000);
    const lo = new Int32Array(1000);
    a.fill(hi, lo, 1000);
    const id = new Int32Array(2);
    for (let i = 0; i < 1000; i++) {
      b.draw(id);
      expect([hi[i], lo[i]]).toEqual([id[0], id[1]]);
    }
  });
});

interface KeyedEv {
  t: number;
  k: string;
}

function countFlow(maxDelay: number, window = 100): Dataflow {
  const b = new DataflowBuilder('wm');
  b.source<KeyedEv>('events')
    .withTimestamps((e) => e.t, { maxDelay }, 'timestamps')
    .keyBy((e) => e.k)
    .window(tumbling(window))
    .aggregate(count<KeyedEv>(), 'count')
    .sink('out');
  return b.build();
}

async function started(flow: Dataflow, parallelism: number, values: Record<string, OptionValue> = {}) {
  const clock = new ManualClock(START);
  const log = new EventLog(parallelism, clock);
  const out: { value: WindowResult<string, number>; at: number }[] = [];
  const sinks = { get: () => ({ write: (value: unknown) => out.push({ value: value as WindowResult<string, number>, at: clock.now() }) }) };
  const late = new LateRecordCounter();
  const job = (
    (await stormEngine.start(
      flow,
      { log, sinks, clock, metrics: late },
      { parallelism, values: stormValues(values) },
    )) as SupervisedTopology
  ).topology;
  return { clock, log, out, late, job };
}

describe('windowed bolts in a running topology (storm.windowing=storm)', () => {
  for (const parallelism of [1, 3]) {
    it(`evaluate windows on their own watermark while the input is open; tuples expire one window later (parallelism ${parallelism})`, async () => {
      const { clock, log, out, late, job } = await started(countFlow(10), parallelism);
      let k = 0;
      const append = (from: number, to: number) => {
        for (let t = from; t < to; t += 2) log.append(k++ % parallelism, { t, k: `k${t % 3}` }, t);
        log.publish();
      };
      append(0, 250);
      await drive(clock, () => clock.now() >= START + 1000 && out.length >= 6, 5000);
      expect(out.map((o) => o.value.windowStart).sort()).toEqual([0, 0, 0, 100, 100, 100]);
      expect(out.every((o) => o.at >= START + 1000 && o.at < START + 2000)).toBe(true);
      const s = job.stats();
      if (parallelism === 1) {
        // One task: watermark 249 - 11 = 238. Window [0,100)'s tuples expired when [100,200) was evaluated;
        // [100,200)'s wait for [200,300): their trees, and those of [200,250), are still open.
        expect(s.acked).toBe(50);
        expect(s.acker!.pending).toBe(75);
        expect(s.windows).toEqual([
          expect.objectContaining({
            component: 'count',
            tasks: 1,
            tuplesHeld: 75,
            activations: 2,
            expired: 50,
            resultsEmitted: 6,
            watermarks: 1,
            anchorPairs: 6 * 50,
          }),
        ]);
      } else {
        expect(s.acked).toBeLessThan(125);
        expect(s.acker!.pending).toBeGreaterThan(0);
      }
      append(250, 420);
      log.close();
      await drive(clock, () => job.isEnded);
      const byWindow = new Map<number, number>();
      for (const o of out) byWindow.set(o.value.windowStart, (byWindow.get(o.value.windowStart) ?? 0) + o.value.value);
      expect([...byWindow].sort((a, b) => a[0] - b[0])).toEqual([
        [0, 50],
        [100, 50],
        [200, 50],
        [300, 50],
        [400, 10],
      ]);
      expect(late.total).toBe(0);
      const end = job.stats();
      expect(end.acked).toBe(210);
      expect(end.failed).toBe(0);
      expect(end.acker!.pending).toBe(0);
      expect(end.windows.reduce((n, w) => n + w.expired, 0)).toBe(210);
      expect(end.windows.reduce((n, w) => n + w.tuplesHeld, 0)).toBe(0);
      // No watermark tuples: the spout fills the timestamp field, and no timestamps bolt exists.
      expect(job.assignment.components.map((c) => c.id)).not.toContain('timestamps');
    });
  }

  it('a result is anchored to every tuple of its window: their trees complete only once it is acked downstream', async () => {
    // A hand-built topology: a windowed bolt (tumbling 100 ms, lag 1 ms) emitting one result per window,
    // and a sink that holds what it gets until released.
    const sink = new HoldingBolt();
    const counting: IWindowedBolt = {
      prepare(_context: TopologyContext, collector: WindowedOutputCollector) {
        this.execute = (window: TupleWindow) => collector.emit(window.get().length, window.endTimestamp, 0, 0);
      },
      execute() {},
    };
    const b = new TopologyBuilder('held-result');
    b.setSpout('src', () => new ListSpout(Array.from({ length: 30 }, (_, i) => i)));
    b.setBolt(
      'window',
      () =>
        new WindowedBoltExecutor(
          counting,
          { lengthMs: 10, slideMs: 10, lagMs: 1, watermarkIntervalMs: 1000, lateTupleStream: null },
          'window',
          new LateRecordCounter(),
          1,
        ),
    ).globalGrouping('src');
    b.setBolt('sink', () => sink).shuffleGrouping('window');
    const { clock, job } = startTopology(b.createTopology());
    // ListSpout stamps value i with event time i: windows [0,10), [10,20), [20,30), evaluated at the end of
    // its input, when every tuple also expires.
    await drive(clock, () => sink.held.length === 3, 5000);
    clock.runDeferred();
    expect(sink.held.map((t) => t.value)).toEqual([10, 10, 10]);
    const spout = job.spoutExecutors[0].tasks[0].spout as ListSpout;
    // Every tuple expired and was acked, but the results anchored to them are held: no tree is complete.
    expect(job.stats().windows[0]).toEqual(expect.objectContaining({ expired: 30, tuplesHeld: 0, anchorPairs: 30, resultsEmitted: 3 }));
    expect(spout.acked).toEqual([]);
    expect(job.stats().acker!.pending).toBe(30);
    sink.release();
    await runToEnd(clock, job);
    expect(spout.acked.sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(job.stats().acker!.pending).toBe(0);
  });

  it('late tuples: counted and dropped, or emitted on the late tuple stream to a bolt that counts them; acked either way', async () => {
    for (const lateTupleStream of [null, 'late']) {
      const { clock, log, out, late, job } = await started(countFlow(5), 1, { lateTupleStream });
      for (let t = 0; t < 200; t += 2) log.append(0, { t, k: 'a' }, t);
      log.publish();
      await drive(clock, () => clock.now() >= START + 1000, 5000);
      // The watermark is 198 - 6 = 192: these four are late (their window [100,200) has not even fired yet:
      // Storm's rule is the timestamp against the watermark, not the window).
      for (const t of [10, 150, 191, 192]) log.append(0, { t, k: 'a' }, t);
      log.close();
      await drive(clock, () => job.isEnded);
      const counts = new Map(out.map((o) => [o.value.windowStart, o.value.value]));
      expect([...counts]).toEqual([
        [0, 50],
        [100, 51],
      ]); // 192 is at the watermark: on time
      expect(late.total).toBe(3);
      expect(late.byOperator).toEqual({ count: 3 });
      const s = job.stats();
      expect(s.lateRecordsDropped).toBe(3);
      expect(s.windows[0].late).toBe(3);
      expect(s.acked).toBe(104);
      expect(s.acker!.pending).toBe(0);
      expect(job.assignment.components.some((c) => c.id === 'count-late')).toBe(lateTupleStream !== null);
    }
  });

  it("refuses a window longer than the message timeout, as Storm's WindowedBoltExecutor does", () => {
    const plan = (values: Record<string, OptionValue>, window: number) => () =>
      stormEngine.explain(countFlow(0, window), { parallelism: 1, values: stormValues(values) });
    expect(plan({}, 15_000)).not.toThrow(); // length + slide = 30 s: allowed
    expect(plan({}, 15_001)).toThrow(OptionError);
    expect(plan({}, 15_001)).toThrow(
      /window 'count': window duration \(length \+ sliding interval\) 30002 ms is more than topology\.message\.timeout\.secs \(storm\.messageTimeout\) 30000 ms/,
    );
    expect(plan({ messageTimeout: 60_000 }, 20_000)).not.toThrow();
    expect(plan({ windowing: 'incremental' }, 20_000)).not.toThrow();
    expect(() =>
      stormEngine.explain(countFlow(0), { parallelism: 1, values: stormValues({ flavour: 'jstorm', lateTupleStream: 'late' }) }),
    ).toThrow(/JStorm/);
  });

  it('a session held longer than the message timeout: its trees time out and replay; the replays are late and dropped, the result stays right', async () => {
    const b = new DataflowBuilder('long-session');
    b.source<KeyedEv>('events')
      .withTimestamps((e) => e.t, { maxDelay: 0 }, 'timestamps')
      .keyBy((e) => e.k)
      .window(session(5000))
      .aggregate(count<KeyedEv>(), 'sessions')
      .sink('out');
    const { clock, log, out, late, job } = await started(b.build(), 1);
    // One event every 100 ms for 100 s: one session, open far longer than the 30 s timeout.
    for (let step = 0; step < 1000; step++) {
      const t = step * 100;
      clock.set(START + t);
      log.append(0, { t, k: 'a' }, START + t);
      log.publish();
      clock.runDeferred();
    }
    log.close();
    await drive(clock, () => job.isEnded);
    const s = job.stats();
    expect(s.timedOut).toBeGreaterThan(0);
    expect(s.replayed).toBe(s.failed);
    expect(late.total).toBe(s.replayed); // every replay arrived behind the watermark
    expect(out.map((o) => o.value.value)).toEqual([1000]);
  });
});
