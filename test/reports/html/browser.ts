/**
 * Opens reports in Debian's headless Chromium through playwright-core (never a downloaded browser),
 * collecting everything the page logs, throws and requests, and reading back what each chart drew.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

// The functions given to page.evaluate run in Chromium. The project compiles without the DOM library,
// so the little of it they use is declared here, for this module only.
interface PageCanvas {
  id: string;
  width: number;
  height: number;
  getAttribute(name: string): string | null;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
declare const document: {
  documentElement: { hasAttribute(name: string): boolean; getAttribute(name: string): string | null };
  querySelectorAll(selector: string): Iterable<PageCanvas>;
};
declare const window: unknown;

/** CI is set (to anything but `false` or `0`). */
export function inCI(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** Browser tests skip only when Chromium is absent outside CI; in CI they run (and fail without it). */
export const SKIP_BROWSER = !existsSync(CHROMIUM) && !inCI();
export const SKIP_REASON = `${CHROMIUM} is absent and CI is not set (install it: apt-get install -y chromium)`;

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with the flags this machine needs (no sandbox as root, no background network) and a fresh profile. */
export async function launch(options: { colorScheme?: 'light' | 'dark'; width?: number } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'streamarena-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: options.width ?? 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface OpenedReport {
  page: Page;
  /** Console errors and warnings, uncaught exceptions, failed or non-local requests. */
  problems: string[];
  charts: number;
  chartErrors: number;
}

/** Writes the report to a file, opens it, and waits until its script has created every chart. */
export async function openReport(browser: Browser, html: string, dir: string, name: string): Promise<OpenedReport> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`network request: ${r.url()}`);
  });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-charts'), null, { timeout: 30_000 });
  const [charts, chartErrors] = await page.evaluate(() => [
    Number(document.documentElement.getAttribute('data-charts')),
    Number(document.documentElement.getAttribute('data-chart-errors')),
  ]);
  return { page, problems, charts, chartErrors };
}

export interface DrawnChart {
  id: string;
  label: string;
  /** A Chart.js instance is attached to the canvas. */
  hasChart: boolean;
  /** Data points that are not gaps, over all datasets. */
  points: number;
  /** Canvas pixels that are not fully transparent. */
  paintedPixels: number;
  width: number;
  height: number;
}

/** What every chart canvas of the page holds. */
export async function drawnCharts(page: Page): Promise<DrawnChart[]> {
  return page.evaluate(() => {
    type ChartLike = { data: { datasets: { data: unknown[] }[] } };
    const getChart = (window as { Chart: { getChart(c: PageCanvas): ChartLike | undefined } }).Chart.getChart;
    return [...document.querySelectorAll('canvas[data-chart]')].map((canvas) => {
      const chart = getChart(canvas);
      let points = 0;
      for (const ds of chart?.data.datasets ?? []) {
        for (const d of ds.data) {
          const y = typeof d === 'number' ? d : d && typeof d === 'object' ? (d as { y: unknown }).y : null;
          if (typeof y === 'number' && Number.isFinite(y)) points++;
        }
      }
      const ctx = canvas.getContext('2d')!;
      const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
      return {
        id: canvas.id,
        label: canvas.getAttribute('aria-label') ?? '',
        hasChart: chart !== undefined,
        points,
        paintedPixels: painted,
        width: canvas.width,
        height: canvas.height,
      };
    });
  });
}

/** Where to save reports and screenshots for a person to look at (STREAMARENA_REPORT_SCREENSHOTS), if anywhere. */
export function screenshotDir(): string | undefined {
  return process.env.STREAMARENA_REPORT_SCREENSHOTS || undefined;
}
