/**
 * Load sweeps (`sweeps[]` of a results file, written by `streamarena sweep`): latency against offered
 * load (the "knee" curve), achieved against offered throughput, and each engine's sustainable
 * throughput beside the reference engine's, with every probed point's verdict and its reason.
 * Sweeps over a varied option (`--vary`) get one series per value and a scaling chart.
 *
 * Read defensively: `{engine, workload, vary?: {key, value}, points: {offeredRate,
 * achievedInputThroughput, latency: {p50, p90, p99, p999, max}, processingLatency?, backlogSlope,
 * latencyGrowthMs?, verdict, reason}[], sustainableEventsPerSec, search?, capacityEventsPerSec?}`;
 * entries without an engine, a workload or points are skipped and counted.
 */
import { barChart, lineChart, type ChartRegistry, type LineSeries, type NotedPoint } from './charts.js';
import type { SeriesColors } from './colors.js';
import type { ReportSource } from './data.js';
import { escapeHtml } from '../page/index.js';
import { formatMs, formatRate } from './format.js';
import { LATENCY_FLOOR_MS } from './percentile-curve.js';
import { htmlTable, isObj, num, str, cell, type Obj } from './panels/read.js';

export interface SweepPointView {
  offeredRate: number;
  achieved?: number;
  p50?: number;
  p90?: number;
  p99?: number;
  p999?: number;
  max?: number;
  processingP99?: number;
  backlogSlope?: number;
  latencyGrowthMs?: number;
  verdict: string;
  reason: string;
}

export interface SweepView {
  engine: string;
  workload: string;
  source: number;
  vary?: { key: string; value: number };
  /** Series name: the engine, plus `key=value` for a varied option. */
  label: string;
  /** Sorted by offered rate. */
  points: SweepPointView[];
  sustainable: number | null | undefined;
  search?: string;
  capacity?: number;
}

/** The sweeps of every source that can be drawn, and how many entries could not be read. */
export function readSweeps(sources: readonly ReportSource[]): { sweeps: SweepView[]; skipped: number } {
  const sweeps: SweepView[] = [];
  let skipped = 0;
  sources.forEach((source, s) => {
    const list = (source.results as { sweeps?: unknown }).sweeps;
    if (!Array.isArray(list)) return;
    for (const raw of list) {
      const view = readSweep(raw, s);
      if (view) sweeps.push(view);
      else skipped++;
    }
  });
  return { sweeps, skipped };
}

function readSweep(raw: unknown, source: number): SweepView | undefined {
  if (!isObj(raw) || typeof raw.engine !== 'string' || typeof raw.workload !== 'string' || !Array.isArray(raw.points)) return undefined;
  const points: SweepPointView[] = [];
  for (const p of raw.points) {
    if (!isObj(p) || num(p.offeredRate) === undefined) continue;
    const latency = isObj(p.latency) ? (isObj(p.latency.eventTime) ? p.latency.eventTime : p.latency) : {};
    const processing = isObj(p.processingLatency)
      ? p.processingLatency
      : isObj(p.latency) && isObj(p.latency.processingTime)
        ? p.latency.processingTime
        : {};
    points.push({
      offeredRate: num(p.offeredRate)!,
      achieved: num(p.achievedInputThroughput),
      p50: num(latency.p50),
      p90: num(latency.p90),
      p99: num(latency.p99),
      p999: num(latency.p999),
      max: num(latency.max),
      processingP99: num((processing as Obj).p99),
      backlogSlope: num(p.backlogSlope),
      latencyGrowthMs: num(p.latencyGrowthMs),
      verdict: str(p.verdict) ?? 'measured',
      reason: str(p.reason) ?? '',
    });
  }
  points.sort((a, b) => a.offeredRate - b.offeredRate);
  const vary =
    isObj(raw.vary) && typeof raw.vary.key === 'string' && num(raw.vary.value) !== undefined
      ? { key: raw.vary.key, value: num(raw.vary.value)! }
      : undefined;
  const sustainable = raw.sustainableEventsPerSec === null ? null : num(raw.sustainableEventsPerSec);
  return {
    engine: raw.engine,
    workload: raw.workload,
    source,
    vary,
    label: vary ? `${raw.engine} ${vary.key}=${vary.value}` : raw.engine,
    points,
    sustainable,
    search: str(raw.search),
    capacity: num(raw.capacityEventsPerSec),
  };
}

/** The class and marker of a verdict. */
export function verdictStyle(verdict: string): { cls: 'ok' | 'bad' | 'warn' | 'muted'; marker: string } {
  const v = verdict.toLowerCase();
  if (/unsustain|reject/.test(v)) return { cls: 'bad', marker: 'crossRot' };
  if (/fail|error/.test(v)) return { cls: 'warn', marker: 'triangle' };
  if (/sustain|pass|ok/.test(v)) return { cls: 'ok', marker: 'circle' };
  return { cls: 'muted', marker: 'rectRounded' };
}

/** The sweeps section's body (charts and tables), grouped by workload and varied option. */
export function sweepSection(sweeps: readonly SweepView[], charts: ChartRegistry, colors: SeriesColors): string {
  const out: string[] = [];
  const keyOf = (s: SweepView) => JSON.stringify([s.workload, s.vary?.key ?? null]);
  const families = new Map<string, SweepView[]>();
  for (const s of sweeps) families.set(keyOf(s), [...(families.get(keyOf(s)) ?? []), s]);
  for (const family of families.values()) {
    const { workload, vary } = family[0]!;
    out.push(`<h3>${escapeHtml(workload)}${vary ? ` \u2014 varying ${escapeHtml(vary.key)}` : ''}</h3>`);
    const figures: string[] = [];
    figures.push(latencyChart(family, charts, colors));
    figures.push(achievedChart(family, charts, colors));
    const scaling = vary ? scalingChart(family, charts, colors) : sustainableChart(family, charts, colors);
    if (scaling) figures.push(scaling);
    out.push(`<div class="grid">${figures.join('')}</div>`);
    out.push(sustainableTable(family));
    out.push(
      `<details><summary>Every probed point with its verdict (${family.reduce((n, s) => n + s.points.length, 0)} points)</summary>${pointsTable(family)}</details>`,
    );
  }
  return out.join('');
}

function seriesColor(s: SweepView, colors: SeriesColors): string {
  return colors.of(s.label, s.engine);
}

function noted(p: SweepPointView, y: number | undefined): NotedPoint {
  return { x: p.offeredRate, y: y === undefined ? null : y, note: `${p.verdict}${p.reason ? `: ${p.reason}` : ''}` };
}

function logWorthy(values: number[]): boolean {
  const v = values.filter((x) => x > 0);
  return v.length > 1 && Math.max(...v) / Math.min(...v) >= 20;
}

function latencyChart(family: SweepView[], charts: ChartRegistry, colors: SeriesColors): string {
  const series: LineSeries[] = [];
  for (const s of family) {
    const color = seriesColor(s, colors);
    const styles = s.points.map((p) => verdictStyle(p.verdict).marker);
    series.push({
      label: `${s.label} p99`,
      color,
      markers: true,
      pointStyles: styles,
      points: s.points.map((p) => noted(p, floor(p.p99))),
    });
    series.push({
      label: `${s.label} p50`,
      color,
      dashed: true,
      markers: true,
      pointStyles: styles,
      points: s.points.map((p) => noted(p, floor(p.p50))),
    });
  }
  const rates = family.flatMap((s) => s.points.map((p) => p.offeredRate));
  const spec = charts.add(
    lineChart({
      title: 'Event-time latency against offered load',
      description: `latency p50 and p99 of each engine at each offered rate on ${family[0]!.workload}`,
      x: { title: 'offered load (events/s)', format: 'rate', log: logWorthy(rates) },
      y: { title: 'latency (ms)', format: 'ms', log: true },
      series,
      size: 'tall',
    }),
  );
  return charts.figure(
    spec,
    'Solid: p99, dashed: p50. Markers: \u25cf sustained, \u2715 not sustained, \u25b2 trial failed, \u25a2 measured without a verdict.',
  );
}

function achievedChart(family: SweepView[], charts: ChartRegistry, colors: SeriesColors): string {
  const rates = family.flatMap((s) => s.points.map((p) => p.offeredRate));
  const lo = Math.min(...rates);
  const hi = Math.max(...rates);
  const series: LineSeries[] = family.map((s) => ({
    label: s.label,
    color: seriesColor(s, colors),
    markers: true,
    pointStyles: s.points.map((p) => verdictStyle(p.verdict).marker),
    points: s.points.map((p) => noted(p, p.achieved)),
  }));
  series.unshift({
    label: 'achieved = offered',
    color: '#b8c0c8',
    dashed: true,
    points:
      lo === hi
        ? [{ x: lo, y: lo }]
        : [
            { x: lo, y: lo },
            { x: hi, y: hi },
          ],
  });
  const log = logWorthy(rates);
  const spec = charts.add(
    lineChart({
      title: 'Achieved against offered load',
      description: `input throughput each engine achieved at each offered rate on ${family[0]!.workload}`,
      x: { title: 'offered load (events/s)', format: 'rate', log },
      y: { title: 'achieved input (events/s)', format: 'rate', log },
      series,
      size: 'tall',
    }),
  );
  return charts.figure(spec, 'Below the dashed line an engine no longer keeps up: the backlog grows in the log.');
}

function sustainableChart(family: SweepView[], charts: ChartRegistry, colors: SeriesColors): string | undefined {
  const judged = family.filter((s) => s.sustainable !== undefined);
  if (judged.length === 0) return undefined;
  const reference = judged.find((s) => s.engine === 'reference' && s.sustainable);
  const spec = charts.add(
    barChart({
      title: 'Sustainable throughput',
      description: `highest offered rate each engine sustained on ${family[0]!.workload}`,
      labels: judged.map((s) => s.label),
      series: [
        {
          label: 'sustainable',
          color: judged.map((s) => seriesColor(s, colors)),
          values: judged.map((s) => s.sustainable ?? 0),
          notes: judged.map((s) =>
            [
              s.sustainable === null ? 'no offered rate was sustained' : '',
              reference && s.sustainable && s !== reference
                ? `${(s.sustainable / reference.sustainable!).toFixed(2)} of the reference engine's`
                : '',
              s.search ?? '',
            ]
              .filter(Boolean)
              .join('; '),
          ),
        },
      ],
      value: { title: 'events/s', format: 'rate', min: 0 },
      category: 'engine',
      horizontal: true,
      size: judged.length > 6 ? 'tall' : 'normal',
    }),
  );
  return charts.figure(spec, reference ? 'The reference engine (one tight loop) is the physical limit on this machine.' : undefined);
}

function scalingChart(family: SweepView[], charts: ChartRegistry, colors: SeriesColors): string | undefined {
  const byEngine = new Map<string, SweepView[]>();
  for (const s of family) if (s.sustainable !== undefined) byEngine.set(s.engine, [...(byEngine.get(s.engine) ?? []), s]);
  if (byEngine.size === 0) return undefined;
  const key = family[0]!.vary!.key;
  const values = family.map((s) => s.vary!.value);
  const spec = charts.add(
    lineChart({
      title: `Sustainable throughput against ${key}`,
      description: `sustainable throughput of each engine for each value of ${key}`,
      x: { title: key, format: 'plain', log: logWorthy(values) },
      y: { title: 'sustainable (events/s)', format: 'rate', min: 0 },
      series: [...byEngine].map(([engine, list]) => ({
        label: engine,
        color: colors.of(engine),
        markers: true,
        points: list.map((s) => ({ x: s.vary!.value, y: s.sustainable ?? null })).sort((a, b) => a.x - b.x),
      })),
    }),
  );
  return charts.figure(spec);
}

function sustainableTable(family: SweepView[]): string {
  const judged = family.filter((s) => s.sustainable !== undefined || s.capacity !== undefined);
  if (judged.length === 0) return '';
  const reference = judged.find((s) => s.engine === 'reference' && s.sustainable);
  return htmlTable(
    ['engine', 'sustainable (events/s)', 'of reference', 'unthrottled capacity', 'search'],
    judged.map((s) => [
      escapeHtml(s.label),
      s.sustainable === null ? '<span class="bad">none sustained</span>' : cell(s.sustainable, formatRate),
      reference && s.sustainable ? escapeHtml((s.sustainable / reference.sustainable!).toFixed(2)) : '-',
      cell(s.capacity, formatRate),
      escapeHtml(s.search ?? ''),
    ]),
    [false, true, true, true, false],
  );
}

function pointsTable(family: SweepView[]): string {
  const rows: string[][] = [];
  for (const s of family) {
    for (const p of s.points) {
      const style = verdictStyle(p.verdict);
      rows.push([
        escapeHtml(s.label),
        cell(p.offeredRate, formatRate),
        cell(p.achieved, formatRate),
        cell(p.p50, formatMs),
        cell(p.p99, formatMs),
        cell(p.backlogSlope, (v) => `${v.toFixed(1)} ev/s`),
        `<span class="${style.cls}">${escapeHtml(p.verdict)}</span>`,
        escapeHtml(p.reason),
      ]);
    }
  }
  return htmlTable(['series', 'offered', 'achieved', 'p50', 'p99', 'backlog slope', 'verdict', 'reason'], rows, [
    false,
    true,
    true,
    true,
    true,
    true,
    false,
    false,
  ]);
}

function floor(v: number | undefined): number | undefined {
  return v === undefined ? undefined : Math.max(LATENCY_FLOOR_MS, v);
}
