/**
 * `--format md`: GitHub-flavoured Markdown for a CI job summary ($GITHUB_STEP_SUMMARY) or a pull-request
 * comment. Regressions come first so that they are seen without scrolling.
 */
import type { ComparisonReport, ComparisonRow } from '../compare.js';
import { formatChange } from '../../format/index.js';
import { explanationLines, formatInterval, formatMedian, formatP, formatVerdict } from './cells.js';

export function formatMarkdown(report: ComparisonReport): string {
  const s = report.summary;
  const lines: string[] = [];
  lines.push(`### streamarena compare: ${s.outcome === 'fail' ? 'regression' : 'no regression'}`);
  lines.push('');
  lines.push(`**${escapeCell(s.line)}**`);
  lines.push('');
  lines.push(
    `Baseline \`${code(report.baseline.label)}\` (${report.baseline.createdAt}${report.baseline.gitCommit ? `, \`${report.baseline.gitCommit.slice(0, 12)}\`` : ''}) against current \`${code(report.current.label)}\` (${report.current.createdAt}${report.current.gitCommit ? `, \`${report.current.gitCommit.slice(0, 12)}\`` : ''})${report.normalizedBy ? `, normalized by \`${report.normalizedBy}\`` : ''}.`,
  );
  lines.push('');
  const order: Record<ComparisonRow['verdict'], number> = { regression: 0, improvement: 1, insufficient: 2, unchanged: 3 };
  const rows = [...report.rows].sort((a, b) => order[a.verdict] - order[b.verdict]);
  lines.push(`| engine | workload | metric | baseline | current | change | ${Math.round(report.confidence * 100)}% CI | p | verdict |`);
  lines.push('|---|---|---|--:|--:|--:|--:|--:|---|');
  for (const r of rows) {
    const verdict = r.verdict === 'regression' ? `**${formatVerdict(r)}**` : escapeCell(formatVerdict(r));
    lines.push(
      `| ${[r.engine, r.workload, r.metric, formatMedian(r, 'baseline'), formatMedian(r, 'current'), formatChange(r.change), formatInterval(r), formatP(r)].map(escapeCell).join(' | ')} | ${verdict} |`,
    );
  }
  lines.push('');
  for (const l of explanationLines(report)) lines.push(`- ${escapeCell(l)}`);
  for (const n of report.notes) lines.push(`- note: ${escapeCell(n)}`);
  return lines.join('\n');
}

/** Pipes would end a table cell; '~' next to '~' would strike through. */
function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/~/g, '\\~');
}

function code(text: string): string {
  return text.replace(/`/g, "'");
}
