/**
 * The XOR ledger: a tuple tree completes exactly when every edge has been acked (in any order, init
 * included); anchoring to several inputs joins their trees; a lost ack times the tree out and the spout
 * replays it; a failed tuple is replayed; with no ackers nothing is tracked.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock, Mailbox, TimerService } from '../../../engines/runtime/index.js';
import {
  ACK_ACK,
  ACK_FAIL,
  ACK_INIT,
  Acker,
  AnchorSet,
  MessageIdGenerator,
  SPOUT_ACK,
  SPOUT_FAIL,
  TopologyBuilder,
  Tuple,
  type OutputCollector,
  type TopologyContext,
} from '../../../engines/storm/index.js';
import { drive, prng, runToEnd, startTopology, stormConfig } from './support/virtual-run.js';
import { HoldingBolt, ListSpout, RecordingBolt, type Received } from './support/test-components.js';

interface Sent {
  kind: number;
  task: number;
  hi: number;
  lo: number;
}

function ackerUnderTest(): {
  acker: Acker;
  sent: Sent[];
  message: (kind: number, hi: number, lo: number, vh: number, vl: number, src?: number) => void;
} {
  const clock = new ManualClock(0);
  const sent: Sent[] = [];
  const context = {
    clock,
    timers: new TimerService(clock, new Mailbox()),
    componentId: '__acker',
    taskId: 1,
  } as unknown as TopologyContext;
  const collector = {
    sendControl: (kind: number, task: number, hi: number, lo: number) => sent.push({ kind, task, hi, lo }),
  } as unknown as OutputCollector;
  const acker = new Acker(stormConfig(), {});
  acker.prepare(context, collector);
  const message = (kind: number, hi: number, lo: number, vh: number, vl: number, src = 9) => {
    const t = new Tuple(kind, 1, src, 0, null, 0, 0, 0);
    t.rootHi = hi;
    t.rootLo = lo;
    t.edgeHi = vh;
    t.edgeLo = vl;
    acker.execute(t);
  };
  return { acker, sent, message };
}

describe('the XOR ledger', () => {
  it('completes a tree exactly when the last of its edges is acked, whatever the order', () => {
    const ids = new MessageIdGenerator(7);
    const r = prng(99);
    const id = new Int32Array(2);
    const draw = (): [number, number] => {
      ids.draw(id);
      return [id[0], id[1]];
    };
    for (let round = 0; round < 200; round++) {
      // A random tree: the spout tuple goes to 1-3 tasks; each tuple has 0-2 children, down to depth 3.
      const [rh, rl] = draw();
      const messages: [number, number, number][] = []; // kind, valueHi, valueLo
      let initH = 0;
      let initL = 0;
      const grow = (edge: [number, number], depth: number): void => {
        let ackH = 0;
        let ackL = 0;
        const children = depth < 3 ? r.int(3) : 0;
        for (let c = 0; c < children; c++) {
          const e = draw();
          ackH ^= e[0];
          ackL ^= e[1];
          grow(e, depth + 1);
        }
        messages.push([ACK_ACK, edge[0] ^ ackH, edge[1] ^ ackL]);
      };
      for (let k = 1 + r.int(3); k > 0; k--) {
        const e = draw();
        initH ^= e[0];
        initL ^= e[1];
        grow(e, 1);
      }
      messages.push([ACK_INIT, initH, initL]);
      // Shuffle: acks may reach the acker before the init.
      for (let i = messages.length - 1; i > 0; i--) {
        const j = r.int(i + 1);
        [messages[i], messages[j]] = [messages[j], messages[i]];
      }
      const { acker, sent, message } = ackerUnderTest();
      messages.forEach(([kind, vh, vl], i) => {
        message(kind, rh, rl, vh, vl);
        const last = i === messages.length - 1;
        expect(sent.length, `round ${round}: after message ${i + 1} of ${messages.length}`).toBe(last ? 1 : 0);
      });
      expect(sent[0]).toEqual({ kind: SPOUT_ACK, task: 9, hi: rh, lo: rl });
      expect(acker.size).toBe(0);
    }
  });

  it('never completes with an edge missing, and fails the tree on __ack_fail', () => {
    const { acker, sent, message } = ackerUnderTest();
    message(ACK_INIT, 1, 2, 0x10, 0x20);
    message(ACK_ACK, 1, 2, 0x10 ^ 0x3, 0x20 ^ 0x4); // the edge 3:4 is still open
    expect(sent).toEqual([]);
    expect(acker.size).toBe(1);
    message(ACK_FAIL, 1, 2, 0, 0);
    expect(sent).toEqual([{ kind: SPOUT_FAIL, task: 9, hi: 1, lo: 2 }]);
    expect(acker.size).toBe(0);
  });
});

describe('anchoring in a running topology', () => {
  it('a tuple anchored to two inputs joins both trees: each completes only when that tuple is acked', async () => {
    const sink = new HoldingBolt();
    const b = new TopologyBuilder('multi-anchor');
    b.setSpout('src', () => new ListSpout(['a', 'b']));
    let first: Tuple | null = null;
    let out: OutputCollector;
    b.setBolt('pair', () => ({
      prepare: (_ctx: TopologyContext, c: OutputCollector) => {
        out = c;
      },
      execute: (input: Tuple) => {
        if (first === null) {
          first = input; // held, not acked
          return;
        }
        out.emitAnchored([first, input], `${first.value as string}+${input.value as string}`, 0, 0, 0);
        out.ack(first);
        out.ack(input);
      },
    })).shuffleGrouping('src');
    b.setBolt('sink', () => sink).shuffleGrouping('pair');
    const { clock, job } = startTopology(b.createTopology());
    const spout = () => job.spoutExecutors[0].tasks[0].spout as ListSpout;
    await drive(clock, () => sink.held.length === 1);
    expect(sink.held[0].value).toBe('a+b');
    expect(sink.held[0].moreIds?.length).toBe(4); // two roots
    // Everything but the joined tuple is acked: neither tree is complete.
    clock.runDeferred();
    expect(spout().acked).toEqual([]);
    expect(job.stats().acker!.pending).toBe(2);
    sink.release();
    await runToEnd(clock, job);
    expect(spout().acked.sort()).toEqual([0, 1]);
    expect(job.stats().acked).toBe(2);
  });

  it('a tuple anchored to a whole window joins every root once; anchors with several roots carry each of them', async () => {
    // 30 spout tuples, each split into 2 (two anchors per root); `window` anchors 3 results to all 60 and
    // acks them; `merge` anchors one tuple to the 3 results (anchors with 30 roots each); the sink holds it.
    const sink = new HoldingBolt();
    const b = new TopologyBuilder('window-anchors');
    b.setSpout('src', () => new ListSpout(Array.from({ length: 30 }, (_, i) => i)));
    b.setBolt(
      'split',
      () => new RecordingBolt([], { emit: (v, c, input) => [0, 1].forEach((k) => c.emit(input, `${v}.${k}`, 0, 0, 0)) }),
    ).shuffleGrouping('src');
    const holdThenEmit = (size: number, results: number) => {
      const held: Tuple[] = [];
      let out: OutputCollector;
      return {
        prepare: (_ctx: TopologyContext, c: OutputCollector) => {
          out = c;
        },
        execute: (input: Tuple) => {
          held.push(input);
          if (held.length < size) return;
          const anchors = new AnchorSet(held);
          for (let r = 0; r < results; r++) out.emitAnchoredTo(anchors, `r${r}`, 0, 0, 0);
          anchors.settle();
          for (const t of held.splice(0)) out.ack(t);
        },
      };
    };
    b.setBolt('window', () => holdThenEmit(60, 3)).globalGrouping('split');
    b.setBolt('merge', () => holdThenEmit(3, 1)).globalGrouping('window');
    b.setBolt('sink', () => sink).shuffleGrouping('merge');
    const { clock, job } = startTopology(b.createTopology());
    await drive(clock, () => sink.held.length === 1);
    clock.runDeferred();
    const merged = sink.held[0];
    const roots = new Set([`${merged.rootHi}:${merged.rootLo}`]);
    for (let k = 0; k < merged.moreIds!.length; k += 4) roots.add(`${merged.moreIds![k]}:${merged.moreIds![k + 1]}`);
    expect(roots.size).toBe(30);
    expect(merged.moreIds!.length).toBe(29 * 4);
    const collectorOf = (component: string) => job.boltExecutors.find((e) => e.details.component === component)!.tasks[0].collector;
    expect(collectorOf('window').anchorPairs).toBe(3 * 60);
    expect(collectorOf('merge').anchorPairs).toBe(3);
    // Everything but the merged tuple is acked: no tree is complete.
    const spout = job.spoutExecutors[0].tasks[0].spout as ListSpout;
    expect(spout.acked).toEqual([]);
    expect(job.stats().acker!.pending).toBe(30);
    sink.release();
    await runToEnd(clock, job);
    expect(spout.acked.sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(job.stats().failed).toBe(0);
    expect(job.stats().acker!.pending).toBe(0);
  });

  it('a lost ack times the tree out after one to two message timeouts; the spout replays it', async () => {
    const values = Array.from({ length: 20 }, (_, i) => i);
    const log: Received[] = [];
    const b = new TopologyBuilder('lost-ack');
    b.setSpout('src', () => new ListSpout(values));
    b.setBolt('double', () => new RecordingBolt(log, { emit: (v, c, input) => c.emit(input, v * 2, 0, 0, 0) }), 2).shuffleGrouping('src');
    b.setBolt('sink', () => new RecordingBolt(log), 2).shuffleGrouping('double');
    let acks = 0;
    let droppedRoot: [number, number] | null = null;
    const { clock, job } = startTopology(
      b.createTopology(),
      { messageTimeout: 30_000 },
      {
        dropAck: (hi, lo) => {
          if (++acks !== 7) return false;
          droppedRoot = [hi, lo];
          return true;
        },
      },
    );
    const ms = await runToEnd(clock, job);
    expect(droppedRoot).not.toBeNull();
    const spout = job.spoutExecutors[0].tasks[0].spout as ListSpout;
    expect(spout.failed.length).toBe(1);
    expect(spout.failed[0].timedOut).toBe(true);
    expect(spout.replayed).toBe(1);
    expect([...spout.acked].sort((x, y) => x - y)).toEqual(values);
    expect(ms).toBeGreaterThanOrEqual(30_000);
    expect(ms).toBeLessThanOrEqual(60_000 + 1);
    // At least once: the replayed value went through the whole tree again.
    const sunk = log.filter((r) => r.component === 'sink').map((r) => r.value as number);
    expect(sunk.length).toBe(values.length + 1);
    const again = spout.failed[0].index;
    expect(sunk.filter((v) => v === again * 2).length).toBe(2);
    const stats = job.stats();
    expect(stats.failed).toBe(1);
    expect(stats.timedOut).toBe(1);
    expect(stats.replayed).toBe(1);
    expect(stats.acked).toBe(values.length);
  });

  it('a failed tuple is replayed at once; with no ackers nothing is tracked and nothing replays', async () => {
    const values = Array.from({ length: 10 }, (_, i) => i);
    for (const ackers of ['auto', '0']) {
      const log: Received[] = [];
      let failedOnce = false;
      const b = new TopologyBuilder('fail');
      b.setSpout('src', () => new ListSpout(values));
      b.setBolt(
        'check',
        () =>
          new RecordingBolt(log, {
            emit: (v, c, input) => {
              if (v !== 7 || failedOnce) c.emit(input, v, 0, 0, 0);
            },
            fail: (v) => {
              if (v !== 7 || failedOnce) return false;
              failedOnce = true;
              return true;
            },
          }),
      ).shuffleGrouping('src');
      b.setBolt('sink', () => new RecordingBolt(log)).shuffleGrouping('check');
      const { clock, job } = startTopology(b.createTopology(), { ackers });
      const ms = await runToEnd(clock, job);
      expect(ms).toBeLessThan(1000);
      const spout = job.spoutExecutors[0].tasks[0].spout as ListSpout;
      const sunk = log
        .filter((r) => r.component === 'sink')
        .map((r) => r.value as number)
        .sort((x, y) => x - y);
      const stats = job.stats();
      if (ackers === 'auto') {
        expect(spout.failed).toEqual([{ index: 7, timedOut: false }]);
        expect(sunk).toEqual(values);
        expect(stats.replayed).toBe(1);
        expect(stats.completeLatencyMs).not.toBeNull();
      } else {
        expect(job.assignment.ackerTasks).toEqual([]);
        expect(job.assignment.components.some((c) => c.id === '__acker')).toBe(false);
        expect(spout.failed).toEqual([]);
        expect(sunk).toEqual(values.filter((v) => v !== 7));
        expect(spout.acked.length).toBe(values.length); // acked at emit: at-most-once
        expect(stats.completeLatencyMs).toBeNull();
        expect(stats.replayed).toBe(0);
      }
    }
  });
});
