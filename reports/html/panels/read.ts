/**
 * Defensive readers for `engineStats`, which each engine fills in its own shape (and which may come
 * from an older or newer engine than this report): every reader returns undefined for a missing or
 * mistyped field instead of throwing, so a panel shows what is there and skips the rest.
 */
import { escapeHtml } from '../../page/index.js';
import { formatPercent } from '../format.js';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A finite number, or undefined. */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A string (numbers and booleans are turned into one), or undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** The object entries of an array field (other entries dropped); undefined when it is not an array. */
export function objects(v: unknown): Obj[] | undefined {
  return Array.isArray(v) ? v.filter(isObj) : undefined;
}

/** An object field, or undefined. */
export function obj(v: unknown): Obj | undefined {
  return isObj(v) ? v : undefined;
}

/** Sum of a numeric field over objects (missing values count as 0); undefined when none has it. */
export function sumOf(items: readonly Obj[], key: string): number | undefined {
  let any = false;
  let total = 0;
  for (const it of items) {
    const v = num(it[key]);
    if (v !== undefined) {
      any = true;
      total += v;
    }
  }
  return any ? total : undefined;
}

/** A row of headline figures; entries whose value is undefined are left out. */
export function statCards(items: readonly [label: string, value: string | undefined, title?: string][]): string {
  const shown = items.filter((i): i is [string, string, string?] => i[1] !== undefined);
  if (shown.length === 0) return '';
  return `<div class="stats">${shown.map(([k, v, title]) => `<div class="stat"${title ? ` title="${escapeHtml(title)}"` : ''}><div class="k">${escapeHtml(k)}</div><div class="v">${escapeHtml(v)}</div></div>`).join('')}</div>`;
}

/** A fill meter (0..1, clamped) followed by the percentage; `hot` at or above 0.8. */
export function meter(fraction: number | undefined): string {
  if (fraction === undefined) return '-';
  const pct = Math.max(0, Math.min(1, fraction)) * 100;
  return `<span class="meter${fraction >= 0.8 ? ' hot' : ''}"><span style="width:${pct.toFixed(1)}%"></span></span>${formatPercent(fraction)}`;
}

/** A table from pre-escaped cells; `numeric[i]` right-aligns column i. */
export function htmlTable(header: readonly string[], rows: readonly string[][], numeric: readonly boolean[] = []): string {
  const th = header.map((h, i) => `<th${numeric[i] ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td class="${numeric[i] ? 'num' : 'wrap'}">${c}</td>`).join('')}</tr>`).join('');
  return `<div class="table-wrap"><table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** Formatted, or undefined (for stat cards, which escape their values). */
export function maybe(v: number | undefined, f: (v: number) => string): string | undefined {
  return v === undefined ? undefined : f(v);
}

/** Formatted and escaped for a table cell, or `-`. */
export function cell(v: number | undefined, f: (v: number) => string): string {
  return v === undefined ? '-' : escapeHtml(f(v));
}

export function isNum(v: number | undefined): v is number {
  return v !== undefined;
}
