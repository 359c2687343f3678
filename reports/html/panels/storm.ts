/**
 * The Storm panel, after Storm UI's topology page: complete latency (spout emit to fully acked),
 * acked/failed/replayed tuples, each bolt's capacity (the share of time its executors were executing;
 * near 1 means the bolt is the bottleneck) and execute latency, what the windowed bolts held and did,
 * receive-queue high-water marks, and the assignment of executors to workers.
 *
 * Reads the engine's own `StormEngineStats`; every top-level part is optional, for files written before a
 * part existed (a panel that cannot read its statistics is replaced by a note, see index.ts).
 */
import { barChart } from '../charts.js';
import { PART_COLORS } from '../colors.js';
import { escapeHtml } from '../../page/index.js';
import { formatCount, formatMs } from '../format.js';
import type { BoltStats, StormEngineStats } from '../../../engines/storm/index.js';
import type { PanelContext } from './context.js';
import { cell, htmlTable, maybe, meter, statCards } from './read.js';

/** Queues listed before the rest go into a collapsed list. */
const QUEUES_SHOWN = 12;
const MAX_BOLT_BARS = 60;

export const STORM_KEYS: readonly (keyof StormEngineStats)[] = [
  'flavour',
  'windowing',
  'completeLatencyMs',
  'acked',
  'failed',
  'replayed',
  'bolts',
  'windows',
  'queues',
  'assignment',
];

export function stormPanel(stats: Partial<StormEngineStats>, ctx: PanelContext): string {
  const out: string[] = [];
  const complete = stats.completeLatencyMs ?? undefined;
  const assignment = stats.assignment;
  out.push(
    statCards([
      ['flavour', stats.flavour],
      [
        'windowing',
        stats.windowing,
        "storm: Storm's windowed bolts (tuples held, results anchored to them); incremental: the non-Storm optimisation",
      ],
      ['complete latency p50', maybe(complete?.p50, formatMs), 'spout emit to fully acked, as Storm UI reports it'],
      ['complete latency p99', maybe(complete?.p99, formatMs)],
      ['complete latency mean', maybe(complete?.mean, formatMs)],
      ['acked', maybe(stats.acked, formatCount)],
      ['failed', maybe(stats.failed, formatCount), 'tuple trees that failed or timed out (storm.messageTimeout)'],
      ['replayed', maybe(stats.replayed, formatCount), 'spout tuples emitted again from the log after a failure'],
      ['workers', maybe(assignment?.workers, formatCount)],
      ['supervisors', maybe(assignment?.supervisors, formatCount)],
      ['executors', maybe(assignment?.executors, formatCount)],
      ['ackers', maybe(assignment?.ackers, formatCount)],
    ]),
  );
  if (stats.completeLatencyMs === null) {
    out.push('<p class="muted small">No complete latency: acking is off (storm.ackers=0), so tuple trees are not tracked.</p>');
  }

  const bolts = stats.bolts ?? [];
  if (bolts.length > 0) {
    const shown = bolts.slice(0, MAX_BOLT_BARS);
    out.push(capacityChart(shown, ctx));
    out.push(
      htmlTable(
        ['bolt', 'executors', 'executed', 'execute latency', 'capacity'],
        bolts.map((b) => [
          escapeHtml(b.component),
          cell(b.executors, formatCount),
          cell(b.executed, formatCount),
          cell(b.executeLatencyMs, formatMs),
          meter(b.capacity),
        ]),
        [false, true, true, true, true],
      ),
    );
  }

  const windows = stats.windows ?? [];
  if (windows.length > 0) {
    out.push(
      `<h4>Windowed bolts</h4>${htmlTable(
        ['bolt', 'tasks', 'tuples held (peak)', 'windows evaluated', 'with tuples', 'tuples expired', 'late', 'results', 'anchored pairs'],
        windows.map((w) => [
          escapeHtml(w.component),
          cell(w.tasks, formatCount),
          cell(w.tuplesHeldPeak, formatCount),
          cell(w.windowsEvaluated, formatCount),
          cell(w.activations, formatCount),
          cell(w.expired, formatCount),
          cell(w.late, formatCount),
          cell(w.resultsEmitted, formatCount),
          cell(w.anchorPairs, formatCount),
        ]),
        [false, true, true, true, true, true, true, true, true],
      )}<p class="muted small">Every tuple of a window stays held until it expires (one sliding interval after its last window), and each result is anchored to every tuple of its window: one edge id and XOR per anchored pair, and one ack per spout tuple of the window when the result is acked.</p>`,
    );
  }

  const queues = stats.queues ?? [];
  if (queues.length > 0) {
    const fill = (q: { capacity: number; highWaterMark: number }) => (q.capacity > 0 ? q.highWaterMark / q.capacity : undefined);
    const sorted = [...queues].sort((a, b) => (fill(b) ?? -1) - (fill(a) ?? -1));
    const rows = sorted.map((q) => [
      escapeHtml(q.executor),
      cell(q.capacity, formatCount),
      cell(q.highWaterMark, formatCount),
      meter(fill(q)),
    ]);
    const header = ['executor', 'queue capacity', 'high-water mark', 'highest fill'];
    const numeric = [false, true, true, true];
    out.push(`<h4>Receive queues (fullest first)</h4>${htmlTable(header, rows.slice(0, QUEUES_SHOWN), numeric)}`);
    if (rows.length > QUEUES_SHOWN)
      out.push(
        `<details><summary>${rows.length - QUEUES_SHOWN} more queues</summary>${htmlTable(header, rows.slice(QUEUES_SHOWN), numeric)}</details>`,
      );
  }
  return out.join('');
}

function capacityChart(shown: readonly BoltStats[], ctx: PanelContext): string {
  const capacities = shown.map((b) => b.capacity);
  const spec = ctx.charts.add(
    barChart({
      title: 'Bolt capacity',
      description: `${ctx.label} on ${ctx.workload}: capacity of each bolt, the share of time its executors spent executing tuples`,
      labels: shown.map((b) => b.component),
      series: [
        {
          label: 'capacity',
          color: capacities.map((c) => (c >= 1 ? PART_COLORS.failed : c >= 0.8 ? PART_COLORS.warn : PART_COLORS.busy)),
          values: capacities,
          notes: shown.map((b) => `${formatCount(b.executors)} executors, execute latency ${formatMs(b.executeLatencyMs)}`),
        },
      ],
      value: { title: 'capacity (share of time executing)', format: 'percent', min: 0, max: Math.max(1, ...capacities) },
      category: 'bolt',
      horizontal: true,
      size: shown.length > 8 ? 'tall' : 'normal',
    }),
  );
  return `<div class="grid">${ctx.charts.figure(spec, 'Near 100 % a bolt is the bottleneck: add executors (parallelism) or it will back-pressure the spouts.')}</div>`;
}
