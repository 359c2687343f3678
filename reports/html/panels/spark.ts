/**
 * The Spark Streaming panel: the batch timeline as Spark's Streaming tab shows it, with each batch's
 * scheduling delay (waiting for the previous batches) and processing delay stacked against the batch
 * interval, so that a batch that takes longer than the interval, and the queue it builds, are seen at
 * once; then the keyed state per batch (how mapWithState holds closed windows until its checkpoint batches'
 * full scans, or what updateStateByKey serializes every batch), checkpoint durations and the backpressure
 * rate limit over time.
 *
 * Reads the engine's own `SparkEngineStats` (typed); every part is optional, and the fields are read with the
 * defensive readers of read.ts, because a results file from an older version may lack or differ in them.
 */
import { barChart, lineChart } from '../charts.js';
import { PART_COLORS } from '../colors.js';
import { decimateByMax, decimateMinMax } from '../decimate.js';
import { median } from '../../compare/quantile.js';
import { formatBytes, formatCount, formatMs, formatPercent, formatRate } from '../format.js';
import type { SparkEngineStats } from '../../../engines/spark/index.js';
import type { PanelContext } from './context.js';
import { isNum, maybe, num, objects, statCards, str, type Obj } from './read.js';

/** Most batches drawn; beyond it, the one with the longest total delay of each run is kept. */
const MAX_BATCH_BARS = 300;

export const SPARK_KEYS: readonly (keyof SparkEngineStats)[] = [
  'batchIntervalMs',
  'batches',
  'batchesTotal',
  'shuffleBytes',
  'stateEntries',
  'checkpoints',
  'rateLimit',
  'lateRecordsDropped',
  'stateMode',
  'stateEntriesHeld',
  'stateBytesSerialized',
  'stateFullScans',
  'deltaChainLength',
];

export function sparkPanel(stats: Partial<SparkEngineStats>, ctx: PanelContext): string {
  const out: string[] = [];
  const interval = num(stats.batchIntervalMs);
  const batches = objects(stats.batches) ?? [];
  const total = (b: Obj) => num(b.totalDelayMs) ?? (num(b.schedulingDelayMs) ?? 0) + (num(b.processingDelayMs) ?? 0);
  const processing = batches.map((b) => num(b.processingDelayMs)).filter(isNum);
  const overInterval =
    interval !== undefined && processing.length > 0 ? processing.filter((p) => p > interval).length / processing.length : undefined;
  out.push(
    statCards([
      ['batch interval', maybe(interval, formatMs)],
      ['batches', maybe(num(stats.batchesTotal) ?? (batches.length > 0 ? batches.length : undefined), formatCount)],
      ['median scheduling delay', maybe(median(batches.map((b) => num(b.schedulingDelayMs)).filter(isNum)), formatMs)],
      ['median processing delay', maybe(median(processing), formatMs)],
      ['max total delay', maybe(batches.length > 0 ? Math.max(...batches.map(total)) : undefined, formatMs)],
      [
        'batches slower than the interval',
        maybe(overInterval, (v) => formatPercent(v)),
        'processing delay above the batch interval: the next batches queue up (scheduling delay grows)',
      ],
      ['shuffle', maybe(num(stats.shuffleBytes), formatBytes)],
      ['state entries', maybe(num(stats.stateEntries), formatCount)],
      ['state mode', str(stats.stateMode)],
      [
        'state entries held',
        maybe(num(stats.stateEntriesHeld), formatCount),
        "in memory at the end: mapWithState keeps every delta map's entries (old versions, removals) until a checkpoint compacts the chain",
      ],
      [
        'state serialized',
        maybe(num(stats.stateBytesSerialized) || undefined, formatBytes),
        'updateStateByKey: the whole state, serialized again every batch (summed over batches)',
      ],
      [
        'state full scans',
        maybe(num(stats.stateFullScans), formatCount),
        "batches whose update visited every state entry: mapWithState's checkpoint batches (when windows close), every updateStateByKey batch",
      ],
      ['delta chain', maybe(num(stats.deltaChainLength) || undefined, formatCount), 'mapWithState: delta maps above the last compaction'],
      ['late records dropped', maybe(num(stats.lateRecordsDropped), formatCount)],
    ]),
  );

  const charts: string[] = [];
  if (
    batches.some(
      (b) => num(b.schedulingDelayMs) !== undefined || num(b.processingDelayMs) !== undefined || num(b.totalDelayMs) !== undefined,
    )
  ) {
    charts.push(batchTimeline(batches, interval, stats, ctx));
  }
  if (batches.some((b) => num(b.stateEntries) !== undefined)) charts.push(stateChart(batches, stats, ctx));
  const checkpoints = objects(stats.checkpoints);
  if (checkpoints && checkpoints.some((c) => num(c.durationMs) !== undefined)) {
    const shown = decimateByMax(checkpoints, MAX_BATCH_BARS, (c) => num(c.durationMs) ?? 0);
    const t0 = num(shown[0]!.time);
    const spec = ctx.charts.add(
      barChart({
        title: 'State checkpoints',
        description: `${ctx.label} on ${ctx.workload}: duration of each state checkpoint`,
        labels: shown.map((c, i) =>
          num(c.time) !== undefined && t0 !== undefined ? `${((num(c.time)! - t0) / 1000).toFixed(1)} s` : `#${i + 1}`,
        ),
        series: [
          {
            label: 'duration',
            color: PART_COLORS.duration,
            values: shown.map((c) => num(c.durationMs) ?? null),
            notes: shown.map((c) => (num(c.sizeBytes) !== undefined ? `size ${formatBytes(num(c.sizeBytes)!)}` : '')),
          },
        ],
        value: { title: 'time (ms)', format: 'ms' },
        category: 'checkpoint time (from the first)',
        size: 'short',
      }),
    );
    charts.push(ctx.charts.figure(spec));
  }
  const rateLimit = objects(stats.rateLimit);
  if (rateLimit && rateLimit.some((r) => num(r.time) !== undefined && num(r.ratePerSec) !== undefined)) {
    const t0 = num(rateLimit[0]!.time) ?? 0;
    const points = decimateMinMax(
      rateLimit
        .filter((r) => num(r.time) !== undefined)
        .map((r) => ({ x: (num(r.time)! - t0) / 1000, y: num(r.ratePerSec) ?? null }))
        .sort((a, b) => a.x - b.x),
    );
    const spec = ctx.charts.add(
      lineChart({
        title: 'Backpressure rate limit',
        description: `${ctx.label} on ${ctx.workload}: the ingestion rate the PID rate estimator allowed over time`,
        x: { title: 'time from the first estimate (s)', format: 'seconds', min: 0 },
        y: { title: 'events/s', format: 'rate' },
        series: [{ label: 'rate limit', color: PART_COLORS.limit, points, stepped: true }],
        size: 'short',
      }),
    );
    const last = num(rateLimit[rateLimit.length - 1]!.ratePerSec);
    charts.push(ctx.charts.figure(spec, last !== undefined ? `Last limit: ${formatRate(last)} events/s.` : undefined));
  }
  if (charts.length > 0) out.push(`<div class="grid">${charts.join('')}</div>`);
  return out.join('');
}

function batchTimeline(all: Obj[], interval: number | undefined, stats: Obj, ctx: PanelContext): string {
  const total = (b: Obj) => num(b.totalDelayMs) ?? (num(b.schedulingDelayMs) ?? 0) + (num(b.processingDelayMs) ?? 0);
  const batches = decimateByMax(all, MAX_BATCH_BARS, total);
  const t0 = num(batches[0]!.time);
  const labels = batches.map((b, i) =>
    num(b.time) !== undefined && t0 !== undefined ? `${((num(b.time)! - t0) / 1000).toFixed(1)} s` : `#${i + 1}`,
  );
  const hasParts = batches.some((b) => num(b.schedulingDelayMs) !== undefined || num(b.processingDelayMs) !== undefined);
  const series = hasParts
    ? [
        {
          label: 'scheduling delay',
          color: PART_COLORS.scheduling,
          values: batches.map((b) => num(b.schedulingDelayMs) ?? null),
          notes: batches.map(batchNote),
        },
        { label: 'processing delay', color: PART_COLORS.processing, values: batches.map((b) => num(b.processingDelayMs) ?? null) },
      ]
    : [
        {
          label: 'total delay',
          color: PART_COLORS.processing,
          values: batches.map((b) => num(b.totalDelayMs) ?? null),
          notes: batches.map(batchNote),
        },
      ];
  const withInterval =
    interval !== undefined
      ? [
          ...series,
          {
            label: `batch interval (${formatMs(interval)})`,
            color: PART_COLORS.limit,
            values: batches.map(() => interval),
            line: true,
            dashed: true,
          },
        ]
      : series;
  const hasRecords = batches.some((b) => num(b.records) !== undefined);
  const spec = ctx.charts.add(
    barChart({
      title: 'Batch timeline: scheduling and processing delay',
      description: `${ctx.label} on ${ctx.workload}: per batch, the scheduling delay (waiting for earlier batches) and processing delay, against the batch interval`,
      labels,
      series: hasRecords
        ? [
            ...withInterval,
            {
              label: 'records',
              color: PART_COLORS.records,
              values: batches.map((b) => num(b.records) ?? null),
              line: true,
              axis: 'y2' as const,
            },
          ]
        : withInterval,
      value: { title: 'delay (ms)', format: 'ms' },
      ...(hasRecords ? { value2: { title: 'records per batch', format: 'count' as const } } : {}),
      category: 'batch time (from the first batch)',
      stacked: true,
      size: 'tall',
    }),
  );
  const notes = [
    all.length > batches.length
      ? `${all.length} batches; the slowest of each run of ${Math.ceil(all.length / batches.length)} is drawn.`
      : '',
    num(stats.batchesTotal) !== undefined && num(stats.batchesTotal)! > all.length
      ? `${formatCount(num(stats.batchesTotal)!)} batches ran; the engine kept the last ${formatCount(all.length)}.`
      : '',
    'A bar above the dashed line took longer than the batch interval: the batches behind it wait (their scheduling delay grows).',
  ]
    .filter(Boolean)
    .join(' ');
  return ctx.charts.figure(spec, notes, true);
}

/** Live keyed-state entries after each batch. */
function stateChart(all: Obj[], stats: Obj, ctx: PanelContext): string {
  const t0 = num(all[0]!.time) ?? 0;
  const points = decimateMinMax(
    all.filter((b) => num(b.time) !== undefined).map((b) => ({ x: (num(b.time)! - t0) / 1000, y: num(b.stateEntries) ?? null })),
  );
  const spec = ctx.charts.add(
    lineChart({
      title: 'Keyed state per batch',
      description: `${ctx.label} on ${ctx.workload}: live state entries after each batch (${str(stats.stateMode) ?? 'keyed state'})`,
      x: { title: 'batch time (s from the first)', format: 'seconds', min: 0 },
      y: { title: 'entries', format: 'count' },
      series: [{ label: 'state entries', color: PART_COLORS.records, points, stepped: true }],
      size: 'short',
    }),
  );
  const note =
    str(stats.stateMode) === 'mapWithState'
      ? 'mapWithState removes closed windows only in the full scan of its checkpoint batches: the state grows until each of them.'
      : str(stats.stateMode) === 'updateStateByKey'
        ? 'updateStateByKey closes windows every batch, and reads and writes the whole state to do so.'
        : undefined;
  return ctx.charts.figure(spec, note);
}

function batchNote(b: Obj): string {
  const parts = [
    num(b.records) !== undefined ? `${formatCount(num(b.records)!)} records` : '',
    str(b.stages) !== undefined ? `${str(b.stages)} stages` : '',
    str(b.tasks) !== undefined ? `${str(b.tasks)} tasks` : '',
    num(b.totalDelayMs) !== undefined ? `total delay ${formatMs(num(b.totalDelayMs)!)}` : '',
  ];
  return parts.filter(Boolean).join(', ');
}
