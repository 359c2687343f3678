/**
 * What a fault did to the output: the engine's sink records against the reference engine's on the same
 * events, as multisets of the workload's comparable records (as `verify` compares them). A record the
 * reference emitted that the engine did not is lost; an extra copy of a record the reference emitted is a
 * duplicate; a record the reference never emitted (a count made larger by a replayed input, or smaller by
 * a lost one) is changed. The guarantee observed follows from the three.
 */
import type { Guarantee } from '../../engines/api/index.js';
import { canonicalJson } from '../../reports/digest.js';

export interface OutputComparison {
  readonly expectedRecords: number;
  readonly gotRecords: number;
  readonly lostRecords: number;
  readonly duplicateRecords: number;
  readonly changedRecords: number;
  readonly guarantee: Guarantee;
}

/** Compares by sink; sinks missing on one side count as empty. */
export function compareOutputs(
  expected: Readonly<Record<string, readonly unknown[]>>,
  got: Readonly<Record<string, readonly unknown[]>>,
): OutputComparison {
  let lost = 0;
  let duplicates = 0;
  let changed = 0;
  let expectedRecords = 0;
  let gotRecords = 0;
  for (const sink of new Set([...Object.keys(expected), ...Object.keys(got)])) {
    const want = new Map<string, number>();
    for (const r of expected[sink] ?? []) {
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
      else changed++;
    }
    for (const n of left.values()) lost += n;
  }
  return {
    expectedRecords,
    gotRecords,
    lostRecords: lost,
    duplicateRecords: duplicates,
    changedRecords: changed,
    guarantee: observedGuarantee(lost, duplicates, changed),
  };
}

export function observedGuarantee(lost: number, duplicates: number, changed: number): Guarantee {
  if (changed > 0 || (lost > 0 && duplicates > 0)) return 'none';
  if (lost > 0) return 'at-most-once';
  if (duplicates > 0) return 'at-least-once';
  return 'exactly-once';
}

/** Whether what was observed keeps what was promised. */
export function keepsGuarantee(promised: Guarantee, observed: Guarantee): boolean {
  switch (promised) {
    case 'exactly-once':
      return observed === 'exactly-once';
    case 'at-least-once':
      return observed === 'exactly-once' || observed === 'at-least-once';
    case 'at-most-once':
      return observed === 'exactly-once' || observed === 'at-most-once';
    case 'none':
      return true;
  }
}
