import { describe, expect, it } from 'vitest';
import { checkFaultPlan, compareOutputs, keepsGuarantee, parseFaultSpec } from '../../../bench/faults/index.js';
import { runTrial, type TrialProgress, type TrialSpec } from '../../../bench/runner/index.js';
import { engines } from '../../../engines/index.js';
import { defaultOptionValues } from '../../../engines/api/index.js';
import { asResultsFile, SCHEMA_VERSION, type RunResult } from '../../../reports/schema.js';
import { workloads } from '../../../workloads/index.js';

describe('--fault', () => {
  it('parses every form', () => {
    expect(parseFaultSpec('kill-taskmanager@5s')).toEqual({ kind: 'kill-taskmanager', atMs: 5000 });
    expect(parseFaultSpec('kill-worker:1@500ms')).toEqual({ kind: 'kill-worker', target: '1', atMs: 500 });
    expect(parseFaultSpec('kill-executor:random@2s')).toEqual({ kind: 'kill-executor', target: 'random', atMs: 2000 });
    expect(parseFaultSpec('kill-task:split@3s')).toEqual({ kind: 'kill-task', target: 'split', atMs: 3000 });
    expect(parseFaultSpec('stall:0:2s@5s')).toEqual({ kind: 'stall', target: '0', atMs: 5000, durationMs: 2000 });
  });

  it('rejects malformed faults with one line each', () => {
    expect(() => parseFaultSpec('kill-taskmanager')).toThrow("--fault: 'kill-taskmanager' has no @<time>");
    expect(() => parseFaultSpec('kill-everything@1s')).toThrow("--fault: 'kill-everything' is not a fault kind");
    expect(() => parseFaultSpec('kill-worker:x@1s')).toThrow("the target of kill-worker is a 0-based index or random, got 'x'");
    expect(() => parseFaultSpec('kill-task@1s')).toThrow('kill-task needs an operator name');
    expect(() => parseFaultSpec('stall:0@1s')).toThrow('a stall is stall:<task or daemon>:<duration>@<time>');
    expect(() => parseFaultSpec('kill-worker@soon')).toThrow("'soon' in 'kill-worker@soon' is not a time");
  });

  it('is a usage error naming the kinds the engine has, or the operators the workload has', () => {
    const flow = workloads.wordcount.dataflow(defaultOptionValues(workloads.wordcount.options));
    const flink = engines.flink;
    const values = defaultOptionValues(flink.options);
    expect(() => checkFaultPlan([parseFaultSpec('kill-worker@1s')], flink, values, flow)).toThrow(
      /^--fault kill-worker: engine flink has no such fault; it has kill-taskmanager \(.*\), kill-task \(.*\), stall \(.*\)$/,
    );
    expect(() => checkFaultPlan([parseFaultSpec('kill-task:nope@1s')], flink, values, flow)).toThrow(
      "--fault kill-task:nope: workload wordcount has no operator 'nope' with a user function; it has timestamps, split",
    );
    expect(() => checkFaultPlan([parseFaultSpec('kill-worker@1s')], engines.reference, {}, flow)).toThrow('it takes no faults');
  });
});

describe('lost and duplicated records', () => {
  it('counts each against the reference output, by sink, as multisets', () => {
    const expected = {
      out: [
        { w: 'a', n: 1 },
        { w: 'b', n: 2 },
        { w: 'c', n: 1 },
      ],
    };
    expect(
      compareOutputs(expected, {
        out: [
          { w: 'c', n: 1 },
          { w: 'a', n: 1 },
          { w: 'b', n: 2 },
        ],
      }),
    ).toMatchObject({
      lostRecords: 0,
      duplicateRecords: 0,
      changedRecords: 0,
      guarantee: 'exactly-once',
    });
    expect(
      compareOutputs(expected, {
        out: [
          { w: 'a', n: 1 },
          { w: 'a', n: 1 },
          { w: 'b', n: 2 },
          { w: 'c', n: 1 },
        ],
      }),
    ).toMatchObject({
      lostRecords: 0,
      duplicateRecords: 1,
      guarantee: 'at-least-once',
    });
    expect(compareOutputs(expected, { out: [{ w: 'b', n: 2 }] })).toMatchObject({
      lostRecords: 2,
      duplicateRecords: 0,
      guarantee: 'at-most-once',
    });
    // A count made larger by a replayed input: one record lost, one the reference never emitted.
    expect(
      compareOutputs(expected, {
        out: [
          { w: 'a', n: 1 },
          { w: 'b', n: 3 },
          { w: 'c', n: 1 },
        ],
      }),
    ).toMatchObject({
      lostRecords: 1,
      duplicateRecords: 0,
      changedRecords: 1,
      guarantee: 'none',
    });
    // A window result counted higher than the reference's: its inputs were counted twice (at-least-once);
    // lower: some were missed (at-most-once).
    const w = (value: number) => ({ windowStart: 0, windowEnd: 10, key: 'a', value });
    expect(compareOutputs({ out: [w(4)] }, { out: [w(6)] })).toMatchObject({
      lostRecords: 1,
      changedRecords: 1,
      overCounted: 1,
      underCounted: 0,
    });
    expect(compareOutputs({ out: [w(4)] }, { out: [w(4), w(5)] })).toMatchObject({
      lostRecords: 0,
      overCounted: 1,
      guarantee: 'at-least-once',
    });
    expect(compareOutputs({ out: [w(4)] }, { out: [w(4), w(2)] })).toMatchObject({ underCounted: 1, guarantee: 'at-most-once' });
  });

  it('says which observations keep which promise', () => {
    expect(keepsGuarantee('exactly-once', 'at-least-once')).toBe(false);
    expect(keepsGuarantee('at-least-once', 'exactly-once')).toBe(true);
    expect(keepsGuarantee('at-least-once', 'at-most-once')).toBe(false);
    expect(keepsGuarantee('at-most-once', 'at-least-once')).toBe(false);
    expect(keepsGuarantee('none', 'none')).toBe(true);
  });
});

function faultTrial(options: TrialSpec['options'], fault: string, onProgress?: (p: TrialProgress) => void): Promise<RunResult> {
  return runTrial(
    {
      engine: 'flink',
      workload: 'wordcount',
      trial: 1,
      parallelism: 2,
      seed: 7,
      load: { rate: 2000, durationMs: 3000, warmupMs: 500 },
      options: { 'wordcount.window': 500, ...options },
      drainTimeoutMs: 60_000,
      faults: [parseFaultSpec(fault)],
    },
    onProgress,
  );
}

describe('flink recovery, measured against the reference', () => {
  it('exactly-once with aligned checkpoints and a two-phase-commit sink: nothing lost, nothing duplicated', async () => {
    const live: unknown[] = [];
    const r = await faultTrial(
      { 'flink.checkpointInterval': 200, 'flink.sinkCommit': 'two-phase-commit' },
      'kill-taskmanager:1@1500ms',
      (p) => live.push(...(p.faultEvents ?? [])),
    );
    // A live view gets every event with the samples, in order.
    expect(live).toEqual(r.faultEvents);
    const [f] = r.faults ?? [];
    expect(f).toMatchObject({ kind: 'kill-taskmanager', target: '1', lostRecords: 0, duplicateRecords: 0, changedRecords: 0 });
    expect([f.guarantee, f.promised]).toEqual(['exactly-once', 'exactly-once']);
    expect(f.detectedMs).not.toBeNull();
    expect(f.restartedMs as number).toBeGreaterThan(f.detectedMs as number);
    expect(r.faultEvents?.map((e) => e.type)).toEqual(['injected', 'detected', 'restarted']);
    const recovery = (
      r.engineStats as { recovery: { attempts: number; failovers: { detectedBy: string; restoredCheckpoint: number | null }[] } }
    ).recovery;
    expect(recovery.attempts).toBe(2);
    expect(recovery.failovers[0].detectedBy).toBe('broken connection');
    expect(recovery.failovers[0].restoredCheckpoint).not.toBeNull();
    // The results file carries the faults through its reader.
    const file = asResultsFile(
      JSON.parse(JSON.stringify({ schemaVersion: SCHEMA_VERSION, runs: [r], createdAt: 'x', command: 'run', environment: {} })),
      'test',
    );
    expect((file.runs[0] as RunResult).faults).toEqual(r.faults);
  }, 120_000);

  it('a failed task restarts the job from the checkpoint: with a plain sink nothing is lost', async () => {
    const r = await faultTrial({ 'flink.checkpointInterval': 200 }, 'kill-task:split@1500ms');
    const [f] = r.faults ?? [];
    expect(f).toMatchObject({ kind: 'kill-task', target: 'split', lostRecords: 0, changedRecords: 0, promised: 'at-least-once' });
    expect(['exactly-once', 'at-least-once']).toContain(f.guarantee);
    const recovery = (r.engineStats as { recovery: { failovers: { detectedBy: string; fault: number }[] } }).recovery;
    expect(recovery.failovers).toMatchObject([{ detectedBy: 'task failure', fault: 0 }]);
  }, 120_000);

  it('a TaskManager whose tasks talk to no other one is noticed by the heartbeat timeout', async () => {
    const r = await runTrial({
      engine: 'flink',
      workload: 'wordcount',
      trial: 1,
      parallelism: 1,
      seed: 7,
      load: { rate: 2000, durationMs: 3000, warmupMs: 500 },
      options: {
        'wordcount.window': 500,
        'flink.checkpointInterval': 200,
        'flink.sinkCommit': 'two-phase-commit',
        'flink.heartbeatInterval': 200,
        'flink.heartbeatTimeout': 600,
      },
      drainTimeoutMs: 60_000,
      faults: [parseFaultSpec('kill-taskmanager@1500ms')],
    });
    const [f] = r.faults ?? [];
    const recovery = (r.engineStats as { recovery: { failovers: { detectedBy: string; cause: string }[] } }).recovery;
    expect(recovery.failovers).toMatchObject([{ detectedBy: 'heartbeat timeout', cause: 'TaskManager 0 lost (no heartbeat for 600 ms)' }]);
    // Detected only after the timeout has run from the last heartbeat before the kill.
    expect(f.detectedMs as number).toBeGreaterThan(f.atMs);
    expect(f).toMatchObject({ lostRecords: 0, duplicateRecords: 0, changedRecords: 0, guarantee: 'exactly-once' });
  }, 120_000);

  it('a stall pauses the process: the fault and its end are recorded, nothing is lost', async () => {
    const r = await faultTrial({ 'flink.checkpointInterval': 200, 'flink.sinkCommit': 'two-phase-commit' }, 'stall:0:300ms@1500ms');
    const [f] = r.faults ?? [];
    expect(r.faultEvents?.map((e) => e.type)).toEqual(['injected', 'detected']);
    const [injected, ended] = r.faultEvents ?? [];
    expect(ended.timeMs - injected.timeMs).toBeGreaterThanOrEqual(300);
    expect(f).toMatchObject({ kind: 'stall', target: '0', lostRecords: 0, duplicateRecords: 0, guarantee: 'exactly-once' });
  }, 120_000);

  it('with no restart strategy the job fails', async () => {
    await expect(
      faultTrial({ 'flink.checkpointInterval': 200, 'flink.restartStrategy': 'none' }, 'kill-task:split@1500ms'),
    ).rejects.toThrow(
      /the job failed \(task .*split.* failed: injected failure: the user function of 'split' threw \(fault 1\)\) and its restart strategy allows no restart/,
    );
  }, 120_000);

  it('without checkpoints a restart loses the state and what was in flight', async () => {
    const r = await faultTrial({ 'flink.restartStrategy': 'fixed-delay' }, 'kill-task:split@1500ms');
    const [f] = r.faults ?? [];
    expect(f.promised).toBe('at-most-once');
    expect(f.lostRecords).toBeGreaterThan(0);
  }, 120_000);
});

function stormTrial(options: TrialSpec['options'], fault: string): Promise<RunResult> {
  return runTrial({
    engine: 'storm',
    workload: 'wordcount',
    trial: 1,
    parallelism: 1,
    seed: 11,
    load: { rate: 2000, durationMs: 3000, warmupMs: 500 },
    options: { 'wordcount.window': 500, 'storm.windowing': 'incremental', 'storm.supervisorMonitorFrequency': 500, ...options },
    drainTimeoutMs: 60_000,
    faults: [parseFaultSpec(fault)],
  });
}

describe('storm recovery, measured against the reference', () => {
  it('with ackers the relaunched worker replays every tuple not fully acked: no window result goes missing', async () => {
    const r = await stormTrial({}, 'kill-worker:0@1500ms');
    const [f] = r.faults ?? [];
    expect(f).toMatchObject({ kind: 'kill-worker', target: '0', lostRecords: 0, promised: 'at-least-once' });
    expect(r.faultEvents?.map((e) => e.type)).toEqual(['injected', 'detected', 'restarted']);
    // Relaunched at the supervisor's next check, 500 ms apart from the topology's start.
    expect((f.restartedMs as number) - f.atMs).toBeLessThanOrEqual(600);
    const supervision = (r.engineStats as { supervision: { launches: number } }).supervision;
    expect(supervision.launches).toBe(2);
  }, 120_000);

  it('without ackers what was in flight is lost (at-most-once): nothing is counted twice', async () => {
    const r = await stormTrial({ 'storm.ackers': '0' }, 'kill-worker@1500ms');
    const [f] = r.faults ?? [];
    expect(f.promised).toBe('at-most-once');
    expect(f.duplicateRecords + (f.overCounted ?? 0)).toBe(0);
    expect(f.lostRecords + (f.underCounted ?? 0)).toBeGreaterThan(0);
    expect(f.guarantee).toBe('at-most-once');
  }, 120_000);

  it('a thrown user function takes the worker down and the supervisor relaunches it', async () => {
    const r = await stormTrial({}, 'kill-task:split@1500ms');
    const [f] = r.faults ?? [];
    expect(f).toMatchObject({ kind: 'kill-task', lostRecords: 0 });
    expect(r.faultEvents?.map((e) => e.type)).toEqual(['injected', 'detected', 'restarted']);
  }, 120_000);

  it('offers kill-worker only with one worker', () => {
    const flow = workloads.wordcount.dataflow(defaultOptionValues(workloads.wordcount.options));
    const values = { ...defaultOptionValues(engines.storm.options), workers: 2 };
    expect(() => checkFaultPlan([parseFaultSpec('kill-worker@1s')], engines.storm, values, flow)).toThrow(
      /^--fault kill-worker: engine storm has no such fault; it has stall \(.*\)$/,
    );
  });
});

describe('spark recovery, measured against the reference', () => {
  const sparkTrial = (options: TrialSpec['options']) =>
    runTrial({
      engine: 'spark',
      workload: 'wordcount',
      trial: 1,
      parallelism: 2,
      seed: 5,
      load: { rate: 2000, durationMs: 3000, warmupMs: 500 },
      options: { 'wordcount.window': 500, 'spark.batchInterval': 250, ...options },
      drainTimeoutMs: 60_000,
      faults: [parseFaultSpec('kill-task:split@1500ms')],
    });

  it('a failed task is resubmitted: nothing lost, nothing counted twice', async () => {
    const r = await sparkTrial({});
    const [f] = r.faults ?? [];
    expect(f).toMatchObject({ kind: 'kill-task', lostRecords: 0, duplicateRecords: 0, changedRecords: 0, promised: 'at-least-once' });
    expect(r.faultEvents?.map((e) => e.type)).toEqual(['injected', 'detected', 'restarted']);
    expect((r.engineStats as { recovery: unknown }).recovery).toEqual({
      taskMaxFailures: 4,
      failedAttempts: 1,
      resubmitted: 1,
      aborted: 0,
    });
  }, 120_000);

  it('spark.taskMaxFailures=1 aborts the job at the first failure', async () => {
    await expect(sparkTrial({ 'spark.taskMaxFailures': 1 })).rejects.toThrow(
      /Job aborted due to stage failure: stage \d+ task \d+ failed 1 times, most recent failure: injected failure: the user function of 'split' threw/,
    );
  }, 120_000);
});
