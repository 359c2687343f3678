/**
 * "What ran and where": per results file the date, tool version, command and machine; then the
 * engines, workloads, trials and load of the runs; then every effective option, with the runs that
 * used each value when they differ.
 */
import type { Environment } from '../schema.js';
import type { SeriesColors } from './colors.js';
import type { ReportSource, RunGroup, SkippedRun } from './data.js';
import { escapeHtml } from '../page/index.js';
import { formatBytes, formatOptionValue, formatRate } from './format.js';
import { isObj } from './panels/read.js';
import type { SweepView } from './sweeps.js';

/** The "what ran and where" section's body. */
export function overviewSection(
  sources: readonly ReportSource[],
  groups: readonly RunGroup[],
  skipped: readonly SkippedRun[],
  colors: SeriesColors,
  sweeps: readonly SweepView[] = [],
): string {
  const out: string[] = [];
  sources.forEach((source, s) => {
    const r = source.results;
    if (sources.length > 1) out.push(`<h3>${escapeHtml(source.label)}</h3>`);
    if (r.interrupted) out.push('<p class="banner">This run was interrupted: only the trials that completed are in it.</p>');
    const env: Partial<Environment> = isObj(r.environment) ? r.environment : {};
    const rows: [string, string][] = [
      ['date', formatDate(r.createdAt)],
      ['tool', `${String(r.tool?.name ?? 'streamarena')} ${String(r.tool?.version ?? '?')}`],
      ['command', String(r.command ?? '')],
      [
        'machine',
        [
          env.hostname,
          env.cpuModel && `${env.cpuModel} \u00d7 ${env.cores ?? '?'} cores`,
          typeof env.memoryBytes === 'number' ? `${formatBytes(env.memoryBytes)} memory` : undefined,
        ]
          .filter(Boolean)
          .join(', '),
      ],
      ['system', [env.os, env.node && `Node ${env.node}`].filter(Boolean).join(', ')],
      ...(env.gitCommit ? [['commit', String(env.gitCommit)] as [string, string]] : []),
    ];
    const mine = groups.filter((g) => g.source === s);
    out.push(
      `<dl class="kv">${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd${k === 'command' || k === 'commit' ? ' class="mono"' : ''}>${escapeHtml(v)}</dd>`).join('')}` +
        `${mine.length > 0 ? runsOf(mine, colors) : ''}${sweepsOf(sweeps.filter((x) => x.source === s))}</dl>`,
    );
  });
  if (skipped.length > 0) {
    out.push(
      `<p class="banner">${skipped.length} run entr${skipped.length === 1 ? 'y' : 'ies'} could not be read and ${skipped.length === 1 ? 'is' : 'are'} left out: ${escapeHtml(
        skipped
          .slice(0, 5)
          .map((x) => `${sources[x.source]!.label} #${x.index + 1}: ${x.reason}`)
          .join('; '),
      )}${skipped.length > 5 ? '\u2026' : ''}</p>`,
    );
  }
  if (groups.length > 0) out.push(optionsTable(groups));
  return out.join('');
}

/** Rows (`<dt>`/`<dd>`) describing the runs of one source. */
function runsOf(groups: readonly RunGroup[], colors: SeriesColors): string {
  const runs = groups.flatMap((g) => g.runs);
  const engines = [...new Set(groups.map((g) => g.label))];
  const workloads = [...new Set(groups.map((g) => g.workload))];
  const distinct = (f: (x: (typeof runs)[number]) => unknown) => [...new Set(runs.map((x) => formatOptionValue(f(x))))];
  const trials = [...new Set(groups.map((g) => g.runs.length + g.failed.length))];
  const failed = groups.reduce((n, g) => n + g.failed.length, 0);
  const rates = distinct((x) => x.input.rate).map((v) =>
    v === 'max' ? 'max (unthrottled)' : Number.isFinite(Number(v)) ? `${formatRate(Number(v))} events/s` : v,
  );
  const ms = (key: string) =>
    distinct((x) => x.options[key]).map((v) => (v === 'off' ? 'none' : Number.isFinite(Number(v)) ? `${Number(v) / 1000} s` : v));
  const inputs = distinct((x) =>
    x.input.source === 'file'
      ? `file ${x.input.file ?? ''}`
      : x.input.source === 'socket'
        ? `socket ${x.input.address ?? ''}`
        : 'generator',
  );
  const rows: [string, string][] = [
    [
      'engines',
      engines
        .map(
          (e) =>
            `<span class="swatch" style="background:${colors.of(e, groups.find((g) => g.label === e)!.engine)}"></span>${escapeHtml(e)}`,
        )
        .join(', '),
    ],
    ['workloads', escapeHtml(workloads.join(', '))],
    ['trials per engine and workload', escapeHtml(trials.join(', ') + (failed > 0 ? ` (${failed} failed)` : ''))],
    ['offered load', escapeHtml(rates.join(', '))],
    ['warm-up', escapeHtml(ms('run.warmup').join(', '))],
    ['measured duration', escapeHtml(ms('run.duration').join(', '))],
    ['event limit', escapeHtml(distinct((x) => x.options['run.events']).join(', '))],
    ['parallelism', escapeHtml(distinct((x) => x.options['run.parallelism']).join(', '))],
    ['seed', escapeHtml(distinct((x) => x.options['run.seed']).join(', '))],
    ['input', escapeHtml(inputs.join(', '))],
  ];
  return rows
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`)
    .join('');
}

/** Every option key with its value(s); when runs differ, which runs used which value. */
function optionsTable(groups: readonly RunGroup[]): string {
  const values = new Map<string, Map<string, Set<string>>>(); // key -> value -> group labels
  for (const g of groups) {
    for (const run of g.runs) {
      for (const [k, v] of Object.entries(run.options)) {
        const byValue = values.get(k) ?? new Map<string, Set<string>>();
        values.set(k, byValue);
        const value = formatOptionValue(v);
        byValue.set(value, (byValue.get(value) ?? new Set()).add(`${g.label} \u00d7 ${g.workload}`));
      }
    }
  }
  const keys = [...values.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const rows = keys.map((k) => {
    const byValue = values.get(k)!;
    const cell =
      byValue.size === 1
        ? escapeHtml([...byValue.keys()][0]!)
        : [...byValue]
            .map(([v, who]) => `${escapeHtml(v)} <span class="muted small">(${escapeHtml([...who].join(', '))})</span>`)
            .join('<br>');
    return `<tr><td class="mono">${escapeHtml(k)}</td><td class="wrap">${cell}</td></tr>`;
  });
  return `<details><summary>Every effective option (${keys.length})</summary><div class="table-wrap"><table><thead><tr><th>option</th><th>value</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></details>`;
}

/** Run options first, then the rest alphabetically. */
function rank(key: string): number {
  return key.startsWith('run.') ? 0 : 1;
}

/** `2026-11-21 01:04:11 UTC` from an ISO time; the text itself when it is not one. */
export function formatDate(iso: unknown): string {
  const d = typeof iso === 'string' ? new Date(iso) : undefined;
  if (!d || Number.isNaN(d.getTime())) return String(iso ?? 'unknown');
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** Rows describing the sweeps of one source: which engines and workloads, which loads, which varied option. */
function sweepsOf(sweeps: readonly SweepView[]): string {
  if (sweeps.length === 0) return '';
  const rates = sweeps.flatMap((x) => x.points.map((p) => p.offeredRate));
  const varied = [...new Set(sweeps.filter((x) => x.vary).map((x) => `${x.vary!.key} = ${x.vary!.value}`))];
  const rows: [string, string][] = [
    ['sweeps', `${[...new Set(sweeps.map((x) => x.engine))].join(', ')} on ${[...new Set(sweeps.map((x) => x.workload))].join(', ')}`],
    [
      'offered loads',
      rates.length > 0
        ? `${rates.length} points from ${formatRate(Math.min(...rates))} to ${formatRate(Math.max(...rates))} events/s`
        : 'none',
    ],
    ...(varied.length > 0 ? [['varied', varied.join(', ')] as [string, string]] : []),
  ];
  return rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
}
