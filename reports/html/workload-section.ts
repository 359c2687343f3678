/**
 * One workload's section: latency percentile plots (HdrHistogram style) over every trial of each
 * engine, throughput, p99 latency, log backlog and heap over time for each engine's representative
 * trial, then each engine's panel.
 */
import type { TimeseriesSample } from '../../reports/schema.js';
import type { RunResult } from '../schema.js';
import { lineChart, type ChartRegistry, type LineSeries } from './charts.js';
import type { SeriesColors } from './colors.js';
import { phaseBands, representativeRun, sampleSeries, type RunGroup } from './data.js';
import { escapeHtml } from '../page/index.js';
import { enginePanel } from './panels/index.js';
import { percentileCurve } from './percentile-curve.js';

export interface WorkloadSectionOptions {
  workload: string;
  groups: readonly RunGroup[];
  charts: ChartRegistry;
  colors: SeriesColors;
  /** Baseline groups of the same workload: their percentile curves are drawn dashed. */
  baseline?: readonly RunGroup[];
}

export function workloadSection(o: WorkloadSectionOptions): string {
  const groups = o.groups.filter((g) => g.runs.length > 0);
  if (groups.length === 0) return '<p class="muted">No trial of this workload completed.</p>';
  const figures: string[] = [];
  for (const kind of ['eventTime', 'processingTime'] as const) figures.push(percentileFigure(o, groups, kind));

  const reps = groups.map((g) => ({ g, run: representativeRun(g)! }));
  const bands = reps.length === 1 ? phaseBands(reps[0]!.run) : commonBands(reps.map((r) => r.run));
  const timeChart = (
    title: string,
    description: string,
    yTitle: string,
    format: 'rate' | 'ms' | 'count' | 'bytes',
    pick: (s: TimeseriesSample) => number | null | undefined,
    log = false,
    note?: string,
  ) => {
    const series: LineSeries[] = reps.map(({ g, run }) => ({
      label: g.label,
      color: o.colors.of(g.label, g.engine),
      points: sampleSeries(run, pick),
    }));
    const spec = o.charts.add(
      lineChart({
        title,
        description: `${description} on ${o.workload}`,
        x: { title: 'time since the driver started (s)', format: 'seconds', min: 0 },
        y: { title: yTitle, format, log },
        series,
        bands,
      }),
    );
    figures.push(o.charts.figure(spec, note));
  };
  timeChart(
    'Input throughput over time',
    'events read from the log per second by each engine',
    'events/s',
    'rate',
    (s) => s.inputEventsPerSec,
  );
  timeChart(
    'Event-time latency p99 over time',
    'p99 event-time latency of the sink records of each second',
    'latency (ms)',
    'ms',
    (s) => (s.latency ? Math.max(s.latency.p99, 0.001) : null),
    true,
    'Gaps: seconds in which no sink record was written (windows fire only at their end).',
  );
  timeChart(
    'Log backlog over time',
    'events appended to the log but not yet read',
    'events',
    'count',
    (s) => s.backlog,
    false,
    'A backlog that keeps growing means the engine does not keep up with the offered load.',
  );
  timeChart('Heap used over time', 'V8 heap used by the trial process', 'heap', 'bytes', (s) => s.heapUsedBytes);

  const trialNote =
    reps.length > 0 && reps.some(({ g }) => g.runs.length > 1)
      ? `Time series show each engine's median trial by input throughput (${reps.map(({ g, run }) => `${g.label}: trial ${run.trial} of ${g.runs.length}`).join(', ')}). Shaded: warm-up and drain.`
      : 'Shaded: warm-up and drain.';
  const panels = reps.map(({ g, run }) => panel(g, run, o));
  return `<div class="grid">${figures.join('')}</div><p class="muted small">${escapeHtml(trialNote)}</p>${panels.join('')}`;
}

function percentileFigure(o: WorkloadSectionOptions, groups: readonly RunGroup[], kind: 'eventTime' | 'processingTime'): string {
  const series: LineSeries[] = [];
  for (const g of groups) {
    const points = percentileCurve(g.runs.map((r) => r.latency[kind].histogram));
    if (points.length > 0) series.push({ label: g.label, color: o.colors.of(g.label, g.engine), points });
    const base = o.baseline?.find((b) => b.engine === g.engine && b.runs.length > 0);
    if (base) {
      const basePoints = percentileCurve(base.runs.map((r) => r.latency[kind].histogram));
      if (basePoints.length > 0)
        series.push({ label: `${g.label} (baseline)`, color: o.colors.of(g.label, g.engine), points: basePoints, dashed: true });
    }
  }
  const name = kind === 'eventTime' ? 'Event-time' : 'Processing-time';
  // The axis ends at a decade, so its last label (99.9 %, 99.99 %...) is drawn.
  const maxX = Math.max(10, ...series.flatMap((s) => s.points.map((p) => p.x)));
  const spec = o.charts.add(
    lineChart({
      title: `${name} latency by percentile`,
      description: `${name.toLowerCase()} latency at each percentile for each engine on ${o.workload}, all trials merged`,
      x: { title: 'percentile', format: 'percentile', log: true, min: 1, max: 10 ** Math.ceil(Math.log10(maxX) - 1e-9) },
      y: { title: 'latency (ms)', format: 'ms', log: true },
      series,
      size: 'tall',
    }),
  );
  const note =
    kind === 'eventTime'
      ? 'All trials merged. Event-time latency counts from the event\u2019s intended send time, so it includes any wait in the log.' +
        (o.baseline ? ' Dashed: baseline.' : '')
      : 'Processing-time latency counts from when the engine read the event from the log.';
  return o.charts.figure(spec, note);
}

/** Warm-up is the same for every trial of a run; drain differs, so only warm-up is shaded when several engines share a chart. */
function commonBands(runs: readonly RunResult[]) {
  const warmups = runs.map((r) => phaseBands(r).find((b) => b.label === 'warm-up'));
  const first = warmups[0];
  return first && warmups.every((w) => w && w.to === first.to) ? [first] : [];
}

function panel(g: RunGroup, run: RunResult, o: WorkloadSectionOptions): string {
  const { title, html } = enginePanel(g.engine, run.engineStats, { charts: o.charts, label: g.label, workload: o.workload });
  const color = o.colors.of(g.label, g.engine);
  const which = g.runs.length > 1 ? `trial ${run.trial} of ${g.runs.length} (the median by input throughput)` : `trial ${run.trial}`;
  return (
    `<section class="panel"><h4><span class="swatch" style="background:${color}"></span>${escapeHtml(g.label)} \u2014 ${escapeHtml(title)}</h4>` +
    `<p class="muted small">${escapeHtml(which)}</p>${html}</section>`
  );
}
