/**
 * The report page: one self-contained HTML file. Chart.js and the page script are inlined, the chart
 * data is embedded as JSON in a `<script type="application/json">` element (parsed, never evaluated,
 * escaped by {@link jsonForScript}), every text from the results is escaped by {@link escapeHtml},
 * and a Content-Security-Policy allows only the two inlined scripts (by hash) and no network access at
 * all, so that a string in a results file that somehow escaped its escaping still could not run or
 * load anything.
 */
import { BaselineComparison } from './baseline-change.js';
import { ChartRegistry } from './charts.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { SeriesColors } from './colors.js';
import { groupRuns, workloadNames, type ReportSource, type RunGroup } from './data.js';
import { digestAgreement } from './digests.js';
import { chartJsAsset, contentSecurityPolicy, escapeHtml, jsonForScript } from '../page/index.js';
import { faultsSection, hasFaults } from './faults-section.js';
import { fidelitySection, readFidelity } from './fidelity-section.js';
import { formatDate, overviewSection } from './overview.js';
import { plansSection, type PlanProvider } from './plans-section.js';
import { STYLES } from './styles.js';
import { summaryTable } from './summary-table.js';
import { readSweeps, sweepSection } from './sweeps.js';
import { workloadSection } from './workload-section.js';

export interface ReportInput {
  /** The results files to report on, in order. */
  sources: readonly ReportSource[];
  /** A results file to compare with: each figure's change, marked significant or not. */
  baseline?: ReportSource;
  /** Recomputes physical plans; without it the plans section says none were computed. */
  plans?: PlanProvider;
  /** When the report was made (shown in the footer); default now. */
  generatedAt?: Date;
  /** The streamarena version making the report (footer). */
  toolVersion?: string;
}

/** The whole page as one HTML string. */
export function renderReport(input: ReportInput): string {
  const charts = new ChartRegistry();
  const colors = new SeriesColors();
  const { groups, skipped } = groupRuns(input.sources);
  const baselineGroups = input.baseline ? groupRuns([input.baseline]).groups : undefined;
  const comparison = input.baseline ? new BaselineComparison(input.baseline, input.sources, baselineGroups!) : undefined;
  // Colours in order of first appearance, so the same engine has the same colour in every chart.
  for (const g of groups) colors.of(g.label, g.engine);
  const workloads = workloadNames(groups);
  const { sweeps, skipped: skippedSweeps } = readSweeps(input.sources);

  const sections: { id: string; title: string; html: string }[] = [];
  sections.push({
    id: 'ran',
    title: 'What ran and where',
    html: overviewSection(input.sources, groups, skipped, colors, sweeps) + baselineNote(input.baseline, input.sources, comparison),
  });
  if (groups.length > 0) {
    sections.push({
      id: 'summary',
      title: 'Summary',
      html: summaryTable({ groups, digests: digestAgreement(groups), colors, ...(comparison ? { baseline: comparison } : {}) }),
    });
  }
  if (hasFaults(groups)) sections.push({ id: 'faults', title: 'Faults and recovery', html: faultsSection(groups, charts, colors) });
  const failedHtml = failedTrials(groups);
  if (failedHtml) sections.push({ id: 'failed', title: 'Failed trials', html: failedHtml });
  workloads.forEach((workload, i) => {
    sections.push({
      id: `w-${i}`,
      title: `Workload: ${workload}`,
      html: workloadSection({
        workload,
        groups: groups.filter((g) => g.workload === workload),
        charts,
        colors,
        ...(baselineGroups ? { baseline: baselineGroups.filter((b) => b.workload === workload) } : {}),
      }),
    });
  });
  if (sweeps.length > 0 || skippedSweeps > 0) {
    const note =
      skippedSweeps > 0 ? `<p class="banner">${skippedSweeps} sweep entr${skippedSweeps === 1 ? 'y' : 'ies'} could not be read.</p>` : '';
    sections.push({ id: 'sweeps', title: 'Load sweeps', html: note + sweepSection(sweeps, charts, colors) });
  }
  const fidelity = readFidelity(input.sources);
  if (fidelity.length > 0) sections.push({ id: 'fidelity', title: 'Against published results', html: fidelitySection(fidelity) });
  if (groups.some((g) => g.runs.length > 0))
    sections.push({ id: 'plans', title: 'Physical plans', html: plansSection(groups, input.plans, colors) });
  if (groups.length === 0 && sweeps.length === 0) {
    sections.push({ id: 'empty', title: 'No results', html: '<p class="muted">The results contain no completed trial and no sweep.</p>' });
  }

  const chartJs = chartJsAsset();
  const data = jsonForScript({ charts: charts.specs.map((s) => ({ id: s.id, config: s.config })) });
  const csp = contentSecurityPolicy([chartJs.source, CLIENT_SCRIPT]);
  const engines = [...new Set(groups.map((g) => g.engine).concat(sweeps.map((s) => s.engine)))];
  const title = `streamarena: ${engines.join(', ') || 'no engines'} on ${[...new Set(workloads.concat(sweeps.map((s) => s.workload)))].join(', ') || 'no workloads'}`;
  const created = input.sources.map((s) => formatDate(s.results.createdAt));
  const generatedAt = (input.generatedAt ?? new Date())
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');

  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<meta name="color-scheme" content="light dark">\n' +
    `<title>${escapeHtml(title)}</title>\n<style>${STYLES}</style>\n</head>\n<body>\n<main>\n` +
    `<header class="page"><h1>${escapeHtml(title)}</h1>` +
    `<p class="lead">${escapeHtml(`${input.sources.map((s) => s.label).join(', ')} \u00b7 run ${created.join(', ')}`)}</p>` +
    `<nav class="toc" aria-label="sections">${sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join('')}</nav></header>\n` +
    sections.map((s) => `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>${s.html}</section>\n`).join('') +
    `<footer>Generated by streamarena ${escapeHtml(input.toolVersion ?? '')} on ${escapeHtml(generatedAt)} \u00b7 ${charts.specs.length} charts drawn with Chart.js ${escapeHtml(chartJs.version)} (inlined: this file needs no network)</footer>\n` +
    '</main>\n' +
    `<script type="application/json" id="report-data">${data}</script>\n` +
    `<script>${chartJs.source}</script>\n` +
    `<script>${CLIENT_SCRIPT}</script>\n` +
    '</body>\n</html>\n'
  );
}

function baselineNote(
  baseline: ReportSource | undefined,
  sources: readonly ReportSource[],
  comparison: BaselineComparison | undefined,
): string {
  if (!baseline || !comparison) return '';
  const r = baseline.results;
  const out = [
    `<p><strong>Baseline:</strong> ${escapeHtml(baseline.label)}, run ${escapeHtml(formatDate(r.createdAt))} with streamarena ${escapeHtml(String(r.tool?.version ?? '?'))}` +
      `${r.environment?.gitCommit ? ` at commit <span class="mono">${escapeHtml(String(r.environment.gitCommit))}</span>` : ''}.</p>`,
  ];
  sources.forEach((s, i) => {
    const problem = comparison.problems[i];
    const notes = comparison.notes(i);
    const prefix = sources.length > 1 ? `${s.label}: ` : '';
    if (problem) out.push(`<p class="banner">${escapeHtml(prefix + problem)}</p>`);
    if (notes.length > 0) out.push(`<ul class="small muted">${notes.map((n) => `<li>${escapeHtml(prefix + n)}</li>`).join('')}</ul>`);
  });
  return out.join('');
}

function failedTrials(groups: readonly RunGroup[]): string {
  const failed = groups.flatMap((g) => g.failed.map((f) => ({ g, f })));
  if (failed.length === 0) return '';
  return (
    `<div class="table-wrap"><table><thead><tr><th>engine</th><th>workload</th><th class="num">trial</th><th>error</th></tr></thead><tbody>` +
    failed
      .map(
        ({ g, f }) =>
          `<tr><td class="name">${escapeHtml(g.label)}</td><td>${escapeHtml(g.workload)}</td><td class="num">${escapeHtml(f.trial)}</td><td class="wrap bad">${escapeHtml(f.error)}</td></tr>`,
      )
      .join('') +
    '</tbody></table></div>'
  );
}
