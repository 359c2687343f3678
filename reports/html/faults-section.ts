/**
 * The report's faults section: the engine x fault x guarantee table (a broken promise marked), and per
 * trial with faults a time series of input rate and latency with each fault marked (a thin band at the
 * moment it was injected) and its recovery shaded (from the fault to the recovery, or to the end when it
 * never recovered).
 */
import type { RunResult } from '../schema.js';
import { faultRows, FAULT_TABLE_HEADER } from '../format/index.js';
import { lineChart, type ChartRegistry, type LineSeries } from './charts.js';
import type { SeriesColors } from './colors.js';
import { sampleSeries, type Band, type RunGroup } from './data.js';
import { escapeHtml } from '../page/index.js';

/** Width of a fault's marker band (s). */
const MARK_S = 0.05;

export function hasFaults(groups: readonly RunGroup[]): boolean {
  return groups.some((g) => g.runs.some((r) => (r.faults ?? []).length > 0));
}

function faultBands(run: RunResult): Band[] {
  const end = run.timeseries.length > 0 ? run.timeseries[run.timeseries.length - 1]!.t : 0;
  const bands: Band[] = [];
  for (const f of run.faults ?? []) {
    const at = f.atMs / 1000;
    bands.push({ from: at, to: at + MARK_S, label: f.spec });
    const until = f.recoveredMs === null ? end : f.recoveredMs / 1000;
    if (until > at + MARK_S) bands.push({ from: at + MARK_S, to: until, label: f.recoveredMs === null ? 'not recovered' : 'recovery' });
  }
  return bands;
}

export function faultsSection(groups: readonly RunGroup[], charts: ChartRegistry, colors: SeriesColors): string {
  const runs = groups.flatMap((g) => g.runs);
  const rows = faultRows(runs);
  const head = `<thead><tr>${FAULT_TABLE_HEADER.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = rows
    .map((r) => `<tr${r.kept ? '' : ' class="bad"'}>${r.cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('');
  const table =
    `<div class="table-wrap"><table class="summary">${head}<tbody>${body}</tbody></table></div>` +
    '<p class="muted small">Times from the start of the load. Lost, duplicated and changed records compare the trial\'s output with the reference engine\'s on the same events; observed is what those counts show, promised what the configuration promises.</p>';
  const figures: string[] = [];
  for (const g of groups) {
    for (const run of g.runs) {
      if ((run.faults ?? []).length === 0) continue;
      const color = colors.of(g.label, g.engine);
      const series: LineSeries[] = [
        { label: 'input (ev/s)', color, points: sampleSeries(run, (s) => s.inputEventsPerSec) },
        { label: 'p99 latency (ms)', color, dashed: true, axis: 'y2', points: sampleSeries(run, (s) => s.latency?.p99) },
      ];
      const spec = charts.add(
        lineChart({
          title: `${g.label} x ${g.workload}, trial ${run.trial}: ${(run.faults ?? []).map((f) => f.spec).join(', ')}`,
          description: `input rate and p99 latency over time with the faults marked and the recovery shaded`,
          x: { title: 'time since the driver started (s)', format: 'seconds', min: 0 },
          y: { title: 'events read per second', format: 'rate' },
          y2: { title: 'p99 latency', format: 'ms' },
          series,
          bands: faultBands(run),
        }),
      );
      figures.push(charts.figure(spec));
    }
  }
  return `${table}<div class="grid">${figures.join('')}</div>`;
}
