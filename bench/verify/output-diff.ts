/**
 * Comparing two engines' sink records as multisets (order-free: engines emit in different orders), and
 * saying how they differ in a few readable lines: for a pair of records that agree on all but one or two
 * fields (the same window and key with another count), the fields that differ; otherwise the records
 * missing and the records unexpected.
 */
import { canonicalJson } from '../../reports/digest.js';

export interface SinkDifference {
  readonly sink: string;
  readonly expectedRecords: number;
  readonly gotRecords: number;
  /** Canonical JSON of records the reference emitted and the engine did not (with multiplicity). */
  readonly missing: readonly string[];
  /** Canonical JSON of records the engine emitted and the reference did not. */
  readonly unexpected: readonly string[];
}

/** The difference of `got` from `expected`, or undefined when they are equal as multisets. */
export function diffRecords(sink: string, expected: readonly unknown[], got: readonly unknown[]): SinkDifference | undefined {
  const counts = new Map<string, number>();
  for (const r of expected) {
    const k = canonicalJson(r);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const unexpected: string[] = [];
  for (const r of got) {
    const k = canonicalJson(r);
    const n = counts.get(k);
    if (n === undefined || n === 0) unexpected.push(k);
    else counts.set(k, n - 1);
  }
  const missing: string[] = [];
  for (const [k, n] of counts) for (let i = 0; i < n; i++) missing.push(k);
  if (missing.length === 0 && unexpected.length === 0) return undefined;
  missing.sort();
  unexpected.sort();
  return { sink, expectedRecords: expected.length, gotRecords: got.length, missing, unexpected };
}

type Fields = Record<string, unknown>;

/** Records of each side considered for pairing. */
const PAIRING_SCAN = 2000;

function asFields(json: string): Fields | undefined {
  const v = JSON.parse(json) as unknown;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Fields) : undefined;
}

/** Fields in which two records with the same field names differ; undefined when the names differ. */
function differingFields(a: Fields, b: Fields): string[] | undefined {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length || keys.some((k) => !(k in b))) return undefined;
  return keys.filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k]));
}

function shorten(text: string, max = 160): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

/** At most `limit` lines per kind (changed, missing, unexpected), indented by `indent`. */
export function describeDifference(d: SinkDifference, limit = 5, indent = '    '): string[] {
  const lines = [
    `${indent}sink '${d.sink}': ${d.expectedRecords} records expected (reference), ${d.gotRecords} got; ` +
      `${d.missing.length} missing, ${d.unexpected.length} unexpected`,
  ];
  const missing = [...d.missing];
  const unexpected = [...d.unexpected];
  // Pair records that agree on all but one or two fields: "the same window and key, another count".
  // Quadratic, so only over the first PAIRING_SCAN records of each side.
  const changed: string[] = [];
  for (let i = 0; i < Math.min(missing.length, PAIRING_SCAN); i++) {
    const m = asFields(missing[i]);
    if (m === undefined) continue;
    for (let j = 0; j < Math.min(unexpected.length, PAIRING_SCAN); j++) {
      const u = asFields(unexpected[j]);
      const diff = u === undefined ? undefined : differingFields(m, u);
      if (diff === undefined || diff.length === 0 || diff.length > 2 || diff.length * 2 > Object.keys(m).length) continue;
      const same = Object.keys(m)
        .filter((k) => !diff.includes(k))
        .map((k) => `${k}=${canonicalJson(m[k])}`)
        .join(', ');
      const what = diff.map((k) => `${k}: expected ${canonicalJson(m[k])}, got ${canonicalJson(u![k])}`).join('; ');
      changed.push(`${indent}    at ${shorten(same, 120)}: ${what}`);
      missing.splice(i--, 1);
      unexpected.splice(j, 1);
      break;
    }
  }
  if (changed.length > 0) {
    lines.push(`${indent}  differing records (${changed.length}):`, ...changed.slice(0, limit));
    if (changed.length > limit) lines.push(`${indent}    ... and ${changed.length - limit} more`);
  }
  const list = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push(`${indent}  ${title}:`);
    for (const r of items.slice(0, limit)) lines.push(`${indent}    ${shorten(r)}`);
    if (items.length > limit) lines.push(`${indent}    ... and ${items.length - limit} more`);
  };
  list('missing (expected, not got)', missing);
  list('unexpected (got, not expected)', unexpected);
  return lines;
}
