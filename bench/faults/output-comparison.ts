/**
 * What a fault did to the output: the engine's sink records against the reference engine's on the same
 * events, as multisets of the workload's comparable records (as `verify` compares them). A record the
 * reference emitted that the engine did not is lost; an extra copy of a record the reference emitted is a
 * duplicate; a record the reference never emitted (a count made larger by a replayed input, or smaller by
 * a lost one) is changed. A changed window result (same window and key, another number) says which way
 * its inputs went: a larger value counted some twice (as a duplicate does), a smaller one missed some (as a
 * loss does). The guarantee observed follows from these counts.
 */
import type { Guarantee } from '../../engines/api/index.js';
import { canonicalJson } from '../../reports/digest.js';

export interface OutputComparison {
  readonly expectedRecords: number;
  readonly gotRecords: number;
  readonly lostRecords: number;
  readonly duplicateRecords: number;
  readonly changedRecords: number;
  /** Changed window results with a larger value than the reference's (inputs counted twice). */
  readonly overCounted: number;
  /** Changed window results with a smaller value (inputs missed). */
  readonly underCounted: number;
  readonly guarantee: Guarantee;
}

/** `windowStart`/`windowEnd`/`key` of a window result with a numeric value, as one string; else undefined. */
function windowIdentity(r: unknown): { id: string; value: number } | undefined {
  if (r === null || typeof r !== 'object') return undefined;
  const w = r as { windowStart?: unknown; windowEnd?: unknown; key?: unknown; value?: unknown };
  if (typeof w.windowStart !== 'number' || typeof w.windowEnd !== 'number' || typeof w.value !== 'number' || !('key' in w))
    return undefined;
  return { id: canonicalJson([w.windowStart, w.windowEnd, w.key]), value: w.value };
}

/** Compares by sink; sinks missing on one side count as empty. */
export function compareOutputs(
  expected: Readonly<Record<string, readonly unknown[]>>,
  got: Readonly<Record<string, readonly unknown[]>>,
): OutputComparison {
  let lost = 0;
  let duplicates = 0;
  let changed = 0;
  let over = 0;
  let under = 0;
  let expectedRecords = 0;
  let gotRecords = 0;
  for (const sink of new Set([...Object.keys(expected), ...Object.keys(got)])) {
    const want = new Map<string, number>();
    const expectedValue = new Map<string, number>();
    for (const r of expected[sink] ?? []) {
      const w = windowIdentity(r);
      if (w) expectedValue.set(w.id, w.value);
      const k = canonicalJson(r);
      want.set(k, (want.get(k) ?? 0) + 1);
      expectedRecords++;
    }
    const left = new Map(want);
    for (const r of got[sink] ?? []) {
      gotRecords++;
      const k = canonicalJson(r);
      const n = left.get(k);
      if (n !== undefined && n > 0) left.set(k, n - 1);
      else if (want.has(k)) duplicates++;
      else {
        changed++;
        const w = windowIdentity(r);
        const reference = w === undefined ? undefined : expectedValue.get(w.id);
        if (w !== undefined && reference !== undefined) {
          if (w.value > reference) over++;
          else under++;
        }
      }
    }
    for (const n of left.values()) lost += n;
  }
  return {
    expectedRecords,
    gotRecords,
    lostRecords: lost,
    duplicateRecords: duplicates,
    changedRecords: changed,
    overCounted: over,
    underCounted: under,
    guarantee: observedGuarantee(lost, duplicates + over, changed - over - under, under),
  };
}

/**
 * @param lost reference records missing
 * @param duplicated extra copies, and window results counted higher
 * @param unexplained changed records that are no window result of the reference
 * @param undercounted window results counted lower (inputs missed)
 */
export function observedGuarantee(lost: number, duplicated: number, unexplained: number, undercounted = 0): Guarantee {
  const missed = lost + undercounted;
  if (unexplained > 0 || (missed > 0 && duplicated > 0)) return 'none';
  if (missed > 0) return 'at-most-once';
  if (duplicated > 0) return 'at-least-once';
  return 'exactly-once';
}
