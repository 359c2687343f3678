/** Cells shared by the table and Markdown formats: values in their units, changes, intervals, p-values. */
import { formatBytes, formatChange, formatMs, formatPValue, formatRate } from '../../format/index.js';
import type { ComparisonReport, ComparisonRow } from '../compare.js';

/** A value of `row` in its unit. */
export function formatValue(row: ComparisonRow, v: number): string {
  switch (row.kind) {
    case 'rate':
      return `${formatRate(v)}/s`;
    case 'latency':
      return formatMs(v);
    case 'cpu':
      return `${formatMs(v)}/M ev`;
    case 'bytes':
      return formatBytes(v);
    case 'ratio':
      return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(3)}x`;
  }
}

/** "[-3.1%, +8.0%]" or "-". */
export function formatInterval(row: ComparisonRow): string {
  if (!row.interval) return '-';
  return `[${formatChange(row.interval.low)}, ${formatChange(row.interval.high)}]`;
}

/** The one-sided p-value in the direction the median moved. */
export function shownP(row: ComparisonRow): number | null {
  if (row.pWorse === null || row.pBetter === null) return null;
  const worse = row.change === null ? 0 : row.direction === 'smaller' ? row.change : -row.change;
  return worse >= 0 ? row.pWorse : row.pBetter;
}

export function formatP(row: ComparisonRow): string {
  const p = shownP(row);
  return p === null ? '-' : formatPValue(p);
}

/** "REGRESSION", "improvement", "~" (no significant change, as benchstat prints it), "insufficient trials". */
export function formatVerdict(row: ComparisonRow): string {
  switch (row.verdict) {
    case 'regression':
      return 'REGRESSION';
    case 'improvement':
      return 'improvement';
    case 'unchanged':
      return '~';
    case 'insufficient':
      return 'insufficient trials';
  }
}

/** "1.2 ms (3)": the median and how many trials it is over. */
export function formatMedian(row: ComparisonRow, side: 'baseline' | 'current'): string {
  return `${formatValue(row, row[side].median)} (${row[side].n})`;
}

/** The lines under the table: what the figures are, then why each row that is not "~" got its verdict. */
export function explanationLines(report: ComparisonReport): string[] {
  const lines: string[] = [];
  const intervals = `${Math.round(report.confidence * 100)}% CI: bootstrap interval of the change of the median`;
  const norm = report.normalizedBy ? `, each engine's figures divided by ${report.normalizedBy}'s in the same trial` : '';
  lines.push(
    `medians over trials (count in parentheses)${norm}; change = current vs baseline median; ${intervals}; p: one-sided Mann-Whitney U in the direction of the change; alpha ${report.alpha}`,
  );
  const judged = report.rows.filter((r) => r.verdict === 'regression' || r.verdict === 'improvement');
  for (const r of judged) lines.push(`${r.verdict}: ${r.engine} x ${r.workload} ${r.metric} (${r.label}): ${r.reason}`);
  // "Insufficient" usually has one cause for every row (too few trials): say it once per cause.
  const causes = new Map<string, number>();
  for (const r of report.rows) if (r.verdict === 'insufficient') causes.set(r.reason, (causes.get(r.reason) ?? 0) + 1);
  for (const [reason, n] of causes) lines.push(`not judged (${n} row${n === 1 ? '' : 's'}): ${reason}`);
  return lines;
}
