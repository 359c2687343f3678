/**
 * The HTML report in a real browser (Debian's headless Chromium, driven by playwright-core): every
 * chart drew onto its canvas, the page logged no error and asked for nothing on the network, hostile
 * strings in a results file are shown as text and never run, and the page holds up on a narrow
 * screen in dark mode. Skips (saying why) only when /usr/bin/chromium is absent and CI is not set.
 *
 * With STREAMARENA_REPORT_SCREENSHOTS=<dir>, the reports and full-page screenshots are kept there.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputePlan } from '../../../bench/cli/commands/report.js';
import { renderReport, type PlanProvider } from '../../../reports/html/index.js';
import type { ResultsFile } from '../../../reports/schema.js';
import { drawnCharts, launch, openReport, screenshotDir, SKIP_BROWSER, SKIP_REASON, type Browser, type OpenedReport } from './browser.js';
import { runCli } from '../../bench/cli/run-cli.js';
import { ATTACKS, hostilePlan, hostileResults, sweepResults, syntheticResults } from './fixtures.js';

if (SKIP_BROWSER) console.warn(`report browser tests skipped: ${SKIP_REASON}`);

/** Real plans for the engines registered here, and a drawn stand-in for the others, so every plan path runs. */
const plans: PlanProvider = (engine, workload, options) =>
  recomputePlan(engine, workload, options) ?? {
    plan: {
      engine,
      text: `${engine} (not registered here): a stand-in plan`,
      nodes: [
        { id: 'w1', label: 'worker 1', kind: 'worker' },
        { id: 's', label: 'events', kind: 'spout', parent: 'w1' },
        { id: 'b', label: 'split', kind: 'bolt', parent: 'w1' },
        { id: 'w2', label: 'worker 2', kind: 'worker' },
        { id: 'c', label: 'count', kind: 'windowed bolt', parent: 'w2' },
        { id: 'k', label: '__acker', kind: 'acker', parent: 'w2' },
      ],
      edges: [
        { from: 's', to: 'b', label: 'local-or-shuffle' },
        { from: 'b', to: 'c', label: 'fields(word)' },
        { from: 'c', to: 'k', label: 'ack' },
      ],
    },
  };

describe.skipIf(SKIP_BROWSER)(
  SKIP_BROWSER ? `HTML report in Chromium (skipped: ${SKIP_REASON})` : 'HTML report in headless Chromium',
  () => {
    let browser: Browser;
    let dir: string;
    const keep = screenshotDir();

    beforeAll(async () => {
      dir = keep ?? mkdtempSync(join(tmpdir(), 'streamarena-report-'));
      mkdirSync(dir, { recursive: true });
      browser = await launch();
    });
    afterAll(async () => {
      await browser?.close();
      if (!keep && dir) rmSync(dir, { recursive: true, force: true });
    });

    async function open(html: string, name: string): Promise<OpenedReport> {
      const opened = await openReport(browser, html, dir, name);
      if (keep) await opened.page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
      return opened;
    }

    /** Every chart has a Chart.js instance with data and painted pixels; nothing went wrong. */
    async function expectAllChartsDrawn(opened: OpenedReport, expectedCharts: number): Promise<void> {
      expect(opened.problems).toEqual([]);
      expect(opened.chartErrors).toBe(0);
      expect(opened.charts).toBe(expectedCharts);
      const charts = await drawnCharts(opened.page);
      expect(charts).toHaveLength(expectedCharts);
      for (const c of charts) {
        expect(c.hasChart, c.label).toBe(true);
        expect(c.points, c.label).toBeGreaterThan(0);
        expect(c.width * c.height, c.label).toBeGreaterThan(0);
        // Axes alone paint a few hundred pixels; a drawn series paints far more.
        expect(c.paintedPixels, c.label).toBeGreaterThan(1500);
      }
    }

    const chartCount = (html: string) => (html.match(/<canvas /g) ?? []).length;

    it('draws every chart of a report of all engines, with their panels and plans', async () => {
      const html = renderReport({ sources: [{ label: 'results-all.json', results: syntheticResults() }], plans, toolVersion: '0.1.0' });
      const opened = await open(html, 'all-engines');
      // 2 workloads x 6 charts, plus flink 3, spark 3, storm 1 per workload
      expect(chartCount(html)).toBe(2 * (6 + 3 + 3 + 1));
      await expectAllChartsDrawn(opened, chartCount(html));
      const text = await opened.page.locator('body').innerText();
      for (const heading of [
        'What ran and where',
        'Summary',
        'Workload: wordcount',
        'Workload: stateless',
        'Physical plans',
        'Time per task: busy and back-pressured',
        'Batch timeline: scheduling and processing delay',
        'Bolt capacity',
        'Checkpoints: duration and alignment',
      ]) {
        expect(text).toContain(heading);
      }
      expect(await opened.page.locator('svg.plan-diagram').count()).toBeGreaterThanOrEqual(2 * 4);
      await opened.page.close();
    });

    it('draws the report that streamarena run wrote for every registered engine', async () => {
      const out = join(dir, 'real-run');
      const r = await runCli([
        'run',
        '-e',
        'all',
        '-w',
        'wordcount',
        '-r',
        '2000',
        '-d',
        '1s',
        '--warmup',
        '300ms',
        '-t',
        '1',
        '-p',
        '2',
        '--drain-timeout',
        '10s',
        '--out',
        out,
      ]);
      // A trial of an engine under construction may fail: the report must still render it.
      expect(r.stderr).toContain('report written to');
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      const opened = await open(html, 'real-run');
      await expectAllChartsDrawn(opened, chartCount(html));
      const results = JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.startsWith('results-'))!), 'utf8')) as ResultsFile;
      const text = await opened.page.locator('body').innerText();
      for (const run of results.runs) expect(text).toContain(run.engine);
      await opened.page.close();
    });

    it('draws latency against offered load and sustainable throughput from a sweep', async () => {
      const html = renderReport({
        sources: [
          { label: 'sweep.json', results: sweepResults() },
          { label: 'run.json', results: syntheticResults({ engines: ['reference', 'flink'], workloads: ['stateless'], trials: 1 }) },
        ],
        plans,
      });
      const opened = await open(html, 'sweep');
      await expectAllChartsDrawn(opened, chartCount(html));
      const text = await opened.page.locator('body').innerText();
      expect(text).toContain('Event-time latency against offered load');
      expect(text).toContain('Sustainable throughput');
      expect(await opened.page.locator('#sweeps table').first().innerText()).toMatch(/reference[\s\S]*400\.0k/);
      await opened.page.close();
    });

    it('shows every hostile string from a results file as text and runs none of it', async () => {
      const html = renderReport({
        sources: [{ label: `hostile${ATTACKS[0]}.json`, results: hostileResults() }],
        plans: (engine) => ({ plan: hostilePlan(engine) }),
      });
      const opened = await open(html, 'hostile');
      await expectAllChartsDrawn(opened, chartCount(html));
      const page = opened.page;
      expect(await page.evaluate(() => (globalThis as { pwned?: unknown }).pwned)).toBeUndefined();
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('script').count()).toBe(3); // data, Chart.js, the page script: nothing injected
      const text = await page.locator('body').innerText();
      for (const attack of ATTACKS) expect(text).toContain(attack);
      // In the plan diagram too: SVG text nodes hold the markup as text.
      const svgText = await page.locator('svg.plan-diagram').first().textContent();
      expect(svgText).toContain(ATTACKS[0]);
      // Tooltips of the charts come from the embedded JSON: the labels survive as data.
      const labels = await page.evaluate(() => {
        const charts = (
          globalThis as unknown as { Chart: { instances: Record<string, { data: { datasets: { label: string }[]; labels?: string[] } }> } }
        ).Chart.instances;
        return Object.values(charts).flatMap((c) => [...c.data.datasets.map((d) => d.label), ...(c.data.labels ?? [])]);
      });
      expect(labels.some((l) => l.includes(ATTACKS[1]!))).toBe(true);
      await page.close();
    });

    it('marks each figure against a baseline', async () => {
      const baseline: ResultsFile = syntheticResults({
        engines: ['reference', 'flink'],
        workloads: ['wordcount'],
        trials: 5,
        seed: 100,
        latencyFactor: 2,
      });
      const current = syntheticResults({ engines: ['reference', 'flink'], workloads: ['wordcount'], trials: 5, seed: 200 });
      const html = renderReport({
        sources: [{ label: 'current.json', results: current }],
        baseline: { label: 'baseline.json', results: baseline },
      });
      const opened = await open(html, 'baseline');
      await expectAllChartsDrawn(opened, chartCount(html));
      // Latency halved against the baseline: compare calls it an improvement.
      const p99 = opened.page.locator('table.summary tbody tr').first().locator('td').nth(7);
      expect(await p99.locator('.chg').getAttribute('class')).toContain('better');
      expect(await opened.page.locator('table.summary .chg').count()).toBeGreaterThan(10);
      await opened.page.close();
    });

    it('fits a narrow screen in dark mode', async () => {
      const narrow = await launch({ colorScheme: 'dark', width: 390 });
      try {
        const html = renderReport({ sources: [{ label: 'results-all.json', results: syntheticResults() }], plans });
        const opened = await openReport(narrow, html, dir, 'narrow-dark');
        if (keep) await opened.page.screenshot({ path: join(dir, 'narrow-dark.png'), fullPage: true });
        await expectAllChartsDrawn(opened, chartCount(html));
        const layout = await opened.page.evaluate(() => {
          const g = globalThis as unknown as {
            innerWidth: number;
            document: { documentElement: { scrollWidth: number }; body: unknown };
            getComputedStyle(e: unknown): { backgroundColor: string };
          };
          return {
            scrollWidth: g.document.documentElement.scrollWidth,
            innerWidth: g.innerWidth,
            background: g.getComputedStyle(g.document.body).backgroundColor,
          };
        });
        // Wide tables and diagrams scroll inside their own boxes; the page itself does not.
        expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth + 1);
        const [r, g, b] = layout.background.match(/\d+/g)!.map(Number);
        expect(r! + g! + b!).toBeLessThan(150);
      } finally {
        await narrow.close();
      }
    });
  },
);
