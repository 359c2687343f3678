/**
 * Every `engineStats` field no engine panel showed, for any engine (the reference engine's counters,
 * fields an engine added later): scalars as they are, objects of scalars one level deep, arrays by
 * their length. Nothing is dropped silently and nothing unexpected can break the page.
 */
import { escapeHtml } from '../../page/index.js';
import { formatCount } from '../format.js';
import { isObj, type Obj } from './read.js';

/** Most fields of a nested object listed inline. */
const MAX_NESTED = 24;

export function genericStats(stats: Obj, shown: ReadonlySet<string>): string {
  const rows: string[] = [];
  for (const [key, value] of Object.entries(stats)) {
    if (shown.has(key)) continue;
    const text = describe(value);
    if (text === undefined) continue;
    rows.push(`<dt>${escapeHtml(key)}</dt><dd>${text}</dd>`);
  }
  return rows.length === 0 ? '' : `<dl class="kv">${rows.join('')}</dl>`;
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? formatCount(v) : String(Math.round(v * 1000) / 1000);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (v === null) return 'none';
  return undefined;
}

/** Escaped HTML describing a value, or undefined for one not worth a line. */
function describe(value: unknown): string | undefined {
  const s = scalar(value);
  if (s !== undefined) return escapeHtml(s);
  if (Array.isArray(value)) return escapeHtml(`${formatCount(value.length)} entries`);
  if (isObj(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '<span class="muted">none</span>';
    const parts = entries.slice(0, MAX_NESTED).map(([k, v]) => {
      const inner = scalar(v) ?? (Array.isArray(v) ? `${v.length} entries` : isObj(v) ? '{\u2026}' : '?');
      return `${escapeHtml(k)}: ${escapeHtml(inner)}`;
    });
    if (entries.length > MAX_NESTED) parts.push(escapeHtml(`\u2026 ${entries.length - MAX_NESTED} more`));
    return parts.join(', ');
  }
  return undefined;
}
