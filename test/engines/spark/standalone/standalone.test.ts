/**
 * Spark's standalone deployment: the trial's process is the driver, executors are processes with a thread
 * per core. The same results as the reference at parallelism 1 and 4; tasks really run in the executors
 * and a shuffle crosses them (map outputs written in the executors, fetched over TCP); a lost executor
 * (killed, or silent) fails the run with its reason; bad configurations are one line; and no executor
 * process or shuffle file is left afterwards. Starts processes from dist/: run `npm run build` first.
 */
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startBounded } from '../../../../bench/bounded/index.js';
import { dataflowRecipe } from '../../../../bench/runner/dataflow-recipe.js';
import { verify } from '../../../../bench/verify/index.js';
import { defaultOptionValues, type OptionValue } from '../../../../engines/api/index.js';
import { compiledEntry, liveDaemons } from '../../../../engines/runtime/cluster/index.js';
import { sparkEngine, STALL_EXECUTOR_ENV, type SparkEngineStats } from '../../../../engines/spark/index.js';
import { workloads } from '../../../../workloads/index.js';
import { pidsWithArgument, waitUntilGone } from '../../../support/processes.js';
import { temporaryDirs } from '../../../support/temp-dirs.js';

/** Every executor process of this build has its entry module in this folder. */
const EXECUTOR_MARKER = dirname(compiledEntry('engines/spark/standalone/executor-main.js'));

afterEach(async () => {
  expect(await waitUntilGone(pidsWithArgument(EXECUTOR_MARKER))).toEqual([]);
  expect(liveDaemons()).toEqual([]);
});
const tempDir = temporaryDirs('streamarena-spark-test-');

describe('spark standalone: the same results as the reference', () => {
  for (const parallelism of [1, 4]) {
    it(`wordcount, stateless, ysb and nexmark q5 at -p ${parallelism}`, async () => {
      const report = await verify({
        engines: ['spark'],
        workloads: ['wordcount', 'stateless', 'ysb', 'nexmark-q5'],
        events: 4000,
        seed: 7,
        parallelism,
        options: {},
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

describe('spark standalone: small batches', () => {
  it('map outputs with nothing for some reducers (one line per map partition, 8 reducers): still the reference result', async () => {
    const report = await verify({
      engines: ['spark'],
      workloads: ['wordcount'],
      events: 8,
      seed: 3,
      parallelism: 8,
      options: {},
      timeoutMs: 60_000,
      deployment: 'standalone',
    });
    expect(report.cases.map((c) => [c.workload, c.status, c.error])).toEqual([['wordcount', 'agree', undefined]]);
  });
});

function wordcountEvents(n: number): unknown[] {
  const gen = workloads.wordcount.generator(defaultOptionValues(workloads.wordcount.options), 3);
  return Array.from({ length: n }, (_, k) => gen.next(k, k));
}

function standaloneStart(values: Record<string, OptionValue>) {
  const wv = defaultOptionValues(workloads.wordcount.options);
  return (
    flow: Parameters<typeof sparkEngine.start>[0],
    io: Parameters<typeof sparkEngine.start>[1],
    opts: Parameters<typeof sparkEngine.start>[2],
  ) =>
    sparkEngine.start(flow, io, {
      ...opts,
      values: { ...opts.values, ...values },
      deployment: 'standalone',
      dataflowRecipe: dataflowRecipe('wordcount', wv),
    });
}

const wordcountFlow = () => workloads.wordcount.dataflow(defaultOptionValues(workloads.wordcount.options));

describe('spark standalone: where things ran', () => {
  it('2 executors: map tasks in both, their shuffle blocks fetched over TCP, the shuffle folder removed at the end', async () => {
    const localDir = tempDir();
    const started = await startBounded(sparkEngine, wordcountFlow(), wordcountEvents(3000), {
      parallelism: 2,
      start: standaloneStart({ executors: 2, coresPerExecutor: 1, batchInterval: 200, shuffleDir: localDir }),
    });
    // While it runs: the run's shuffle folder with one folder per executor.
    const runDirs = readdirSync(localDir);
    expect(runDirs).toHaveLength(1);
    expect(readdirSync(join(localDir, runDirs[0])).sort()).toEqual(['executor-0', 'executor-1']);
    await started.job.drained();
    const stats = started.job.stats() as SparkEngineStats;
    expect(stats.deployment).toBe('standalone');
    const cluster = stats.cluster;
    expect(cluster?.daemons.map((d) => d.name)).toEqual(['driver', 'executor-0', 'executor-1']);
    expect(new Set(cluster?.daemons.map((d) => d.pid)).size).toBe(3);
    // The executors did work: their CPU time is their own, not the driver's.
    for (const d of cluster?.daemons.slice(1) ?? []) expect(d.cpuUserMs).toBeGreaterThan(0);
    // Map tasks ran in the executors; the stateful reducers ran in the driver and fetched every block remotely.
    expect(cluster?.tasksOnExecutors).toBeGreaterThan(0);
    expect(cluster?.tasksOnDriver).toBeGreaterThan(0);
    expect(cluster?.taskLaunch.tasks).toBe(cluster?.tasksOnExecutors);
    expect(cluster?.taskLaunch.meanOverheadMs).toBeGreaterThan(0);
    expect(cluster?.shuffleFetch.bytes).toBeGreaterThan(0);
    expect(cluster?.shuffleFetch.blocks).toBeGreaterThanOrEqual(2);
    expect(stats.shuffleBytes).toBeGreaterThanOrEqual(cluster?.shuffleFetch.bytes ?? 0);
    expect(Object.values(started.sinks.records).flat().length).toBeGreaterThan(0);
    expect(readdirSync(localDir)).toEqual([]);
  });
});

describe('spark standalone: bad configurations and lost executors', () => {
  it('more cores than the machine has: one line', async () => {
    const cores = availableParallelism();
    await expect(
      startBounded(sparkEngine, wordcountFlow(), wordcountEvents(10), {
        parallelism: 1,
        start: standaloneStart({ executors: cores + 1, coresPerExecutor: 1 }),
      }),
    ).rejects.toThrow(`spark: ${cores + 1} executor(s) x 1 core(s) = ${cores + 1} cores asked, but this machine has ${cores}`);
  });

  it('an executor that never registers: the registration timeout, and no executor left', async () => {
    process.env[STALL_EXECUTOR_ENV] = '1';
    try {
      await expect(
        startBounded(sparkEngine, wordcountFlow(), wordcountEvents(10), {
          parallelism: 1,
          start: standaloneStart({ executors: 1, registrationTimeout: 1500 }),
        }),
      ).rejects.toThrow('spark: executor-0 did not register with the driver within 1500 ms (spark.registrationTimeout)');
    } finally {
      delete process.env[STALL_EXECUTOR_ENV];
    }
  });

  it("the driver's port in use: one line", async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => holder.once('listening', r));
    const port = (holder.address() as AddressInfo).port;
    try {
      await expect(
        startBounded(sparkEngine, wordcountFlow(), wordcountEvents(10), {
          parallelism: 1,
          start: standaloneStart({ driverPort: port }),
        }),
      ).rejects.toThrow(`port 127.0.0.1:${port} is in use`);
    } finally {
      holder.close();
    }
  });

  it('an executor crashing mid-run fails the run with its reason', async () => {
    const started = await startBounded(sparkEngine, wordcountFlow(), wordcountEvents(100), {
      parallelism: 2,
      close: false, // an open log: the run goes on until something ends it
      start: standaloneStart({ executors: 2, coresPerExecutor: 1, batchInterval: 100 }),
    });
    const executor = liveDaemons().find((d) => d.name === 'executor-1');
    expect(executor).toBeDefined();
    executor?.kill('SIGKILL');
    await expect(started.job.drained()).rejects.toThrow(/^spark: executor lost: executor-1 \(pid \d+\) was killed by SIGKILL$/);
  });

  it('an executor that hangs is reported lost when its heartbeats stop (spark.networkTimeout)', async () => {
    const started = await startBounded(sparkEngine, wordcountFlow(), wordcountEvents(100), {
      parallelism: 1,
      close: false,
      start: standaloneStart({ executors: 1, coresPerExecutor: 1, batchInterval: 100, heartbeatInterval: 200, networkTimeout: 1500 }),
    });
    const executor = liveDaemons().find((d) => d.name === 'executor-0');
    expect(executor).toBeDefined();
    executor?.kill('SIGSTOP');
    await expect(started.job.drained()).rejects.toThrow(/^spark: executor-0 lost: no heartbeat for \d+ ms \(spark\.networkTimeout\)$/);
  });

  it('stop() of a running job ends every executor', async () => {
    const started = await startBounded(sparkEngine, wordcountFlow(), wordcountEvents(100), {
      parallelism: 2,
      close: false,
      start: standaloneStart({ executors: 2, coresPerExecutor: 1 }),
    });
    expect(pidsWithArgument(EXECUTOR_MARKER).length).toBe(2);
    await started.job.stop();
  });
});
