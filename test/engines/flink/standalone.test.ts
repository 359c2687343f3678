/**
 * Flink's standalone deployment: JobManager and TaskManagers as processes, slots on threads. The same
 * results as the reference on real workloads at parallelism 1 and 4 (2 TaskManagers x 2 slots, so that
 * hash exchanges cross both threads and the TCP connection), one clear line for bad configurations, and
 * no process of the cluster left afterwards on any of these paths. Starts processes from dist/: run
 * `npm run build` first.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBounded } from '../../../bench/bounded/index.js';
import { dataflowRecipe } from '../../../bench/runner/dataflow-recipe.js';
import { verify } from '../../../bench/verify/index.js';
import { defaultOptionValues, type OptionValue } from '../../../engines/api/index.js';
import { flinkEngine, type FlinkEngineStats } from '../../../engines/flink/index.js';
import { readMetadata } from '../../../engines/flink/state/checkpoint-storage.js';
import { STALL_TASKMANAGER_ENV } from '../../../engines/flink/standalone/standalone-options.js';
import { compiledEntry, liveDaemons } from '../../../engines/runtime/cluster/index.js';
import { workloads } from '../../../workloads/index.js';
import { pidsWithArgument, waitUntilGone } from '../../support/processes.js';

/** Every process of this build's standalone Flink cluster has its entry module under this folder. */
const CLUSTER_MARKER = dirname(compiledEntry('engines/flink/standalone/job-manager-main.js'));

afterEach(async () => {
  expect(await waitUntilGone(pidsWithArgument(CLUSTER_MARKER))).toEqual([]);
  expect(liveDaemons()).toEqual([]);
});

describe('flink standalone: the same results as the reference', () => {
  for (const [parallelism, options] of [
    [1, {}],
    [4, { 'flink.taskManagers': 2, 'flink.slotsPerTaskManager': 2 }],
  ] as const) {
    it(`wordcount, stateless, ysb and nexmark q5 at -p ${parallelism}`, async () => {
      const report = await verify({
        engines: ['flink'],
        workloads: ['wordcount', 'stateless', 'ysb', 'nexmark-q5'],
        events: 4000,
        seed: 7,
        parallelism,
        options,
        timeoutMs: 60_000,
        deployment: 'standalone',
      });
      expect(report.cases.map((c) => [c.workload, c.status, c.error])).toEqual([
        ['wordcount', 'agree', undefined],
        ['stateless', 'agree', undefined],
        ['ysb', 'agree', undefined],
        ['nexmark-q5', 'agree', undefined],
      ]);
      expect(report.cases.every((c) => c.gotRecords > 0)).toBe(true);
    });
  }
});

function wordcountEvents(n: number): unknown[] {
  const gen = workloads.wordcount.generator(defaultOptionValues(workloads.wordcount.options), 3);
  return Array.from({ length: n }, (_, k) => gen.next(k, k));
}

function standaloneStart(values: Record<string, OptionValue>) {
  const wv = defaultOptionValues(workloads.wordcount.options);
  return (
    flow: Parameters<typeof flinkEngine.start>[0],
    io: Parameters<typeof flinkEngine.start>[1],
    opts: Parameters<typeof flinkEngine.start>[2],
  ) =>
    flinkEngine.start(flow, io, {
      ...opts,
      values: { ...opts.values, ...values },
      deployment: 'standalone',
      dataflowRecipe: dataflowRecipe('wordcount', wv),
    });
}

describe('flink standalone: where things ran', () => {
  it('2 TaskManagers x 2 slots: subtasks spread over both, one TCP connection, credits and buffers on the wire', async () => {
    const flow = workloads.wordcount.dataflow(defaultOptionValues(workloads.wordcount.options));
    const started = await startBounded(flinkEngine, flow, wordcountEvents(3000), {
      parallelism: 4,
      start: standaloneStart({ taskManagers: 2, slotsPerTaskManager: 2 }),
    });
    await started.job.drained();
    const stats = started.job.stats() as FlinkEngineStats;
    expect(stats.deployment).toBe('standalone');
    expect(stats.cluster?.daemons.map((d) => d.name)).toEqual(['jobmanager', 'taskmanager-1', 'taskmanager-2']);
    expect(new Set(stats.cluster?.daemons.map((d) => d.pid)).size).toBe(3);
    expect(stats.slots).toEqual({ taskManagers: 2, slotsPerTaskManager: 2, required: 4 });
    expect(new Set(stats.tasks.map((t) => `${t.taskManager}/${t.slot}`))).toEqual(new Set(['1/1', '1/2', '2/3', '2/4']));
    expect(stats.cluster?.network.connections).toBe(1);
    expect(stats.cluster?.network.socketMessages).toBeGreaterThan(0);
    expect(stats.cluster?.network.portMessages).toBeGreaterThan(0);
    expect(stats.buffers.remoteBuffers).toBeGreaterThan(0);
    const tokens = stats.tasks.filter((t) => t.recordsIn > 0).reduce((n, t) => n + t.recordsIn, 0);
    expect(tokens).toBeGreaterThan(3000);
    expect(Object.values(started.sinks.records).flat().length).toBeGreaterThan(0);
  });
});

describe('flink standalone: checkpoints', () => {
  it('the coordinator in the JobManager, barriers over real channels, acknowledgements with the state files of both TaskManagers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-standalone-chk-'));
    try {
      const flow = workloads.wordcount.dataflow(defaultOptionValues(workloads.wordcount.options));
      const started = await startBounded(flinkEngine, flow, wordcountEvents(2000), {
        parallelism: 2,
        close: false,
        start: standaloneStart({ taskManagers: 2, checkpointInterval: 1000, checkpointDir: dir }),
      });
      // While the job runs (its windows hold state): the latest completed checkpoint, read between two triggers.
      const deadline = Date.now() + 30_000;
      let files: string[] = [];
      let taskNames: string[] = [];
      while (files.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        const jobDirs = readdirSync(dir);
        if (jobDirs.length !== 1) continue;
        const done = readdirSync(join(dir, jobDirs[0])).filter((c) => existsSync(join(dir, jobDirs[0], c, '_metadata')));
        if (done.length === 0) continue;
        const metadata = readMetadata(join(dir, jobDirs[0], done[done.length - 1])) as {
          tasks: { taskName: string; operators: { path: string }[] }[];
        };
        files = metadata.tasks.flatMap((t) => t.operators.map((o) => o.path));
        taskNames = metadata.tasks.map((t) => t.taskName).sort();
        for (const f of files) expect(statSync(f).size).toBeGreaterThan(0);
      }
      // Offsets of both sources and the window state of both counts: written by the threads of both TaskManagers.
      expect(files.length).toBe(4);
      expect(taskNames).toEqual([
        'Source: events -> timestamps -> split (1/2)',
        'Source: events -> timestamps -> split (2/2)',
        'count -> Sink: counts (1/2)',
        'count -> Sink: counts (2/2)',
      ]);
      started.log.close();
      await started.job.drained();
      const stats = started.job.stats() as FlinkEngineStats;
      expect(stats.checkpointSummary.completed).toBeGreaterThan(0);
      expect(stats.checkpointSummary.failed).toBe(0);
      const latest = stats.checkpointSummary.latestCompletedId as number;
      expect(readdirSync(stats.checkpointSummary.directory as string)).toEqual([`chk-${latest}`]); // older ones subsumed, the latest kept
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('flink standalone: bad configurations and failures, nothing left running', () => {
  it("more slots than offered: Flink's NoResourceAvailableException", async () => {
    const flow = workloads.wordcount.dataflow(defaultOptionValues(workloads.wordcount.options));
    await expect(
      startBounded(flinkEngine, flow, wordcountEvents(10), {
        parallelism: 3,
        start: standaloneStart({ taskManagers: 1, slotsPerTaskManager: 2 }),
      }),
    ).rejects.toThrow(
      /^flink: NoResourceAvailableException: not enough free slots available to run the job: it needs 3 slots .* but 1 TaskManager x 2 slots = 2/,
    );
  });

  it('a TaskManager that never registers', async () => {
    const flow = workloads.wordcount.dataflow(defaultOptionValues(workloads.wordcount.options));
    process.env[STALL_TASKMANAGER_ENV] = '2';
    try {
      await expect(
        startBounded(flinkEngine, flow, wordcountEvents(10), {
          parallelism: 2,
          start: standaloneStart({ taskManagers: 2, registrationTimeout: 1000 }),
        }),
      ).rejects.toThrow(
        'flink: 1 of 2 TaskManagers did not register with the ResourceManager within 1000 ms (taskmanager-2; flink.registrationTimeout)',
      );
    } finally {
      delete process.env[STALL_TASKMANAGER_ENV];
    }
  });

  it('a TaskManager crashing mid-job fails the job with its reason', async () => {
    const flow = workloads.wordcount.dataflow(defaultOptionValues(workloads.wordcount.options));
    const started = await startBounded(flinkEngine, flow, wordcountEvents(100), {
      parallelism: 2,
      close: false, // an open log: the job runs until something ends it
      start: standaloneStart({ taskManagers: 2 }),
    });
    const tm = liveDaemons().find((d) => d.name === 'taskmanager-2');
    expect(tm).toBeDefined();
    tm?.kill('SIGKILL');
    await expect(started.job.drained()).rejects.toThrow(/^flink: taskmanager-2 \(pid \d+\) was killed by SIGKILL$/);
  });

  it('stop() of a running job ends every process', async () => {
    const flow = workloads.wordcount.dataflow(defaultOptionValues(workloads.wordcount.options));
    const started = await startBounded(flinkEngine, flow, wordcountEvents(100), {
      parallelism: 2,
      close: false,
      start: standaloneStart({ taskManagers: 2 }),
    });
    expect(pidsWithArgument(CLUSTER_MARKER).length).toBe(3);
    await started.job.stop();
  });
});
