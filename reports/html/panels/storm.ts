/**
 * The Storm panel, after Storm UI's topology page: complete latency (spout emit to fully acked),
 * acked/failed/replayed tuples, each bolt's capacity (the share of time its executors were executing;
 * near 1 means the bolt is the bottleneck) and execute latency, what the windowed bolts held and did,
 * receive-queue high-water marks, and the assignment of executors to workers.
 *
 * Reads `engineStats` of the shape `{ flavour, windowing, completeLatencyMs: {count, mean, p50, p99} |
 * null, acked, failed, replayed, bolts: {component, executors, executed, executeLatencyMs, capacity}[],
 * windows: {component, tasks, tuplesHeldPeak, windowsEvaluated, activations, expired, late,
 * resultsEmitted, anchorPairs}[], queues: {executor, capacity, highWaterMark}[], assignment: {workers,
 * supervisors, executors, ackers} }`; every part is optional.
 */
import { barChart } from '../charts.js';
import { PART_COLORS } from '../colors.js';
import { escapeHtml } from '../escape.js';
import { formatCount, formatMs } from '../format.js';
import type { PanelContext } from './context.js';
import { cell, htmlTable, maybe, meter, num, obj, objects, statCards, str, type Obj } from './read.js';

/** Queues listed before the rest go into a collapsed list. */
const QUEUES_SHOWN = 12;
const MAX_BOLT_BARS = 60;

export const STORM_KEYS = ['flavour', 'windowing', 'completeLatencyMs', 'acked', 'failed', 'replayed', 'bolts', 'windows', 'queues', 'assignment'];

export function stormPanel(stats: Obj, ctx: PanelContext): string {
  const out: string[] = [];
  const complete = obj(stats.completeLatencyMs);
  const assignment = obj(stats.assignment);
  const acked = num(stats.acked);
  const failed = num(stats.failed);
  out.push(statCards([
    ['flavour', str(stats.flavour)],
    ['windowing', str(stats.windowing), "storm: Storm's windowed bolts (tuples held, results anchored to them); incremental: the non-Storm optimisation"],
    ['complete latency p50', maybe(num(complete?.p50), formatMs), 'spout emit to fully acked, as Storm UI reports it'],
    ['complete latency p99', maybe(num(complete?.p99), formatMs)],
    ['complete latency mean', maybe(num(complete?.mean), formatMs)],
    ['acked', maybe(acked, formatCount)],
    ['failed', maybe(failed, formatCount), 'tuple trees that failed or timed out (storm.messageTimeout)'],
    ['replayed', maybe(num(stats.replayed), formatCount), 'spout tuples emitted again from the log after a failure'],
    ['workers', maybe(num(assignment?.workers), formatCount)],
    ['supervisors', maybe(num(assignment?.supervisors), formatCount)],
    ['executors', maybe(num(assignment?.executors), formatCount)],
    ['ackers', maybe(num(assignment?.ackers), formatCount)],
  ]));
  if (stats.completeLatencyMs === null) {
    out.push('<p class="muted small">No complete latency: acking is off (storm.ackers=0), so tuple trees are not tracked.</p>');
  }

  const bolts = objects(stats.bolts);
  if (bolts && bolts.length > 0) {
    const shown = bolts.slice(0, MAX_BOLT_BARS);
    const capacities = shown.map((b) => num(b.capacity) ?? null);
    if (capacities.some((c) => c !== null)) out.push(capacityChart(shown, capacities, ctx));
    out.push(htmlTable(['bolt', 'executors', 'executed', 'execute latency', 'capacity'], bolts.map((b) => [
      escapeHtml(str(b.component) ?? '?'),
      cell(num(b.executors), formatCount),
      cell(num(b.executed), formatCount),
      cell(num(b.executeLatencyMs), formatMs),
      meter(num(b.capacity)),
    ]), [false, true, true, true, true]));
  }

  const windows = objects(stats.windows);
  if (windows && windows.length > 0) {
    out.push(`<h4>Windowed bolts</h4>${htmlTable(
      ['bolt', 'tasks', 'tuples held (peak)', 'windows evaluated', 'with tuples', 'tuples expired', 'late', 'results', 'anchored pairs'],
      windows.map((w) => [
        escapeHtml(str(w.component) ?? '?'),
        cell(num(w.tasks), formatCount),
        cell(num(w.tuplesHeldPeak), formatCount),
        cell(num(w.windowsEvaluated), formatCount),
        cell(num(w.activations), formatCount),
        cell(num(w.expired), formatCount),
        cell(num(w.late), formatCount),
        cell(num(w.resultsEmitted), formatCount),
        cell(num(w.anchorPairs), formatCount),
      ]),
      [false, true, true, true, true, true, true, true, true],
    )}<p class="muted small">Every tuple of a window stays held until it expires (one sliding interval after its last window), and each result is anchored to every tuple of its window: one edge id and XOR per anchored pair, and one ack per spout tuple of the window when the result is acked.</p>`);
  }

  const queues = objects(stats.queues);
  if (queues && queues.length > 0) {
    const fill = (q: Obj) => {
      const c = num(q.capacity);
      const h = num(q.highWaterMark);
      return c !== undefined && h !== undefined && c > 0 ? h / c : undefined;
    };
    const sorted = [...queues].sort((a, b) => (fill(b) ?? -1) - (fill(a) ?? -1));
    const rows = sorted.map((q) => [escapeHtml(str(q.executor) ?? '?'), cell(num(q.capacity), formatCount), cell(num(q.highWaterMark), formatCount), meter(fill(q))]);
    const header = ['executor', 'queue capacity', 'high-water mark', 'highest fill'];
    const numeric = [false, true, true, true];
    out.push(`<h4>Receive queues (fullest first)</h4>${htmlTable(header, rows.slice(0, QUEUES_SHOWN), numeric)}`);
    if (rows.length > QUEUES_SHOWN) out.push(`<details><summary>${rows.length - QUEUES_SHOWN} more queues</summary>${htmlTable(header, rows.slice(QUEUES_SHOWN), numeric)}</details>`);
  }
  return out.join('');
}

function capacityChart(shown: Obj[], capacities: (number | null)[], ctx: PanelContext): string {
  const spec = ctx.charts.add(barChart({
    title: 'Bolt capacity',
    description: `${ctx.label} on ${ctx.workload}: capacity of each bolt, the share of time its executors spent executing tuples`,
    labels: shown.map((b) => str(b.component) ?? '?'),
    series: [{
      label: 'capacity',
      color: capacities.map((c) => (c === null ? PART_COLORS.idle : c >= 1 ? PART_COLORS.failed : c >= 0.8 ? PART_COLORS.warn : PART_COLORS.busy)),
      values: capacities,
      notes: shown.map((b) => [
        num(b.executors) !== undefined ? `${formatCount(num(b.executors)!)} executors` : '',
        num(b.executeLatencyMs) !== undefined ? `execute latency ${formatMs(num(b.executeLatencyMs)!)}` : '',
      ].filter(Boolean).join(', ')),
    }],
    value: { title: 'capacity (share of time executing)', format: 'percent', min: 0, max: Math.max(1, ...capacities.filter((c): c is number => c !== null)) },
    category: 'bolt',
    horizontal: true,
    size: shown.length > 8 ? 'tall' : 'normal',
  }));
  return `<div class="grid">${ctx.charts.figure(spec, 'Near 100 % a bolt is the bottleneck: add executors (parallelism) or it will back-pressure the spouts.')}</div>`;
}
