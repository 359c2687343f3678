/**
 * The live dashboard (`streamarena run --ui`) in Debian's headless Chromium, during real runs of the built
 * CLI: the page loads while each engine runs, its charts gain points as samples arrive, the job graph has a
 * box for every task of the plan and colours the measured ones, a task in front of a slow sink (a test-only
 * preload) is coloured back-pressured, hostile-looking names stay text, the page asks for nothing but its
 * own server, and when the run ends the server and every trial process are gone.
 *
 * With STREAMARENA_LIVE_SCREENSHOTS=<dir>, full-page screenshots are kept there.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../bench/runner/package-paths.js';
import { explainRecordedOptions } from '../../../bench/runner/index.js';
import { Dashboard } from '../../../bench/ui/index.js';
import { alive, portOpen, startCli } from './live-cli.js';
import { launch, SKIP_BROWSER, SKIP_REASON, type Browser } from '../../reports/html/browser.js';

if (SKIP_BROWSER) console.warn(`live dashboard browser tests skipped: ${SKIP_REASON}`);

// page.evaluate's functions run in Chromium; the project compiles without the DOM library.
interface PageElement {
  getAttribute(name: string): string | null;
  textContent: string | null;
}
declare const window: unknown;
declare const document: {
  documentElement: PageElement;
  querySelectorAll(selector: string): Iterable<PageElement>;
};

/** The plan's leaves, as the page draws them (every task, operator, executor...). */
function planLeaves(engine: string, workload: string, options: Record<string, string | number | boolean>, parallelism: number): string[] {
  const plan = explainRecordedOptions(engine, workload, { ...options, 'run.parallelism': parallelism })!;
  const parents = new Set(plan.nodes.map((n) => n.parent));
  return plan.nodes.filter((n) => !parents.has(n.id)).map((n) => n.id);
}

describe.skipIf(SKIP_BROWSER)(SKIP_BROWSER ? `live dashboard (skipped: ${SKIP_REASON})` : 'live dashboard in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  const shots = process.env.STREAMARENA_LIVE_SCREENSHOTS || undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'streamarena-live-'));
    if (shots) mkdirSync(shots, { recursive: true });
    browser = await launch({ width: 1400 });
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the CLI with --ui, watches the page until `until` holds, and checks that everything ended afterwards. */
  async function watch(
    name: string,
    args: string[],
    check: (page: import('playwright-core').Page) => Promise<void>,
    env: NodeJS.ProcessEnv = {},
  ): Promise<void> {
    const cli = startCli([...args, '--ui', '0', '--out', join(dir, name), '--no-report'], env);
    const page = await browser.context.newPage();
    const problems: string[] = [];
    const pids = new Set<number>();
    try {
      const url = await cli.url;
      const port = Number(new URL(url).port);
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => {
        if (!r.url().startsWith(url)) problems.push(`request elsewhere: ${r.url()}`);
      });
      await page.goto(url);
      await page.waitForFunction(() => Number(document.documentElement.getAttribute('data-ticks') ?? 0) >= 2, null, { timeout: 90_000 });
      for (const cell of await page.locator('#daemons tbody td:nth-child(3)').allTextContents())
        if (/^\d+$/.test(cell)) pids.add(Number(cell));
      await check(page);
      if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
      const code = await cli.exit;
      expect(code, cli.stderr()).toBe(0);
      // The page hears the end; the server and every trial process are gone.
      await page.waitForFunction(() => document.documentElement.getAttribute('data-live') === 'ended', null, { timeout: 10_000 });
      expect(await portOpen(port)).toBe(false);
      expect(pids.size).toBeGreaterThan(0);
      for (const pid of pids) expect(alive(pid), `trial process ${pid}`).toBe(false);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    }
  }

  /** Data points (not gaps) over every dataset of one chart, read from its Chart.js instance. */
  const chartPoints = (page: import('playwright-core').Page, id: string): Promise<number> =>
    page.evaluate((canvasId) => {
      type ChartLike = { data: { datasets: { data: { y: unknown }[] }[] } };
      const chart = (window as unknown as { Chart: { getChart(id: string): ChartLike | undefined } }).Chart.getChart(canvasId);
      let points = 0;
      for (const ds of chart?.data.datasets ?? []) for (const d of ds.data) if (typeof d?.y === 'number' && Number.isFinite(d.y)) points++;
      return points;
    }, id);

  /** The data-state of every box of the drawn plan, by plan node id. */
  const boxStates = async (page: import('playwright-core').Page): Promise<Map<string, string>> => {
    const pairs: [string, string][] = await page.evaluate(() =>
      [...document.querySelectorAll('g.pd-node')].map((g): [string, string] => [
        g.getAttribute('data-node') ?? '',
        g.getAttribute('data-state') ?? '',
      ]),
    );
    return new Map(pairs);
  };

  for (const engine of ['flink', 'spark', 'storm', 'reference']) {
    it(`${engine}: loads during the run, charts gain points, every task is drawn`, { timeout: 180_000 }, async () => {
      // Storm's own windows anchor every result to every tuple: the incremental bolt keeps a short run short.
      // Flink with checkpoints every second, so that its checkpoint view fills.
      const options: Record<string, string | number> =
        engine === 'storm' ? { 'storm.windowing': 'incremental' } : engine === 'flink' ? { 'flink.checkpointInterval': 1000 } : {};
      const optionArgs = Object.entries(options).flatMap(([k, v]) => ['-o', `${k}=${v}`]);
      await watch(
        `run-${engine}`,
        ['run', '-e', engine, '-w', 'wordcount', '-p', '2', '-d', '8s', '-t', '1', '-r', '5000', ...optionArgs],
        async (page) => {
          expect(await page.locator('#overview-stats').textContent()).toContain(engine);
          const first = await chartPoints(page, 'chart-throughput');
          const ticks = Number(await page.locator('html').getAttribute('data-ticks'));
          await page.waitForFunction((n) => Number(document.documentElement.getAttribute('data-ticks')) >= n + 2, ticks, {
            timeout: 60_000,
          });
          const later = await chartPoints(page, 'chart-throughput');
          expect(later).toBeGreaterThan(first);
          expect(await chartPoints(page, 'chart-backlog')).toBeGreaterThan(0);

          const states = await boxStates(page);
          const leaves = planLeaves(engine, 'wordcount', options, 2);
          expect([...states.keys()].sort()).toEqual([...leaves].sort());
          const measured = (id: string) => ['busy', 'idle', 'back-pressured'].includes(states.get(id) ?? '');
          if (engine === 'flink') {
            const subtasks = leaves.filter((id) => id.startsWith('subtask-'));
            expect(subtasks).toHaveLength(4); // two vertices x parallelism 2
            for (const id of subtasks) expect(measured(id), id).toBe(true);
            expect(await page.locator('#engine-title').textContent()).toContain('checkpoints');
            await page.waitForFunction(
              () => [...document.querySelectorAll('#engine-view td')].some((td) => td.textContent === 'completed'),
              null,
              {
                timeout: 60_000,
              },
            );
          } else if (engine === 'storm') {
            for (const id of ['component:split', 'component:count', 'component:counts']) expect(measured(id), id).toBe(true);
            expect(await page.locator('#engine-view').textContent()).toContain('acked');
          } else if (engine === 'spark') {
            for (const id of leaves) expect(measured(id), id).toBe(true);
            expect(await chartPoints(page, 'chart-batch-delay')).toBeGreaterThan(0);
          } else {
            // The reference loop has no per-task counters: its boxes are drawn, none is claimed measured.
            for (const id of leaves) expect(measured(id), id).toBe(false);
          }
          const daemons = await page.locator('#daemons tbody').textContent();
          const expected = { flink: 'TaskManager', spark: 'executor', storm: 'supervisor', reference: 'reference loop' }[engine]!;
          expect(daemons).toContain(expected);
        },
      );
    });
  }

  it('flink with a slow sink: the task in front of it is coloured back-pressured', { timeout: 180_000 }, async () => {
    const preload = join(packageRoot(), 'test', 'bench', 'ui', 'slow-sink-preload.mjs');
    await watch(
      'slow-sink-flink',
      // Unchained, so that the sink is a task of its own; small buffers, so that few records fill them.
      ['run', '-e', 'flink', '-w', 'stateless', '-o', 'flink.chaining=false', '-o', 'flink.bufferSize=4096'].concat([
        '-d',
        '6s',
        '-t',
        '1',
        '-r',
        '5000',
        '--drain-timeout',
        '2s',
      ]),
      async (page) => {
        await page.waitForFunction(() => [...document.querySelectorAll('g.pd-node[data-state="back-pressured"]')].length > 0, null, {
          timeout: 60_000,
        });
        const states = await boxStates(page);
        // The sink (the last task) is the bottleneck and busy; a task upstream of it waits for buffers.
        expect(states.get('subtask-4-0')).toBe('busy');
        const upstream = ['subtask-0-0', 'subtask-1-0', 'subtask-2-0', 'subtask-3-0'].filter((id) => states.get(id) === 'back-pressured');
        expect(upstream.length).toBeGreaterThan(0);
        const row = await page.locator('#vertices tbody tr', { hasText: 'back-pressured' }).first().textContent();
        expect(row).toMatch(/back-pressured/);
      },
      { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${preload}`.trim(), STREAMARENA_TEST_SLOW_SINK_MS: '1' },
    );
  });

  it('standalone flink: a paused TaskManager is shown lost, then recovered in a new process', { timeout: 180_000 }, async () => {
    await watch(
      'standalone-flink-lost-recovered',
      // Paused (SIGSTOP) for 4 s with a 1 s heartbeat timeout: lost for about 3 s, then it exits on waking, is started again and registers.
      [
        'run',
        '-e',
        'flink',
        '-w',
        'wordcount',
        '-p',
        '2',
        '-d',
        '10s',
        '-t',
        '1',
        '-r',
        '5000',
        '--deployment',
        'standalone',
        '-o',
        'flink.checkpointInterval=500',
        '-o',
        'flink.heartbeatInterval=200',
        '-o',
        'flink.heartbeatTimeout=1000',
        '--fault',
        'stall:1:4s@2s',
      ],
      async (page) => {
        const rows = page.locator('#daemons tbody tr');
        await page.waitForFunction(() => [...document.querySelectorAll('#daemons tbody tr.lost')].length > 0, null, { timeout: 60_000 });
        const lost = await page.locator('#daemons tbody tr.lost').first().textContent();
        expect(lost).toMatch(/^taskmanager-2taskmanager\d+lost/);
        await page.waitForFunction(() => [...document.querySelectorAll('#daemons tbody tr.recovered')].length > 0, null, {
          timeout: 60_000,
        });
        const recovered = await page.locator('#daemons tbody tr.recovered').first().textContent();
        expect(recovered).toMatch(/^taskmanager-2taskmanager\d+recovered.*started again after a loss 1× \(pid \d+ → \d+\)/);
        expect(await rows.count()).toBe(3); // the JobManager and two TaskManagers
        expect(await page.locator('#overview-stats').textContent()).toContain('deploymentstandalone');
        // The fault and its recovery steps: in the events list and marked on the charts.
        await page.waitForFunction(() => Number(document.documentElement.getAttribute('data-fault-marks')) >= 3, null, { timeout: 60_000 });
        const events = await page.locator('#events tbody').textContent();
        expect(events).toMatch(/fault injected\s*fault 1: taskmanager-2 \(pid \d+\) paused for 4000 ms: SIGSTOP/);
        expect(events).toMatch(/fault detected\s*fault 1: heartbeat timeout: taskmanager-2/);
        expect(events).toMatch(/fault restarted\s*fault 1: all tasks redeployed from checkpoint \d+ \(attempt 2\)/);
      },
    );
  });

  it('hostile names in the stream are shown as text and never run', { timeout: 60_000 }, async () => {
    const attack = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const dashboard = await Dashboard.start(0, { command: 'run', toolVersion: 'test' });
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(dashboard.url)) problems.push(`request elsewhere: ${r.url()}`);
    });
    try {
      await page.goto(dashboard.url);
      await page.waitForFunction(() => document.documentElement.getAttribute('data-live') === 'live', null, { timeout: 20_000 });
      const spec = {
        engine: attack,
        workload: attack,
        trial: 1,
        parallelism: 1,
        seed: 1,
        options: {},
        drainTimeoutMs: 1,
        load: { rate: 10, warmupMs: 0, durationMs: 1000 },
      };
      dashboard.live.trialStarted(spec, attack);
      const sample = {
        t: 1,
        phase: 'measure' as const,
        inputEventsPerSec: 1,
        outputRecordsPerSec: 1,
        backlog: 0,
        latency: null,
        heapUsedBytes: 1,
        rssBytes: 1,
        cpuPercent: 1,
      };
      const daemons = [
        { name: attack, kind: attack, pid: 1, lastHeartbeat: Date.now(), cpuPercent: 1, memoryBytes: 1, status: 'lost', detail: attack },
      ];
      dashboard.live.progress({ ...sample, elapsedMs: 1000, plannedMs: 1000, live: { pid: 1, engineStats: { daemons, [attack]: 1 } } });
      dashboard.live.event(attack, attack);
      await page.waitForFunction(() => Number(document.documentElement.getAttribute('data-ticks')) >= 1, null, { timeout: 20_000 });
      expect(await page.locator('#daemons tbody tr.lost td').first().textContent()).toBe(attack);
      expect(await page.locator('#overview-stats').textContent()).toContain(attack);
      expect(await page.locator('#events tbody').textContent()).toContain(attack);
      expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('#daemons img, #overview img, #events img, #events script').count()).toBe(0);
      if (shots) await page.screenshot({ path: join(shots, 'hostile-names.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await dashboard.close();
    }
  });
});
