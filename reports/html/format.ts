/**
 * Number formatting for the report's tables (the charts format their ticks in the page, with the
 * same rules: see client-script.ts). Rates, latencies, sizes, percentages and changes are the shared
 * ones (reports/format), so that the report, `compare` and `streamarena run` print the same figures.
 */
import { formatBytes } from '../format/index.js';

export { formatBytes, formatChange, formatMs, formatPercent, formatRate } from '../format/index.js';

/** An integer count with thin thousands separators: `1 234 567`; `-` when not finite. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '-';
  return Math.round(n).toLocaleString('en-US').replace(/,/g, '\u202f');
}

/** CPU seconds per million events, two significant decimals. */
export function formatCpu(secondsPerMillion: number): string {
  if (!Number.isFinite(secondsPerMillion)) return '-';
  return secondsPerMillion >= 10 ? secondsPerMillion.toFixed(1) : secondsPerMillion.toFixed(2);
}

/** Bytes, also for 0 and undefined. */
export function formatBytesOrDash(bytes: number | undefined): string {
  return bytes === undefined || !Number.isFinite(bytes) ? '-' : formatBytes(bytes);
}

/** An option value as the user would write it: `null` is `off`. */
export function formatOptionValue(v: unknown): string {
  if (v === null) return 'off';
  if (typeof v === 'string') return v;
  return JSON.stringify(v) ?? String(v);
}
