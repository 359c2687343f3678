/**
 * Chart.js configurations, built here as plain JSON and embedded in the page; the page's script
 * (client-script.ts) turns the few non-JSON parts into functions: `ticks.format` and
 * `plugins.tooltip.format` name a number format, `plugins.bands` shades stretches of a time axis.
 * Every chart uses pre-sorted `{x, y}` data with `parsing: false` and no animation, as Chart.js
 * advises for large data.
 */
import { escapeHtml } from '../page/index.js';
import type { Band } from './data.js';
import type { Point } from './decimate.js';

/** Number formats the page knows (see client-script.ts). */
export type Format = 'ms' | 'rate' | 'bytes' | 'count' | 'percent' | 'seconds' | 'percentile' | 'plain';

/** A point with an optional note shown under its tooltip (a sweep verdict's reason, a checkpoint's size). */
export interface NotedPoint extends Point {
  note?: string;
}

export interface LineSeries {
  label: string;
  color: string;
  points: readonly NotedPoint[];
  /** Dashed line (a baseline, a second percentile). */
  dashed?: boolean;
  /** Draw the points as markers (sparse data such as sweeps). */
  markers?: boolean;
  /** Marker style per point (Chart.js point styles), e.g. to tell verdicts apart. */
  pointStyles?: string[];
  /** Which y axis: `y` (left, default) or `y2` (right). */
  axis?: 'y' | 'y2';
  /** Draw as a step line (a rate limit that holds until the next change). */
  stepped?: boolean;
}

export interface Axis {
  title: string;
  format: Format;
  log?: boolean;
  min?: number;
  max?: number;
}

/** One chart: where it goes and its Chart.js configuration. */
export interface ChartSpec {
  id: string;
  title: string;
  /** What the chart shows, for screen readers and the test's messages. */
  description: string;
  /** `short` 220 px, `normal` 280 px, `tall` 360 px. */
  size: 'short' | 'normal' | 'tall';
  config: Record<string, unknown>;
}

/** Hands out chart ids and keeps every chart's configuration for the embedded data. */
export class ChartRegistry {
  readonly specs: ChartSpec[] = [];

  add(spec: Omit<ChartSpec, 'id'>): ChartSpec {
    const full = { ...spec, id: `chart-${this.specs.length}` };
    this.specs.push(full);
    return full;
  }

  /**
   * The chart's figure: caption and canvas; the page script draws into the canvas. `wide` makes it
   * span every column of its grid.
   */
  figure(spec: ChartSpec, note?: string, wide = false): string {
    return (
      `<figure class="chart${wide ? ' span-all' : ''}"><figcaption>${escapeHtml(spec.title)}</figcaption>` +
      `<div class="chart-box chart-${spec.size}"><canvas id="${spec.id}" data-chart role="img" aria-label="${escapeHtml(spec.description)}"></canvas></div>` +
      (note ? `<p class="chart-note">${escapeHtml(note)}</p>` : '') +
      '</figure>'
    );
  }
}

function scale(axis: Axis, position?: 'left' | 'right'): Record<string, unknown> {
  return {
    type: axis.log ? 'logarithmic' : 'linear',
    ...(position ? { position } : {}),
    ...(axis.min !== undefined ? { min: axis.min } : {}),
    ...(axis.max !== undefined ? { max: axis.max } : {}),
    ...(!axis.log && axis.min === undefined ? { beginAtZero: true } : {}),
    title: { display: true, text: axis.title },
    // Log axes label only 1-2-5 ticks (the others are blank), so none may be skipped for room.
    ticks: { format: axis.format, maxRotation: 0, autoSkipPadding: 12, ...(axis.log ? { autoSkip: false } : {}) },
    ...(position === 'right' ? { grid: { drawOnChartArea: false } } : {}),
  };
}

function lineDataset(s: LineSeries): Record<string, unknown> {
  return {
    label: s.label,
    data: s.points,
    borderColor: s.color,
    backgroundColor: s.color,
    borderWidth: 1.5,
    pointRadius: s.markers ? 4 : 0,
    pointHoverRadius: 5,
    pointHitRadius: 6,
    ...(s.pointStyles ? { pointStyle: s.pointStyles } : {}),
    ...(s.dashed ? { borderDash: [6, 4] } : {}),
    ...(s.axis === 'y2' ? { yAxisID: 'y2' } : {}),
    ...(s.stepped ? { stepped: 'before' } : {}),
    spanGaps: false,
    tension: 0,
  };
}

export interface LineChartOptions {
  title: string;
  description: string;
  x: Axis;
  y: Axis;
  y2?: Axis;
  series: readonly LineSeries[];
  bands?: readonly Band[];
  size?: ChartSpec['size'];
}

/** A line chart over a numeric x axis (time, offered load, 1/(1−q)). */
export function lineChart(o: LineChartOptions): Omit<ChartSpec, 'id'> {
  const scales: Record<string, unknown> = { x: scale(o.x), y: scale(o.y, o.y2 ? 'left' : undefined) };
  if (o.y2) scales.y2 = scale(o.y2, 'right');
  return {
    title: o.title,
    description: o.description,
    size: o.size ?? 'normal',
    config: {
      type: 'line',
      data: { datasets: o.series.map(lineDataset) },
      options: {
        parsing: false,
        normalized: true,
        animation: false,
        interaction: { mode: 'nearest', intersect: false },
        scales,
        plugins: {
          legend: { display: o.series.length > 1, labels: { boxWidth: 14, boxHeight: 2 } },
          tooltip: { format: { value: o.y.format, at: o.x.format, valueRight: o.y2?.format } },
          ...(o.bands && o.bands.length > 0 ? { bands: { bands: o.bands } } : {}),
        },
      },
    },
  };
}

export interface BarSeries {
  label: string;
  /** One color, or one per bar (e.g. to flag failed checkpoints). */
  color: string | string[];
  values: readonly (number | null)[];
  /** Notes per bar, shown under the tooltip. */
  notes?: readonly string[];
  /** Draw this series as a line over the bars (a batch interval, a limit), on the given axis. */
  line?: boolean;
  axis?: 'y' | 'y2';
  dashed?: boolean;
}

export interface BarChartOptions {
  title: string;
  description: string;
  labels: readonly string[];
  series: readonly BarSeries[];
  value: Axis;
  /** A second value axis on the right (for `axis: 'y2'` series). */
  value2?: Axis;
  /** The category axis title. */
  category: string;
  stacked?: boolean;
  /** Bars left to right (one row per category). */
  horizontal?: boolean;
  size?: ChartSpec['size'];
}

/** A bar chart over categories (tasks, bolts, batches, checkpoints). */
export function barChart(o: BarChartOptions): Omit<ChartSpec, 'id'> {
  const valueAxis = o.horizontal ? 'x' : 'y';
  const categoryAxis = o.horizontal ? 'y' : 'x';
  const scales: Record<string, unknown> = {
    [categoryAxis]: {
      type: 'category',
      stacked: o.stacked ?? false,
      title: { display: true, text: o.category },
      ticks: { autoSkip: true, maxRotation: 0, autoSkipPadding: 8 },
    },
    [valueAxis]: { ...scale(o.value, o.horizontal ? undefined : o.value2 ? 'left' : undefined), stacked: o.stacked ?? false },
  };
  if (o.value2) scales.y2 = { ...scale(o.value2, 'right'), stacked: false };
  const datasets = o.series.map((s) => ({
    label: s.label,
    type: s.line ? 'line' : 'bar',
    data: s.values,
    backgroundColor: s.color,
    borderColor: s.color,
    ...(s.line
      ? { borderWidth: 1.5, pointRadius: 0, ...(s.dashed ? { borderDash: [6, 4] } : {}), stack: `line-${s.label}` }
      : { borderWidth: 0 }),
    ...(s.axis === 'y2' ? { yAxisID: 'y2' } : {}),
    ...(s.notes ? { notes: s.notes } : {}),
    ...(s.line ? { order: -1 } : {}),
  }));
  return {
    title: o.title,
    description: o.description,
    size: o.size ?? 'normal',
    config: {
      type: 'bar',
      data: { labels: o.labels, datasets },
      options: {
        animation: false,
        indexAxis: o.horizontal ? 'y' : 'x',
        interaction: { mode: 'index', intersect: false },
        scales,
        plugins: {
          legend: { display: o.series.length > 1, labels: { boxWidth: 14 } },
          tooltip: { format: { value: o.value.format, valueRight: o.value2?.format } },
        },
      },
    },
  };
}
