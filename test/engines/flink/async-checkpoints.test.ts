/**
 * Flink's checkpoint split in a running job: the synchronous part on the task's turn, the asynchronous
 * part (serialize, write one state file per stateful operator subtask) as a task of its own, the
 * acknowledgement only when that is done. Observed by order, never by time: what the task did between its
 * snapshot and its acknowledgement, the files on disk, a restore from them against the reference engine, a
 * task whose input ends while its asynchronous part is in flight, and the removal of the temporary
 * checkpoint directory on every way a job ends.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { count, DataflowBuilder, tumbling, type Engine } from '../../../engines/api/index.js';
import {
  flinkEngine,
  loadCompletedCheckpoint,
  readOperatorStateFile,
  startFlinkJob,
  WindowOperator,
  type FlinkEngineStats,
  type JobMaster,
  type KeyedStateSnapshot,
  type StreamTask,
} from '../../../engines/flink/index.js';
import { referenceEngine } from '../../../engines/reference/index.js';
import { driveUntilDrained, expectSameAsReference, runBounded, sortedValues } from '../../support/run-bounded.js';
import { events, runStepped, useCheckpointDirs, type Ev } from './support.js';

const checkpointDir = useCheckpointDirs();

function countFlow(windowMs: number) {
  const b = new DataflowBuilder('counts');
  b.source<Ev>('events')
    .withTimestamps((e) => e.t, { maxDelay: 20 }, 'timestamps')
    .keyBy((e) => e.k)
    .window(tumbling(windowMs))
    .aggregate(count(), 'count')
    .sink('out');
  return b.build();
}

type Entry =
  | { kind: 'sync'; task: string; recordsIn: number; keyed: KeyedStateSnapshot }
  | { kind: 'ack'; task: string; id: number; recordsIn: number; taskState: string | undefined }
  | { kind: 'finished'; task: string };

/** Records each window task's synchronous parts, every acknowledgement and every finish, in order. */
function watch(job: JobMaster, log: Entry[]): void {
  const byName = new Map<string, StreamTask>(job.tasks.map((t) => [t.name, t]));
  for (const t of job.tasks) {
    for (const op of t.chain.operators) {
      if (!(op instanceof WindowOperator)) continue;
      const take = op.snapshotState.bind(op);
      op.snapshotState = () => {
        const futures = take();
        if (futures.kind === 'keyed') log.push({ kind: 'sync', task: t.name, recordsIn: t.recordsIn, keyed: futures.keyed });
        return futures;
      };
    }
  }
  const c = job.coordinator;
  const ack = c.acknowledgeCheckpoint.bind(c);
  c.acknowledgeCheckpoint = (id, state, metrics) => {
    const taskState = job.scheduler.stats().tasks.find((s) => s.name === state.taskName)?.state;
    log.push({ kind: 'ack', task: state.taskName, id, recordsIn: byName.get(state.taskName)!.recordsIn, taskState });
    ack(id, state, metrics);
  };
  const finished = c.reportTaskFinished.bind(c);
  c.reportTaskFinished = (name, vertex, subtask) => {
    log.push({ kind: 'finished', task: name });
    finished(name, vertex, subtask);
  };
}

describe('the asynchronous part of a checkpoint', () => {
  it('runs off the task turn: the task processes records and changes state before it acknowledges', async () => {
    // One long window per key: the state grows to thousands of entries, more than one run of the
    // asynchronous part serializes, and no result fires before the end.
    const flow = countFlow(10_000_000);
    const input = events(51, 12_000, { keys: 3000, jitter: 19 });
    const log: Entry[] = [];
    const values = { checkpointInterval: 600_000, checkpointDir: checkpointDir() };
    const r = await runStepped(flow, input.slice(0, 3000), { close: false, values, onStarted: (job) => watch(job, log) });
    // Three rounds: a checkpoint is triggered, then 3000 more events arrive behind its barrier.
    for (let round = 1; round <= 3; round++) {
      const id = r.job.coordinator.triggerCheckpoint()!;
      for (let k = round * 3000; k < (round + 1) * 3000; k++) r.log.append(0, input[k], k);
      r.log.publish();
      for (let i = 0; i < 100 && !r.completed.some((c) => c.checkpointId === id); i++) r.clock.advance(5);
      expect(r.completed.map((c) => c.checkpointId)).toContain(id);
    }
    r.log.close();
    await driveUntilDrained(r.job, { kind: 'stepped', stepMs: 5 }, r.clock, input.length);

    const windowTask = r.job.tasks.find((t) => t.chain.operators.some((op) => op instanceof WindowOperator))!.name;
    const syncs = log.filter((e) => e.kind === 'sync');
    const acks = log.filter((e) => e.kind === 'ack' && e.task === windowTask);
    expect(syncs).toHaveLength(3);
    expect(acks).toHaveLength(3);
    // Never on the task's own turn, and always after its synchronous part.
    expect(acks.every((a) => a.kind === 'ack' && a.taskState !== 'running')).toBe(true);
    syncs.forEach((s, i) => expect(log.indexOf(s)).toBeLessThan(log.indexOf(acks[i])));
    // Between snapshot and acknowledgement the task went on: it took in records, and it changed key
    // groups the asynchronous part had not read yet (they were copied on write first).
    syncs.forEach((s, i) => {
      const a = acks[i];
      if (s.kind !== 'sync' || a.kind !== 'ack') throw new Error('unreachable');
      expect(a.recordsIn, `checkpoint ${a.id}: records taken in before the acknowledgement`).toBeGreaterThan(s.recordsIn);
      expect(s.keyed.copiedOnWrite, `checkpoint ${a.id}: key groups copied on write`).toBeGreaterThan(0);
    });
    // Each asynchronous part was a task of the scheduler that took several turns, and each one ended.
    const asyncTasks = r.job.scheduler.stats().tasks.filter((t) => / async checkpoint \d+$/.test(t.name));
    expect(asyncTasks).toHaveLength(r.job.tasks.length * 3);
    expect(asyncTasks.every((t) => t.state === 'done')).toBe(true);
    expect(asyncTasks.filter((t) => t.name.startsWith(windowTask)).every((t) => t.runs > 1)).toBe(true);
    // And the results are exact.
    const ref = await runBounded(referenceEngine, flow, input);
    expect(sortedValues(r.sinks.out)).toEqual(sortedValues(ref.sinks.out));
  });

  it('writes one state file per stateful operator subtask and _metadata; keeps only the latest', async () => {
    const input = events(52, 3000, { keys: 50, jitter: 19 });
    const dir = checkpointDir();
    const r = await runStepped(countFlow(100), input, {
      parallelism: 3,
      close: false,
      values: { checkpointInterval: 30, checkpointDir: dir },
    });
    const latest = r.job.coordinator.latestCompleted!;
    const jobDir = r.job.checkpointStorage!.jobDir;
    expect(dirname(jobDir)).toBe(dir);
    expect(latest.externalPointer).toBe(`${jobDir}/chk-${latest.checkpointId}`);
    // Older completed checkpoints are subsumed (removed); at most one newer is in flight.
    const ids = readdirSync(jobDir).map((n) => Number(/^chk-(\d+)$/.exec(n)?.[1]));
    expect(ids).toContain(latest.checkpointId);
    expect(ids.every((id) => id === latest.checkpointId || id === latest.checkpointId + 1)).toBe(true);

    const loaded = loadCompletedCheckpoint(latest.externalPointer!);
    expect(loaded.checkpointId).toBe(latest.checkpointId);
    expect(loaded.sizeBytes).toBe(latest.sizeBytes);
    expect([...loaded.taskStates.entries()]).toEqual([...latest.taskStates.entries()]);
    let total = 0;
    const operators = new Set<string>();
    for (const handle of loaded.taskStates.values()) {
      for (const op of handle.operators) {
        expect(statSync(op.path).size).toBe(op.sizeBytes);
        expect(dirname(op.path)).toBe(latest.externalPointer);
        const file = readOperatorStateFile(op.path);
        expect(file.header).toMatchObject({ operatorId: op.operatorId, operatorName: op.operatorName, subtaskIndex: handle.subtaskIndex });
        operators.add(`${op.operatorName}#${handle.subtaskIndex}`);
        total += op.sizeBytes;
      }
    }
    expect(total).toBe(latest.sizeBytes);
    // Source offsets and window state, for each of the three subtasks.
    expect([...operators].sort()).toEqual(['count#0', 'count#1', 'count#2', 'events#0', 'events#1', 'events#2']);
    const stats = r.job.stats().checkpoints.find((c) => c.id === latest.checkpointId)!;
    expect(stats).toMatchObject({ status: 'completed', sizeBytes: latest.sizeBytes });
    expect(stats.syncDurationMs).toBeGreaterThanOrEqual(0);
    expect(stats.asyncDurationMs).toBeGreaterThanOrEqual(0);

    // When the job ends, the latest completed checkpoint stays (retained), the one in flight goes.
    await r.job.stop();
    expect(readdirSync(jobDir)).toEqual([`chk-${latest.checkpointId}`]);
    expect(readdirSync(latest.externalPointer!).sort()).toEqual(
      [
        '_metadata',
        ...[...loaded.taskStates.values()].flatMap((h) =>
          h.operators.map((o) => o.path.slice(jobDir.length + 1 + `chk-${latest.checkpointId}/`.length)),
        ),
      ].sort(),
    );
  });

  it('a job restored from the written files gives exactly the reference results', async () => {
    // One window over the whole input: nothing fires before the end, so the restored job alone must
    // produce every count, from the checkpoint's state plus the records after its offsets.
    const flow = countFlow(10_000_000);
    const input = events(53, 3000, { keys: 400, jitter: 19 });
    for (const parallelism of [1, 3]) {
      const dir = checkpointDir();
      const first = await runStepped(flow, input.slice(0, 2000), {
        parallelism,
        close: false,
        values: { checkpointInterval: 40, checkpointDir: dir },
      });
      const pointer = first.job.coordinator.latestCompleted!.externalPointer!;
      expect(first.sinks.out).toEqual([]);
      await first.job.stop();
      const restoring: Engine<FlinkEngineStats> = {
        ...flinkEngine,
        start: async (f, io, opts) => startFlinkJob(f, io, opts, { restoreFrom: loadCompletedCheckpoint(pointer) }),
      };
      await expectSameAsReference(restoring, flow, input, {
        parallelisms: [parallelism],
        cases: [{ label: `restored from ${pointer.slice(dir.length)}`, values: { checkpointInterval: 40, checkpointDir: dir } }],
      });
    }
  });

  it('a task whose input ends while its asynchronous part is in flight acknowledges with its state, then finishes', async () => {
    const input = events(54, 600, { keys: 30, jitter: 19 });
    const flow = countFlow(10_000_000);
    const log: Entry[] = [];
    const values = { checkpointInterval: 600_000, checkpointDir: checkpointDir() };
    const r = await runStepped(flow, input, { close: false, values, onStarted: (job) => watch(job, log) });
    for (let i = 0; i < 100 && r.log.consumedCount < input.length; i++) r.clock.advance(5);
    expect(r.log.consumedCount).toBe(input.length);
    // A checkpoint, then end of input right behind its barrier.
    const id = r.job.coordinator.triggerCheckpoint()!;
    r.log.close();
    await driveUntilDrained(r.job, { kind: 'stepped', stepMs: 5 }, r.clock, input.length);

    const windowTask = r.job.tasks.find((t) => t.chain.operators.some((op) => op instanceof WindowOperator))!;
    const order = log.filter((e) => e.kind !== 'sync' && e.task === windowTask.name).map((e) => e.kind);
    expect(order).toEqual(['ack', 'finished']);
    const completed = r.completed.find((c) => c.checkpointId === id)!;
    const handle = completed.taskStates.get(windowTask.name)!;
    expect(handle.finished).toBe(false);
    // The file holds the windows as they were at the barrier: all open, every key counted; the final
    // watermark, right behind the barrier, fired and emptied them before the asynchronous part read them.
    const windowFile = readOperatorStateFile(handle.operators[0].path).state as { keyGroups: [number, { entries: unknown[] }][] };
    const entries = windowFile.keyGroups.reduce((n, [, g]) => n + g.entries.length, 0);
    expect(entries).toBe(new Set(input.map((e) => e.k)).size);
    expect(r.job.stats().windowStateEntries).toBe(0);
    expect(r.sinks.out).toHaveLength(entries);
  });
});

describe('the temporary checkpoint directory', () => {
  it('is removed when the job drains, stops or fails; none is made with checkpointing off', async () => {
    const input = events(55, 1500, { jitter: 19 });
    let root = '';
    const drained = await runStepped(countFlow(100), input, {
      values: { checkpointInterval: 20 },
      onStarted: (job) => (root = dirname(job.checkpointStorage!.jobDir)),
    });
    expect(drained.job.coordinator.completedCount).toBeGreaterThan(0);
    expect(drained.job.checkpointStorage!.temporary).toBe(true);
    expect(existsSync(root)).toBe(false);

    const stopped = await runStepped(countFlow(100), input, { close: false, values: { checkpointInterval: 20 } });
    const stoppedRoot = dirname(stopped.job.checkpointStorage!.jobDir);
    expect(readdirSync(stopped.job.checkpointStorage!.jobDir).length).toBeGreaterThan(0);
    await stopped.job.stop();
    expect(existsSync(stoppedRoot)).toBe(false);

    const b = new DataflowBuilder('failing');
    b.source<Ev>('events')
      .map(
        (e) => {
          if (e.n === 99) throw new Error('bad record');
          return e;
        },
        { name: 'fragile', hints: { flink: { disableChaining: true } } },
      )
      .sink('out');
    let failingRoot = '';
    await expect(
      runStepped(b.build(), input, {
        values: { checkpointInterval: 5 },
        onStarted: (job) => (failingRoot = dirname(job.checkpointStorage!.jobDir)),
      }),
    ).rejects.toThrow(/fragile.*bad record/);
    expect(failingRoot).not.toBe('');
    expect(existsSync(failingRoot)).toBe(false);

    // A job that cannot restore (another max parallelism) fails to start and leaves nothing behind.
    const dir = checkpointDir();
    const source = await runStepped(countFlow(100), input, { close: false, values: { checkpointInterval: 20, checkpointDir: dir } });
    const pointer = source.job.coordinator.latestCompleted!.externalPointer!;
    await source.job.stop();
    const empty = checkpointDir();
    await expect(
      runStepped(countFlow(100), input, {
        values: { checkpointInterval: 20, maxParallelism: 64, checkpointDir: empty },
        restoreFrom: loadCompletedCheckpoint(pointer),
      }),
    ).rejects.toThrow(/cannot restore state of max parallelism 128 into max parallelism 64/);
    expect(readdirSync(empty)).toEqual([]);

    const off = await runStepped(countFlow(100), input.slice(0, 200));
    expect(off.job.checkpointStorage).toBeUndefined();
    expect(off.job.stats().checkpointSummary).toMatchObject({ directory: null, temporaryDirectory: null });
  });
});
