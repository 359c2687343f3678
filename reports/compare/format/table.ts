/** The default format: a plain-text table for terminals and CI logs. */
import { formatChange, textTable } from '../../format/index.js';
import type { ComparisonReport } from '../compare.js';
import { explanationLines, formatInterval, formatMedian, formatP, formatVerdict } from './cells.js';

export function formatTable(report: ComparisonReport): string {
  const lines: string[] = [];
  lines.push(`baseline: ${describe(report.baseline)}`);
  lines.push(`current:  ${describe(report.current)}`);
  if (report.normalizedBy)
    lines.push(`normalized by ${report.normalizedBy}: ratios to ${report.normalizedBy}'s figures from the same trial`);
  lines.push('');
  lines.push(
    textTable(
      ['engine', 'workload', 'metric', 'baseline', 'current', 'change', `${Math.round(report.confidence * 100)}% CI`, 'p', 'verdict'],
      report.rows.map((r) => [
        r.engine,
        r.workload,
        r.metric,
        formatMedian(r, 'baseline'),
        formatMedian(r, 'current'),
        formatChange(r.change),
        formatInterval(r),
        formatP(r),
        formatVerdict(r),
      ]),
      [false, false, false, true, true, true, true, true, false],
    ),
  );
  lines.push('');
  lines.push(...explanationLines(report));
  for (const n of report.notes) lines.push(`note: ${n}`);
  lines.push(report.summary.line);
  return lines.join('\n');
}

function describe(f: ComparisonReport['baseline']): string {
  const failed = f.failedTrials > 0 ? `, ${f.failedTrials} failed` : '';
  return `${f.label} (${f.createdAt}${f.gitCommit ? `, ${f.gitCommit.slice(0, 12)}` : ''}, ${f.okTrials} trials${failed})`;
}
