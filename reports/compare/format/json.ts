/** `--format json`: the whole report, for scripts. Numbers that do not exist are null. */
import type { ComparisonReport } from '../compare.js';

export function formatJson(report: ComparisonReport): string {
  return JSON.stringify(report, null, 2);
}
