/**
 * The Flink panel: the JobGraph's chains, the time each task spent busy and back-pressured (as Flink's
 * web UI shows `busyTimeMsPerSecond` and `backPressuredTimeMsPerSecond`), how network buffers were
 * filled and why they were flushed, and checkpoint durations with their alignment time and their synchronous
 * (on the task's turn) and asynchronous (serialize and write) parts.
 *
 * Reads the engine's own `FlinkEngineStats` (typed); every part is optional, and the fields are read with the
 * defensive readers of read.ts, because a results file from an older version may lack or differ in them.
 */
import { barChart } from '../charts.js';
import { PART_COLORS } from '../colors.js';
import { decimateByMax } from '../decimate.js';
import { escapeHtml } from '../../page/index.js';
import { median } from '../../compare/quantile.js';
import { formatBytes, formatCount, formatMs, formatPercent } from '../format.js';
import type { FlinkEngineStats } from '../../../engines/flink/index.js';
import type { PanelContext } from './context.js';
import { cell as fmt, htmlTable, isNum, maybe, num, obj, objects, statCards, str, sumOf, type Obj } from './read.js';

/** Most bars in the per-task chart before subtasks are summed per task. */
const MAX_TASK_BARS = 40;
/** Most checkpoints drawn (the longest of each run of consecutive ones is kept beyond that). */
const MAX_CHECKPOINT_BARS = 200;

export const FLINK_KEYS: readonly (keyof FlinkEngineStats)[] = ['chains', 'tasks', 'buffers', 'checkpoints', 'slots', 'lateRecordsDropped'];

export function flinkPanel(stats: Partial<FlinkEngineStats>, ctx: PanelContext): string {
  const out: string[] = [];
  const slots = obj(stats.slots);
  const buffers = obj(stats.buffers);
  const checkpoints = objects(stats.checkpoints);
  const completed = checkpoints?.filter((c) => !/fail|declin|abort|expire/i.test(str(c.status) ?? ''));
  const tm = num(slots?.taskManagers);
  const spt = num(slots?.slotsPerTaskManager);
  out.push(
    statCards([
      ['task managers \u00d7 slots', tm !== undefined && spt !== undefined ? `${tm} \u00d7 ${spt}` : undefined],
      ['slots required', maybe(num(slots?.required), formatCount)],
      ['buffers sent', maybe(num(buffers?.sent), formatCount)],
      [
        'avg buffer fill',
        maybe(num(buffers?.avgFillRatio), (v) => formatPercent(v)),
        'bytes in a sent buffer / buffer size, averaged over sent buffers',
      ],
      [
        'checkpoints',
        checkpoints ? (checkpoints.length === 0 ? 'none' : `${completed!.length} of ${checkpoints.length} completed`) : undefined,
      ],
      ['median checkpoint', maybe(median((checkpoints ?? []).map((c) => num(c.durationMs)).filter(isNum)), formatMs)],
      [
        'median sync / async part',
        partsCard(checkpoints ?? []),
        "longest synchronous part of any task (on the task's turn) / longest asynchronous part (serializing and writing its state files), medians over checkpoints",
      ],
      ['late records dropped', maybe(num(stats.lateRecordsDropped), formatCount)],
    ]),
  );

  const chains = objects(stats.chains);
  if (chains && chains.length > 0) {
    out.push('<h4>Chains (JobGraph tasks)</h4>');
    out.push(
      htmlTable(
        ['task', 'chained operators', 'parallelism'],
        chains.map((c) => [
          escapeHtml(str(c.task) ?? '?'),
          escapeHtml(Array.isArray(c.operators) ? c.operators.map((o) => str(o) ?? '?').join(' \u2192 ') : '-'),
          escapeHtml(str(c.parallelism) ?? '-'),
        ]),
        [false, false, true],
      ),
    );
  }

  const charts: string[] = [];
  const tasks = objects(stats.tasks);
  if (tasks && tasks.some((t) => num(t.busyMs) !== undefined || num(t.backPressuredMs) !== undefined))
    charts.push(taskTimeChart(tasks, ctx));
  if (buffers && ['flushedByTimeout', 'flushedFull', 'flushedByEvent'].some((k) => num(buffers[k]) !== undefined)) {
    const spec = ctx.charts.add(
      barChart({
        title: 'Network buffers: why they were sent',
        description: `${ctx.label} on ${ctx.workload}: number of buffers flushed because they were full, because the buffer timeout fired, or because an event (watermark, barrier) was written`,
        labels: ['full', 'buffer timeout', 'event'],
        series: [
          {
            label: 'buffers',
            color: PART_COLORS.busy,
            values: [num(buffers.flushedFull) ?? 0, num(buffers.flushedByTimeout) ?? 0, num(buffers.flushedByEvent) ?? 0],
          },
        ],
        value: { title: 'buffers', format: 'count' },
        category: 'flush reason',
        horizontal: true,
        size: 'short',
      }),
    );
    const fill = num(buffers.avgFillRatio);
    charts.push(
      ctx.charts.figure(
        spec,
        fill !== undefined
          ? `Average fill of a sent buffer: ${formatPercent(fill)}. Full buffers mean throughput-bound edges; timeouts mean the buffer timeout sets the latency.`
          : undefined,
      ),
    );
  }
  if (checkpoints && checkpoints.some((c) => num(c.durationMs) !== undefined)) charts.push(checkpointChart(checkpoints, ctx));
  if (charts.length > 0) out.push(`<div class="grid">${charts.join('')}</div>`);

  if (tasks && tasks.length > 0) {
    out.push(
      `<details><summary>Per-task records and times (${tasks.length} subtasks)</summary>${htmlTable(
        ['task', 'subtask', 'records in', 'records out', 'busy', 'back-pressured'],
        tasks.map((t) => [
          escapeHtml(str(t.name) ?? '?'),
          escapeHtml(str(t.subtask) ?? '-'),
          fmt(num(t.recordsIn), formatCount),
          fmt(num(t.recordsOut), formatCount),
          fmt(num(t.busyMs), formatMs),
          fmt(num(t.backPressuredMs), formatMs),
        ]),
        [false, true, true, true, true, true],
      )}</details>`,
    );
  }
  return out.join('');
}

function taskTimeChart(tasks: Obj[], ctx: PanelContext): string {
  let rows: { label: string; busy: number; bp: number }[];
  let note: string | undefined;
  if (tasks.length <= MAX_TASK_BARS) {
    rows = tasks.map((t) => ({
      label: `${str(t.name) ?? '?'}${str(t.subtask) !== undefined ? ` #${str(t.subtask)}` : ''}`,
      busy: num(t.busyMs) ?? 0,
      bp: num(t.backPressuredMs) ?? 0,
    }));
  } else {
    const byName = new Map<string, Obj[]>();
    for (const t of tasks) {
      const name = str(t.name) ?? '?';
      byName.set(name, [...(byName.get(name) ?? []), t]);
    }
    rows = [...byName].slice(0, MAX_TASK_BARS).map(([name, list]) => ({
      label: `${name} (${list.length} subtasks)`,
      busy: sumOf(list, 'busyMs') ?? 0,
      bp: sumOf(list, 'backPressuredMs') ?? 0,
    }));
    note = `${tasks.length} subtasks: times are summed per task.`;
  }
  const spec = ctx.charts.add(
    barChart({
      title: 'Time per task: busy and back-pressured',
      description: `${ctx.label} on ${ctx.workload}: milliseconds each task spent busy processing and back-pressured (waiting for output buffers)`,
      labels: rows.map((r) => r.label),
      series: [
        { label: 'busy', color: PART_COLORS.busy, values: rows.map((r) => r.busy) },
        { label: 'back-pressured', color: PART_COLORS.backPressured, values: rows.map((r) => r.bp) },
      ],
      value: { title: 'time (ms)', format: 'ms' },
      category: 'task',
      stacked: true,
      horizontal: true,
      size: rows.length > 8 ? 'tall' : 'normal',
    }),
  );
  return ctx.charts.figure(spec, note ?? 'A task back-pressured for long is held up by a slower task downstream.');
}

/** "sync / async" medians, or undefined for files from before the split was recorded. */
function partsCard(checkpoints: Obj[]): string | undefined {
  const sync = median(checkpoints.map((c) => num(c.syncDurationMs)).filter(isNum));
  const async = median(checkpoints.map((c) => num(c.asyncDurationMs)).filter(isNum));
  if (sync === undefined && async === undefined) return undefined;
  return `${sync === undefined ? '-' : formatMs(sync)} / ${async === undefined ? '-' : formatMs(async)}`;
}

function checkpointChart(all: Obj[], ctx: PanelContext): string {
  const checkpoints = decimateByMax(all, MAX_CHECKPOINT_BARS, (c) => num(c.durationMs) ?? 0);
  const failed = (c: Obj) => /fail|declin|abort|expire/i.test(str(c.status) ?? '');
  const hasParts = checkpoints.some((c) => num(c.syncDurationMs) !== undefined || num(c.asyncDurationMs) !== undefined);
  const parts = hasParts
    ? [
        { label: 'sync part', color: PART_COLORS.syncPart, values: checkpoints.map((c) => num(c.syncDurationMs) ?? null) },
        { label: 'async part', color: PART_COLORS.asyncPart, values: checkpoints.map((c) => num(c.asyncDurationMs) ?? null) },
      ]
    : [];
  const spec = ctx.charts.add(
    barChart({
      title: 'Checkpoints: duration and alignment',
      description: `${ctx.label} on ${ctx.workload}: duration and barrier alignment time of each checkpoint${hasParts ? ', and the longest synchronous and asynchronous part of any task' : ''}`,
      labels: checkpoints.map((c, i) => `#${str(c.id) ?? i + 1}`),
      series: [
        {
          label: 'duration',
          color: checkpoints.map((c) => (failed(c) ? PART_COLORS.failed : PART_COLORS.duration)),
          values: checkpoints.map((c) => num(c.durationMs) ?? null),
          notes: checkpoints.map((c) =>
            [str(c.status) ? `status ${str(c.status)}` : '', num(c.sizeBytes) !== undefined ? `size ${formatBytes(num(c.sizeBytes)!)}` : '']
              .filter(Boolean)
              .join(', '),
          ),
        },
        { label: 'alignment', color: PART_COLORS.alignment, values: checkpoints.map((c) => num(c.alignmentMs) ?? null) },
        ...parts,
      ],
      value: { title: 'time (ms)', format: 'ms' },
      category: 'checkpoint',
    }),
  );
  const sizes = all.map((c) => num(c.sizeBytes)).filter(isNum);
  const note = [
    all.length > checkpoints.length
      ? `${all.length} checkpoints; the longest of each run of ${Math.ceil(all.length / checkpoints.length)} is drawn.`
      : '',
    sizes.length > 0 ? `Median size ${formatBytes(median(sizes)!)}.` : '',
    hasParts ? "A checkpoint completes when the last task's asynchronous part has written its files and acknowledged." : '',
    all.some(failed) ? 'Red: failed checkpoints.' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return ctx.charts.figure(spec, note || undefined);
}
