/**
 * Numbers as every output of the project writes them: the terminal summary, `compare`'s table, Markdown
 * and GitHub formats, and the HTML report, so that the same figure reads the same everywhere. Non-finite
 * values print as `-`.
 */

/** Events or records per second: `950`, `12.3k`, `1.20M`. */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return '-';
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(2)}M`;
  if (perSec >= 1e4) return `${(perSec / 1e3).toFixed(1)}k`;
  return perSec.toFixed(0);
}

/** Milliseconds: `0 ms`, `4.20 µs` below 0.01 ms, `0.123 ms`, `12.3 ms`, `450 ms`, `12.5 s` from 10 s. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms === 0) return '0 ms';
  if (Math.abs(ms) < 0.01) return `${(ms * 1000).toFixed(2)} \u00b5s`;
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3)} ms`;
}

/** Bytes in binary units: `512 KiB`, `12.5 MiB`, `1.25 GiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '-';
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

/** A fraction as a percentage, one decimal below 100 %: 0.1234 -> `12.3%`, -0.05 -> `-5.0%`, 2.5 -> `250%`. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '-';
  const p = fraction * 100;
  return `${Math.abs(p) >= 100 ? p.toFixed(0) : p.toFixed(1)}%`;
}

/** A signed relative change: 0.123 -> `+12.3%`, -0.04 -> `-4.0%`; `n/a` when there is none (null). */
export function formatChange(change: number | null): string {
  if (change === null) return 'n/a';
  if (!Number.isFinite(change)) return '-';
  return `${change > 0 ? '+' : ''}${formatPercent(change)}`;
}

/** A p-value with two significant digits: `0.05`, `0.0012`, `1`. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return '-';
  if (p >= 0.995) return '1';
  if (p >= 0.01)
    return p
      .toFixed(p < 0.1 ? 3 : 2)
      .replace(/0+$/, '')
      .replace(/\.$/, '');
  return p.toPrecision(2);
}
