/**
 * Number formatting for the report's tables (the charts format their ticks in the page, with the
 * same rules: see client-script.ts). Rates, latencies and sizes use the terminal summary's rules so
 * that the report and `streamarena run` print the same figures.
 */
import { formatBytes, formatMs as formatMsTerminal, formatRate } from '../../bench/cli/format.js';

export { formatBytes, formatRate };

/** Milliseconds as the terminal summary writes them, plus exact zero and microseconds below 0.01 ms. */
export function formatMs(ms: number): string {
  if (ms === 0) return '0 ms';
  if (Number.isFinite(ms) && Math.abs(ms) < 0.01) return `${(ms * 1000).toFixed(2)} \u00b5s`;
  return formatMsTerminal(ms);
}

/** An integer count with thin thousands separators: `1 234 567`; `-` when not finite. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '-';
  return Math.round(n).toLocaleString('en-US').replace(/,/g, '\u202f');
}

/** A fraction as a percentage: 0.4213 -> `42.1 %`. */
export function formatPercent(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return '-';
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** CPU seconds per million events, two significant decimals. */
export function formatCpu(secondsPerMillion: number): string {
  if (!Number.isFinite(secondsPerMillion)) return '-';
  return secondsPerMillion >= 10 ? secondsPerMillion.toFixed(1) : secondsPerMillion.toFixed(2);
}

/** A signed relative change: 0.052 -> `+5.2 %`. */
export function formatChange(relative: number): string {
  if (!Number.isFinite(relative)) return '-';
  const pct = relative * 100;
  const digits = Math.abs(pct) >= 100 ? 0 : 1;
  return `${pct >= 0 ? '+' : '\u2212'}${Math.abs(pct).toFixed(digits)} %`;
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
