/** The fidelity checks of a results file: per check its criterion, published beside ours, the verdict. */
import type { FidelityCheckResult } from '../schema.js';
import type { ReportSource } from './data.js';
import { escapeHtml } from '../page/index.js';

/** Every fidelity check in the sources, with the label of the file it came from. */
export function readFidelity(sources: readonly ReportSource[]): { source: string; check: FidelityCheckResult }[] {
  return sources.flatMap((s) => (Array.isArray(s.results.fidelity) ? s.results.fidelity.map((check) => ({ source: s.label, check })) : []));
}

export function fidelitySection(checks: readonly { source: string; check: FidelityCheckResult }[]): string {
  return checks
    .map(({ source, check: c }) => {
      const rows = c.rows
        .map(
          (r) =>
            `<tr><th scope="row">${escapeHtml(r.label)}</th><td>${escapeHtml(r.published)}</td><td>${escapeHtml(r.ours)}</td>` +
            `<td class="${r.holds === false ? 'bad' : ''}">${r.holds === undefined ? '' : r.holds ? 'yes' : 'no'}</td></tr>`,
        )
        .join('');
      return (
        `<article class="fidelity"><h3>${escapeHtml(c.title)} <span class="${c.status === 'holds' ? 'ok' : 'bad'}">${escapeHtml(c.status)}</span></h3>` +
        `<p><strong>Criterion</strong> (stated before the run): ${escapeHtml(c.criterion)}</p>` +
        (c.conditions ? `<p class="muted">Conditions: ${escapeHtml(c.conditions)}</p>` : '') +
        (rows
          ? `<table><thead><tr><th></th><th>published</th><th>ours</th><th>holds</th></tr></thead><tbody>${rows}</tbody></table>`
          : '') +
        (c.finding ? `<p>${c.status === 'fails' ? '<strong>Finding:</strong> ' : ''}${escapeHtml(c.finding)}</p>` : '') +
        `<p class="muted">Source: ${escapeHtml(c.source)} \u00b7 ${escapeHtml(source)}</p></article>`
      );
    })
    .join('');
}
