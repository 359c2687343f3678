/**
 * Checkpoint barriers at a task with several input channels, step by step: aligned exactly-once blocks a
 * channel once it delivered barrier n until all open channels have, then snapshots; at-least-once never
 * blocks and snapshots when the last barrier arrives. Then the same in a running job: a window task with
 * three input channels aligns, and a restore from the aligned checkpoint gives exactly-once state.
 */
import { describe, expect, it } from 'vitest';
import { count, DataflowBuilder, tumbling } from '../../../engines/api/index.js';
import {
  CheckpointBarrierTracker,
  SingleCheckpointBarrierHandler,
  MultipleInputStreamTask,
  SourceOperator,
  type BarrierHandlerHost,
  type CheckpointBarrierHandler,
} from '../../../engines/flink/index.js';
import { referenceEngine } from '../../../engines/reference/index.js';
import { runBounded, sortedValues } from '../../support/run-bounded.js';
import { events, runStepped, useCheckpointDirs, type Ev } from './support.js';

const checkpointDir = useCheckpointDirs();

type Step = ['barrier', number, number] | ['end', number] | ['time', number];

class Host implements BarrierHandlerHost {
  t = 0;
  blocked = new Set<number>();
  readonly log: string[] = [];
  blockChannel(ch: number): void {
    this.blocked.add(ch);
  }
  unblockAllChannels(): void {
    this.blocked.clear();
  }
  now(): number {
    return this.t;
  }
  triggerCheckpointOnBarrier(id: number, _ts: number, alignmentMs: number): void {
    this.log.push(`snapshot ${id} aligned ${alignmentMs} ms`);
  }
  abortCheckpointOnBarrier(id: number): void {
    this.log.push(`abort ${id}`);
  }
}

/** Runs the steps; returns, after each step, the blocked channels and what the handler did. */
function play(make: (host: Host) => CheckpointBarrierHandler, steps: Step[]): string[] {
  const host = new Host();
  const handler = make(host);
  return steps.map((s) => {
    if (s[0] === 'time') host.t += s[1];
    else if (s[0] === 'barrier') handler.processBarrier(s[1], s[2], 0);
    else handler.processEndOfPartition(s[1]);
    const did = host.log.splice(0).join(', ');
    return `blocked [${[...host.blocked].sort().join(',')}]${did ? `; ${did}` : ''}`;
  });
}

const aligned = (channels: number) => (h: Host) => new SingleCheckpointBarrierHandler(channels, h);
const tracker = (channels: number) => (h: Host) => new CheckpointBarrierTracker(channels, h);

describe('barrier alignment (exactly once) and tracking (at least once)', () => {
  const rows: { name: string; channels: number; steps: Step[]; exactlyOnce: string[]; atLeastOnce: string[] }[] = [
    {
      name: 'one channel: no alignment',
      channels: 1,
      steps: [
        ['barrier', 0, 1],
        ['barrier', 0, 2],
      ],
      exactlyOnce: ['blocked []; snapshot 1 aligned 0 ms', 'blocked []; snapshot 2 aligned 0 ms'],
      atLeastOnce: ['blocked []; snapshot 1 aligned 0 ms', 'blocked []; snapshot 2 aligned 0 ms'],
    },
    {
      name: 'three channels: blocked one by one, released together; alignment time measured',
      channels: 3,
      steps: [
        ['barrier', 1, 1],
        ['time', 4],
        ['barrier', 0, 1],
        ['time', 3],
        ['barrier', 2, 1],
      ],
      exactlyOnce: ['blocked [1]', 'blocked [1]', 'blocked [0,1]', 'blocked [0,1]', 'blocked []; snapshot 1 aligned 7 ms'],
      atLeastOnce: ['blocked []', 'blocked []', 'blocked []', 'blocked []', 'blocked []; snapshot 1 aligned 0 ms'],
    },
    {
      name: 'an ended channel counts as aligned',
      channels: 3,
      steps: [
        ['barrier', 0, 1],
        ['end', 2],
        ['barrier', 1, 1],
        ['barrier', 0, 2],
        ['barrier', 1, 2],
      ],
      exactlyOnce: [
        'blocked [0]',
        'blocked [0]',
        'blocked []; snapshot 1 aligned 0 ms',
        'blocked [0]',
        'blocked []; snapshot 2 aligned 0 ms',
      ],
      atLeastOnce: ['blocked []', 'blocked []', 'blocked []; snapshot 1 aligned 0 ms', 'blocked []', 'blocked []; snapshot 2 aligned 0 ms'],
    },
    {
      name: 'the last open channel ending completes the alignment',
      channels: 2,
      steps: [
        ['barrier', 0, 5],
        ['time', 2],
        ['end', 1],
      ],
      exactlyOnce: ['blocked [0]', 'blocked [0]', 'blocked []; snapshot 5 aligned 2 ms'],
      atLeastOnce: ['blocked []', 'blocked []', 'blocked []; snapshot 5 aligned 0 ms'],
    },
    {
      name: 'a newer barrier before the alignment finished aborts the older checkpoint',
      channels: 2,
      steps: [
        ['barrier', 0, 1],
        ['barrier', 1, 2],
        ['barrier', 0, 2],
        ['barrier', 1, 1],
      ],
      exactlyOnce: ['blocked [0]', 'blocked [1]; abort 1', 'blocked []; snapshot 2 aligned 0 ms', 'blocked []'],
      atLeastOnce: ['blocked []', 'blocked []', 'blocked []; abort 1, snapshot 2 aligned 0 ms', 'blocked []'],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(play(aligned(row.channels), row.steps)).toEqual(row.exactlyOnce);
      expect(play(tracker(row.channels), row.steps)).toEqual(row.atLeastOnce);
    });
  }
});

function countFlow() {
  const b = new DataflowBuilder('counts');
  b.source<Ev>('events')
    .withTimestamps((e) => e.t, { maxDelay: 30 }, 'timestamps')
    .keyBy((e) => e.k)
    .window(tumbling(100))
    .aggregate(count(), 'count')
    .sink('out');
  return b.build();
}

describe('barrier alignment in a running job', () => {
  it("a window task with three input channels aligns every checkpoint; the checkpoint holds each task's state", async () => {
    const input = events(21, 1500, { jitter: 29 });
    const r = await runStepped(countFlow(), input, { parallelism: 3, values: { checkpointInterval: 20 }, perStep: 15 });
    const stats = r.job.stats();
    const cps = stats.checkpoints;
    expect(cps.filter((c) => c.status === 'completed').length).toBeGreaterThan(3);
    expect(cps.every((c) => c.status === 'completed')).toBe(true);
    const windowTasks = r.job.tasks.filter((t) => t instanceof MultipleInputStreamTask) as MultipleInputStreamTask[];
    expect(windowTasks.map((t) => t.inputGate.numberOfChannels)).toEqual([3, 3, 3]);
    expect(windowTasks.every((t) => t.checkpointsTaken === cps.length)).toBe(true);
    const last = r.completed[r.completed.length - 1];
    expect([...last.taskStates.keys()].sort()).toEqual(r.job.tasks.map((t) => t.name).sort());
    expect(cps.every((c) => c.sizeBytes > 0)).toBe(true);
  });

  it('exactly once: restoring the last aligned checkpoint and replaying from its offsets counts every record once', async () => {
    const input = events(22, 1200, { jitter: 29 });
    const expected = sortedValues((await runBounded(referenceEngine, countFlow(), input, { parallelism: 3 })).sinks.out);
    for (const options of [{ checkpointInterval: 25 }, { checkpointInterval: 25, chaining: false, bufferTimeout: 0 }]) {
      const values = { ...options, checkpointDir: checkpointDir() };
      // First run: stop at about two thirds of the input, after some checkpoints completed.
      const cut = 800;
      const first = await runStepped(countFlow(), input.slice(0, cut), { parallelism: 3, values, close: false });
      const checkpoint = first.completed[first.completed.length - 1];
      expect(checkpoint).toBeDefined();
      await first.job.stop();
      // The log kept everything after the checkpoint's offsets (they were committed only when it completed).
      const offsets = [0, 1, 2].map((q) => first.log.startOffset(q));
      const restoredOffsets = new Map<number, number>();
      for (const t of first.job.tasks) {
        if (t.name.startsWith('Source'))
          for (const [q, o] of (t.chain.head as SourceOperator).currentOffsets().offsets) restoredOffsets.set(q, o);
      }
      expect(offsets.every((o, q) => o <= (restoredOffsets.get(q) as number))).toBe(true);
      // Second run: same log, restored state, the rest of the input.
      const secondRun = runStepped(countFlow(), [], {
        parallelism: 3,
        values,
        restoreFrom: checkpoint,
        log: first.log,
        clock: first.clock,
        appendNothing: true,
        close: false,
      });
      const second = await secondRun;
      for (let k = cut; k < input.length; k += 10) {
        for (let i = k; i < Math.min(k + 10, input.length); i++) first.log.append(i % 3, input[i], i);
        first.log.publish();
        first.clock.advance(5);
      }
      first.log.close();
      for (let i = 0; i < 10_000 && second.job.scheduler.liveTasks > 0; i++) first.clock.advance(5);
      await second.job.drained();
      // Windows fired by the first run after its checkpoint fire again in the second with the same counts:
      // as a set, both runs' results are exactly the reference's (a double or a lost count would differ).
      const union = [...new Set([...sortedValues(first.sinks.out), ...sortedValues(second.sinks.out)])].sort();
      expect(union).toEqual(expected);
    }
  });
});
