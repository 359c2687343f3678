/**
 * Faults in Flink's standalone deployment: a TaskManager process killed by SIGKILL or paused by SIGSTOP,
 * noticed by the JobManager (broken connection, heartbeat timeout), the TaskManager started again under
 * its index, the job redeployed from its latest completed checkpoint, and the output held against the
 * reference engine on the same events. No process of the cluster is left afterwards. Starts processes
 * from dist/: run `npm run build` first.
 */
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../bench/faults/index.js';
import { runTrial } from '../../../bench/runner/index.js';
import type { OptionValue } from '../../../engines/api/index.js';
import type { FlinkRecoveryStats } from '../../../engines/flink/failover/index.js';
import { compiledEntry, liveDaemons } from '../../../engines/runtime/cluster/index.js';
import { pidsWithArgument, waitUntilGone } from '../../support/processes.js';

const CLUSTER_MARKER = dirname(compiledEntry('engines/flink/standalone/job-manager-main.js'));

afterEach(async () => {
  expect(await waitUntilGone(pidsWithArgument(CLUSTER_MARKER))).toEqual([]);
  expect(liveDaemons()).toEqual([]);
});

/** Heartbeats scaled down by one factor, keeping Flink's ratio of 5, so that a hung TaskManager is lost within the trial. */
const FAST_HEARTBEATS = { 'flink.heartbeatInterval': 200, 'flink.heartbeatTimeout': 1000 };

function faultyTrial(faults: string[], options: Record<string, OptionValue>, events = 30_000) {
  return runTrial({
    engine: 'flink',
    workload: 'wordcount',
    trial: 1,
    parallelism: 2,
    seed: 5,
    load: { rate: 5000, events, warmupMs: 0 },
    options: { 'flink.taskManagers': 2, 'flink.slotsPerTaskManager': 1, ...FAST_HEARTBEATS, ...options },
    drainTimeoutMs: 60_000,
    deployment: 'standalone',
    faults: faults.map(parseFaultSpec),
  });
}

function pidsOf(stats: unknown): Record<string, number> {
  const daemons = (stats as { cluster: { daemons: { name: string; pid: number }[] } }).cluster.daemons;
  return Object.fromEntries(daemons.map((d) => [d.name, d.pid]));
}

describe('flink standalone: faults and recovery across processes', () => {
  it('kill-taskmanager with checkpoints and a two-phase-commit sink: restored, exactly once', async () => {
    const r = await faultyTrial(['kill-taskmanager:1@2s'], { 'flink.checkpointInterval': 300, 'flink.sinkCommit': 'two-phase-commit' });
    expect(r.drained).toBe(true);
    const [fault] = r.faults ?? [];
    expect(fault).toMatchObject({ kind: 'kill-taskmanager', target: '1', lostRecords: 0, duplicateRecords: 0, changedRecords: 0 });
    expect(fault.guarantee).toBe('exactly-once');
    expect(fault.promised).toBe('exactly-once');
    const events = (r.faultEvents ?? []).filter((e) => e.fault === 0);
    expect(events.map((e) => e.type)).toEqual(['injected', 'detected', 'restarted']);
    expect(events[0].detail).toMatch(/^taskmanager-2 \(pid \d+\) killed: SIGKILL$/);
    expect(events[1].detail).toMatch(/^broken connection: taskmanager-2 \(pid \d+\) was lost: its connection closed$/);
    expect(events[2].detail).toMatch(/^all tasks redeployed from checkpoint \d+ \(attempt 2\)$/);
    const recovery = (r.engineStats as { recovery: FlinkRecoveryStats }).recovery;
    expect(recovery).toMatchObject({ attempts: 2, relaunchedTaskManagers: 1, sinkCommit: 'two-phase-commit' });
    expect(recovery.failovers).toHaveLength(1);
    expect(recovery.failovers[0]).toMatchObject({ fault: 0, detectedBy: 'broken connection' });
    expect(recovery.failovers[0].restoredCheckpoint).toBeGreaterThan(0);
    // The TaskManager that runs at the end is another process than the one killed.
    const killed = Number(/pid (\d+)/.exec(String(events[0].detail))?.[1]);
    expect(pidsOf(r.engineStats)['taskmanager-2']).not.toBe(killed);
    expect(recovery.transactionsCommitted).toBeGreaterThan(0);
  });

  it('a plain sink replays what followed the checkpoint: nothing lost, duplicates counted (at-least-once)', async () => {
    const r = await faultyTrial(['kill-taskmanager:0@2s'], { 'flink.checkpointInterval': 300 });
    expect(r.drained).toBe(true);
    const [fault] = r.faults ?? [];
    expect(fault.lostRecords).toBe(0);
    expect(fault.promised).toBe('at-least-once');
    expect(['at-least-once', 'exactly-once']).toContain(fault.guarantee);
    expect(fault.restartedMs).not.toBeNull();
  });

  it('a stall longer than the heartbeat timeout: lost by its heartbeats, disconnected, started again', async () => {
    const r = await faultyTrial(['stall:1:2500ms@1500ms'], { 'flink.checkpointInterval': 300, 'flink.sinkCommit': 'two-phase-commit' });
    expect(r.drained).toBe(true);
    const [fault] = r.faults ?? [];
    expect(fault).toMatchObject({ kind: 'stall', lostRecords: 0, duplicateRecords: 0, guarantee: 'exactly-once' });
    const events = (r.faultEvents ?? []).filter((e) => e.fault === 0);
    expect(events.map((e) => e.type)).toEqual(['injected', 'detected', 'restarted']);
    expect(events[0].detail).toMatch(/paused for 2500 ms: SIGSTOP$/);
    expect(events[1].detail).toMatch(/^heartbeat timeout: taskmanager-2 \(pid \d+\) was lost: no heartbeat for \d+ ms/);
    const recovery = (r.engineStats as { recovery: FlinkRecoveryStats }).recovery;
    expect(recovery.failovers[0].detectedBy).toBe('heartbeat timeout');
  });

  it('a stall shorter than the heartbeat timeout: the job only waits', async () => {
    const r = await faultyTrial(['stall:0:300ms@1500ms'], { 'flink.heartbeatTimeout': 20_000, 'flink.checkpointInterval': 300 }, 15_000);
    expect(r.drained).toBe(true);
    const events = (r.faultEvents ?? []).filter((e) => e.fault === 0);
    expect(events.map((e) => e.type)).toEqual(['injected', 'detected']);
    expect(events[1].detail).toMatch(/the pause ended \(SIGCONT\) before the heartbeat timeout/);
    expect(r.faults?.[0]).toMatchObject({ lostRecords: 0, duplicateRecords: 0 });
    expect((r.engineStats as { recovery: FlinkRecoveryStats }).recovery.attempts).toBe(1);
  });

  it('while it runs, the engine stats carry every subtask and the checkpoints so far (the live view)', async () => {
    const seen: { tasks: number; completed: number }[] = [];
    await runTrial(
      {
        engine: 'flink',
        workload: 'wordcount',
        trial: 1,
        parallelism: 2,
        seed: 1,
        load: { rate: 5000, durationMs: 4000, warmupMs: 0 },
        options: { 'flink.checkpointInterval': 300 },
        drainTimeoutMs: 60_000,
        deployment: 'standalone',
        live: true,
      },
      (p) => {
        const s = p.live?.engineStats as { tasks: unknown[]; checkpointSummary: { completed: number } } | undefined;
        if (p.phase !== 'drain' && s) seen.push({ tasks: s.tasks.length, completed: s.checkpointSummary.completed });
      },
    );
    const late = seen.slice(-2);
    expect(late.length).toBe(2);
    for (const s of late) expect(s.tasks).toBe(4); // two vertices x parallelism 2, before the job ended
    expect(late[1].completed).toBeGreaterThan(0);
  });

  it('without checkpointing (no restart by default) a killed TaskManager fails the trial with its reason', async () => {
    await expect(faultyTrial(['kill-taskmanager:1@1s'], {}, 15_000)).rejects.toThrow(/^flink: taskmanager-2 .*SIGKILL/);
  });
});
