/**
 * Storm's standalone deployment: Nimbus, supervisors and workers as processes. The same results as the
 * reference at parallelism 1 and 4, the XOR acker across workers, where executors ran, a worker that dies
 * or hangs detected, one clear line for bad configurations, and no process of the cluster left afterwards
 * on any of these paths. Starts processes from dist/: run `npm run build` first.
 */
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBounded } from '../../../../bench/bounded/index.js';
import { dataflowRecipe } from '../../../../bench/runner/dataflow-recipe.js';
import { verify } from '../../../../bench/verify/index.js';
import { defaultOptionValues, type OptionValue } from '../../../../engines/api/index.js';
import { compiledEntry, liveDaemons } from '../../../../engines/runtime/cluster/index.js';
import { stormEngine, type StormStandaloneStats } from '../../../../engines/storm/index.js';
import { STALL_WORKER_ENV } from '../../../../engines/storm/standalone/standalone-options.js';
import { workloads } from '../../../../workloads/index.js';
import { pidsWithArgument, waitUntilGone } from '../../../support/processes.js';

/** Every process of this build's standalone Storm cluster has its entry module under this folder. */
const CLUSTER_MARKER = dirname(compiledEntry('engines/storm/standalone/nimbus-main.js'));
const WORKER_ENTRY = compiledEntry('engines/storm/standalone/worker-main.js');

afterEach(async () => {
  expect(await waitUntilGone(pidsWithArgument(CLUSTER_MARKER))).toEqual([]);
  expect(liveDaemons()).toEqual([]);
});

describe('storm standalone: the same results as the reference', () => {
  for (const flavour of ['storm', 'jstorm'] as const) {
    for (const parallelism of [1, 4] as const) {
      it(`${flavour}: wordcount, stateless, ysb and nexmark q5 at -p ${parallelism}`, async () => {
        const report = await verify({
          engines: ['storm'],
          workloads: ['wordcount', 'stateless', 'ysb', 'nexmark-q5'],
          events: 2000,
          seed: 7,
          parallelism,
          // Parallel spouts reading a backlog reorder event time by seconds: the lag a Storm user would set (README).
          options: { 'storm.flavour': flavour, ...(parallelism > 1 ? { 'storm.windowLag': 60_000, 'storm.workers': 2 } : {}) },
          timeoutMs: 120_000,
          deployment: 'standalone',
        });
        expect(report.cases.map((c) => [c.workload, c.status, c.error])).toEqual([
          ['wordcount', 'agree', undefined],
          ['stateless', 'agree', undefined],
          ['ysb', 'agree', undefined],
          ['nexmark-q5', 'agree', undefined],
        ]);
        expect(report.cases.every((c) => c.gotRecords > 0)).toBe(true);
      }, 300_000);
    }
  }
});

function statelessEvents(n: number): unknown[] {
  const gen = workloads.stateless.generator(defaultOptionValues(workloads.stateless.options), 3);
  return Array.from({ length: n }, (_, k) => gen.next(k, k));
}

function standaloneStart(values: Record<string, OptionValue>) {
  const wv = defaultOptionValues(workloads.stateless.options);
  return (
    flow: Parameters<typeof stormEngine.start>[0],
    io: Parameters<typeof stormEngine.start>[1],
    opts: Parameters<typeof stormEngine.start>[2],
  ) =>
    stormEngine.start(flow, io, {
      ...opts,
      values: { ...opts.values, ...values },
      deployment: 'standalone',
      dataflowRecipe: dataflowRecipe('stateless', wv),
    });
}

const statelessFlow = () => workloads.stateless.dataflow(defaultOptionValues(workloads.stateless.options));

describe('storm standalone: where things ran, and the acker across workers', () => {
  it('2 workers, 1 acker: every spout tuple tree of the other worker is acked over TCP, nothing fails', async () => {
    const events = 3000;
    const started = await startBounded(stormEngine, statelessFlow(), statelessEvents(events), {
      parallelism: 2,
      start: standaloneStart({ workers: 2, ackers: '1' }),
    });
    await started.job.drained();
    const stats = started.job.stats() as StormStandaloneStats;
    expect(stats.deployment).toBe('standalone');
    expect(stats.cluster.daemons.map((d) => d.name)).toEqual(['nimbus', 'supervisor-1', 'worker-1', 'worker-2']);
    expect(new Set(stats.cluster.daemons.map((d) => d.pid)).size).toBe(4);
    expect(stats.assignment.workers).toBe(2);
    // One acker task, in one worker: the trees of the other worker's spout can only complete across the connection.
    expect(stats.assignment.ackers).toBe(1);
    expect(stats.acked).toBe(events);
    expect(stats.acker).toEqual({ completed: events, failed: 0, expired: 0, pending: 0 });
    expect(stats.failed).toBe(0);
    expect(stats.completeLatencyMs?.count).toBeGreaterThan(0);
    expect(stats.cluster.network.connections).toBe(1);
    expect(stats.cluster.network.socketMessages).toBeGreaterThan(0);
    expect(stats.transfer.remoteTuples).toBeGreaterThan(0);
    expect(stats.transfer.bytes).toBeGreaterThan(0);
    // Both workers ran executors of the user's components.
    expect(stats.queues.length).toBe(stats.assignment.executors);
    // The same output as the local deployment (the filter passes about a third of the events).
    const local = await startBounded(stormEngine, statelessFlow(), statelessEvents(events), {
      parallelism: 2,
      values: { workers: 2, ackers: '1' },
    });
    await local.job.drained();
    const got = Object.values(started.sinks.records).flat().length;
    expect(got).toBeGreaterThan(0);
    expect(got).toBe(Object.values(local.sinks.records).flat().length);
  }, 120_000);
});

describe('storm standalone: bad configurations and failures, nothing left running', () => {
  it('more workers than slots: one line, before any process starts', async () => {
    await expect(
      startBounded(stormEngine, statelessFlow(), statelessEvents(10), {
        parallelism: 2,
        start: standaloneStart({ workers: 3, slotsPerSupervisor: 2 }),
      }),
    ).rejects.toThrow('storm.workers=3 needs 3 worker slots but the cluster has 2 (storm.supervisors=1 x storm.slotsPerSupervisor=2)');
  });

  it('a worker that never starts: Nimbus gives up after storm.workerStartTimeout', async () => {
    process.env[STALL_WORKER_ENV] = '1';
    try {
      await expect(
        startBounded(stormEngine, statelessFlow(), statelessEvents(10), {
          parallelism: 2,
          start: standaloneStart({ workers: 2, workerStartTimeout: 1500 }),
        }),
      ).rejects.toThrow('storm: worker-2 did not start within 1500 ms (storm.workerStartTimeout)');
    } finally {
      delete process.env[STALL_WORKER_ENV];
    }
  }, 60_000);

  it('a hung worker: its supervisor reports it dead after storm.workerTimeout without heartbeats', async () => {
    process.env[STALL_WORKER_ENV] = '1';
    try {
      await expect(
        startBounded(stormEngine, statelessFlow(), statelessEvents(10), {
          parallelism: 2,
          start: standaloneStart({ workers: 2, workerTimeout: 800, workerStartTimeout: 30_000 }),
        }),
      ).rejects.toThrow(/^storm: worker-2 \(pid \d+, supervisor-1\) is dead: no heartbeat for \d+ ms \(storm\.workerTimeout=800\)$/);
    } finally {
      delete process.env[STALL_WORKER_ENV];
    }
  }, 60_000);

  it('a worker killed mid-run: its supervisor detects it and the run fails with the reason', async () => {
    const started = await startBounded(stormEngine, statelessFlow(), statelessEvents(100), {
      parallelism: 2,
      close: false, // an open log: the topology runs until something ends it
      start: standaloneStart({ workers: 2 }),
    });
    const workers = pidsWithArgument(WORKER_ENTRY);
    expect(workers.length).toBe(2);
    const second = workers.find((pid) => pidsWithArgument('--index=1').includes(pid));
    expect(second).toBeDefined();
    process.kill(second as number, 'SIGKILL');
    await expect(started.job.drained()).rejects.toThrow(/^storm: worker-2 \(pid \d+, supervisor-1\) is dead: was killed by SIGKILL$/);
  }, 60_000);

  it('a supervisor crashing mid-run fails the run, and takes its workers with it', async () => {
    const started = await startBounded(stormEngine, statelessFlow(), statelessEvents(100), {
      parallelism: 2,
      close: false,
      start: standaloneStart({ workers: 2 }),
    });
    const workers = pidsWithArgument(WORKER_ENTRY);
    liveDaemons()
      .find((d) => d.name === 'supervisor-1')
      ?.kill('SIGKILL');
    await expect(started.job.drained()).rejects.toThrow(/^storm: supervisor-1 \(pid \d+\) was killed by SIGKILL$/);
    expect(await waitUntilGone(workers)).toEqual([]);
  }, 60_000);

  it('stop() of a running topology ends every process', async () => {
    const started = await startBounded(stormEngine, statelessFlow(), statelessEvents(100), {
      parallelism: 2,
      close: false,
      start: standaloneStart({ workers: 2 }),
    });
    // Nimbus, a supervisor, two workers.
    expect(pidsWithArgument(CLUSTER_MARKER).length).toBe(4);
    await started.job.stop();
  }, 60_000);
});
