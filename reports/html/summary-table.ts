/**
 * The summary table: one row per engine and workload, medians over trials of every figure, input
 * throughput also as a ratio to the reference engine of the same run, the output digest's agreement
 * across engines, and with a baseline the change of each figure marked significant or not.
 */
import type { BaselineComparison, FigureChange } from './baseline-change.js';
import type { SeriesColors } from './colors.js';
import type { RunGroup } from './data.js';
import type { DigestAgreement } from './digests.js';
import { escapeHtml } from '../page/index.js';
import { median } from '../compare/quantile.js';
import { FIGURES, figureValues, type Figure } from './figures.js';
import { formatChange } from './format.js';

export interface SummaryOptions {
  groups: readonly RunGroup[];
  digests: ReadonlyMap<string, DigestAgreement>;
  colors: SeriesColors;
  /** The comparison with a baseline, by engine and workload. */
  baseline?: BaselineComparison;
}

/** Badge class and symbol: ▲ improvement, ▼ regression, ≈ significant but within the threshold, ~ not significant, ? too few trials. */
function badge(c: FigureChange): { cls: string; symbol: string } {
  switch (c.verdict) {
    case 'improvement':
      return { cls: 'better', symbol: '\u25b2' };
    case 'regression':
      return { cls: 'worse', symbol: '\u25bc' };
    case 'insufficient':
      return { cls: 'too-few-trials', symbol: '?' };
    default:
      return { cls: 'unchanged', symbol: c.significant ? '\u2248' : '~' };
  }
}

export function summaryTable(o: SummaryOptions): string {
  const groupHeaders: { label: string; span: number }[] = [{ label: '', span: 3 }];
  for (const f of FIGURES) {
    const last = groupHeaders[groupHeaders.length - 1]!;
    if (last.label === f.group) last.span++;
    else groupHeaders.push({ label: f.group, span: 1 });
  }
  groupHeaders.push({ label: '', span: 1 });
  const head =
    `<thead><tr class="groups">${groupHeaders.map((g) => `<th colspan="${g.span}">${escapeHtml(g.label)}</th>`).join('')}</tr>` +
    `<tr><th>engine</th><th>workload</th><th class="num">trials</th>${FIGURES.map((f) => `<th class="num">${escapeHtml(f.label)}</th>`).join('')}<th>output digest</th></tr></thead>`;

  const ordered = [...o.groups].sort((a, b) => workloadOrder(o.groups, a) - workloadOrder(o.groups, b));
  const rows = ordered.map((g) => {
    const color = o.colors.of(g.label, g.engine);
    const trials =
      g.failed.length > 0
        ? `<span class="bad" title="${escapeHtml(g.failed.map((f) => `trial ${f.trial}: ${f.error}`).join('\n'))}">${g.runs.length} of ${g.runs.length + g.failed.length}</span>`
        : String(g.runs.length);
    const undrained = g.runs.filter((r) => r.drained === false).length;
    const reference =
      g.engine !== 'reference'
        ? o.groups.find((x) => x.engine === 'reference' && x.workload === g.workload && x.source === g.source)
        : undefined;
    const cells = FIGURES.map((f) => figureCell(g, f, reference, o.baseline));
    const digest = o.digests.get(g.id);
    const digestCell = digest
      ? `<td class="mono ${digest.status === 'agrees' ? 'ok' : digest.status === 'differs' || digest.status === 'inconsistent' ? 'bad' : 'muted'}" title="${escapeHtml(digest.detail)}">${escapeHtml(digest.text)}</td>`
      : '<td class="muted">-</td>';
    return (
      `<tr><td class="name"><span class="swatch" style="background:${color}"></span>${escapeHtml(g.label)}${undrained > 0 ? ` <span class="warn small" title="${undrained} trial(s) did not finish the input within the drain timeout and were stopped">not drained</span>` : ''}</td>` +
      `<td>${escapeHtml(g.workload)}</td><td class="num">${trials}</td>${cells.join('')}${digestCell}</tr>`
    );
  });
  const legend = [
    'Medians over trials (hover a figure for every trial\u2019s value). Event-time latency: now \u2212 the event\u2019s intended send time; processing-time latency: now \u2212 when the engine read it from the log. CPU: user + system seconds of the trial\u2019s process per million input events.',
    o.groups.some(
      (g) =>
        g.engine !== 'reference' && o.groups.some((x) => x.engine === 'reference' && x.workload === g.workload && x.source === g.source),
    )
      ? '\u00d7 ref: input throughput as a fraction of the reference engine\u2019s in the same run.'
      : '',
    o.baseline
      ? 'Change of the median against the baseline, judged as streamarena compare judges it (one-sided Mann-Whitney U test over trials at p \u2264 0.05, and a change beyond 10 %): \u25b2 improvement, \u25bc regression, \u2248 significant but within 10 %, ~ not significant, ? too few trials to tell (2 against 2 trials can never reach p \u2264 0.05). Hover a change for the test and the bootstrap interval.'
      : '',
  ].filter(Boolean);
  return `<div class="table-wrap"><table class="summary">${head}<tbody>${rows.join('')}</tbody></table></div>${legend.map((l) => `<p class="muted small">${escapeHtml(l)}</p>`).join('')}`;
}

function workloadOrder(groups: readonly RunGroup[], g: RunGroup): number {
  return groups.findIndex((x) => x.workload === g.workload);
}

function figureCell(g: RunGroup, f: Figure, reference: RunGroup | undefined, baseline: BaselineComparison | undefined): string {
  const values = figureValues(g.runs, f);
  const m = median(values);
  if (m === undefined) return '<td class="num muted">-</td>';
  const title = `trials: ${values.map((v) => f.format(v)).join(', ')}`;
  let extra = '';
  if (f.key === 'throughput.input' && reference) {
    const ref = median(figureValues(reference.runs, f));
    if (ref !== undefined && ref > 0) extra += `<span class="ratio">${(m / ref).toFixed(2)}\u00d7 ref</span>`;
  }
  const change = baseline?.change(g, f);
  if (change) extra += changeBadge(change, f);
  return `<td class="num" title="${escapeHtml(title)}">${escapeHtml(f.format(m))}${extra}</td>`;
}

/** The change of a figure against the baseline, with compare's verdict and reason in the tooltip. */
export function changeBadge(c: FigureChange, f: Figure): string {
  const { cls, symbol } = badge(c);
  const interval = c.interval
    ? `; ${Math.round(c.interval.confidence * 100)} % interval of the change ${formatChange(c.interval.low)} to ${formatChange(c.interval.high)}`
    : '';
  const title =
    `baseline ${f.format(c.baselineMedian)} \u2192 ${f.format(c.currentMedian)} (${c.baselineTrials} vs ${c.currentTrials} trials): ${c.verdict}, ${c.reason}${interval}` +
    (c.gated ? '' : ' (compare does not gate this figure)');
  const text = c.change === null ? `n/a ${symbol}` : `${formatChange(c.change)} ${symbol}`;
  return `<span class="chg ${cls}" title="${escapeHtml(title)}">${escapeHtml(text)}</span>`;
}
