/** The fidelity checks as text: per check its criterion, then published beside ours, then the verdict. */
import type { FidelityCheckResult } from '../../reports/schema.js';
import { textTable } from '../../reports/format/index.js';

export function formatFidelity(checks: readonly FidelityCheckResult[]): string {
  const out: string[] = [];
  for (const c of checks) {
    out.push(`${c.id}: ${c.title}: ${c.status.toUpperCase()}`);
    if (c.conditions) out.push(`  conditions: ${c.conditions}`);
    out.push(`  criterion:  ${c.criterion}`);
    if (c.rows.length > 0) {
      const table = textTable(
        ['', 'published', 'ours', 'holds'],
        c.rows.map((r) => [r.label, r.published, r.ours, r.holds === undefined ? '' : r.holds ? 'yes' : 'NO']),
        [false, false, false, false],
      );
      out.push(...table.split('\n').map((l) => `  ${l}`));
    }
    if (c.finding) out.push(`  ${c.status === 'fails' ? 'finding' : 'note'}: ${c.finding}`);
    out.push(`  source: ${c.source}`, '');
  }
  const count = (s: FidelityCheckResult['status']) => checks.filter((c) => c.status === s).length;
  out.push(`${count('holds')} hold, ${count('fails')} fail, ${count('skipped')} skipped, ${count('error')} errors`);
  return out.join('\n');
}
