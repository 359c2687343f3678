/**
 * Output digest agreement across engines. Digests are comparable only when every engine read the same
 * input, i.e. the input came from a file (generated events carry wall-clock times, so two trials'
 * outputs differ), with the same workload options and the same event limit. Within such a scope the
 * digest every other engine is held against is the reference engine's, when it ran and its trials
 * agree, else the most common one.
 */
import type { RunResult } from '../schema.js';
import type { RunGroup } from './data.js';

export type DigestStatus = 'agrees' | 'differs' | 'inconsistent' | 'alone' | 'not-comparable';

export interface DigestAgreement {
  status: DigestStatus;
  /** One line for the table cell. */
  text: string;
  /** A longer explanation (tooltip). */
  detail: string;
}

/** What must be equal for two runs' outputs to be comparable. */
function scopeOf(run: RunResult): string {
  const workloadOptions = Object.entries(run.options)
    .filter(([k]) => k.startsWith(`${run.workload}.`))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([run.workload, run.input.file ?? null, run.options['run.events'] ?? null, workloadOptions]);
}

/** The agreement of every group's output digest with the other engines' (by group id). */
export function digestAgreement(groups: readonly RunGroup[]): Map<string, DigestAgreement> {
  const out = new Map<string, DigestAgreement>();
  const scopes = new Map<string, { group: RunGroup; digest: string }[]>();
  for (const g of groups) {
    if (g.runs.length === 0) continue;
    if (!g.runs.every((r) => r.input.source === 'file')) {
      out.set(g.id, {
        status: 'not-comparable',
        text: 'n/a',
        detail:
          'generated input: events carry wall-clock times, so outputs differ between runs; replay a file with --input to compare outputs',
      });
      continue;
    }
    const digests = new Set(g.runs.map((r) => String(r.output.digest)));
    const scopeKeys = new Set(g.runs.map(scopeOf));
    if (digests.size > 1 || scopeKeys.size > 1) {
      out.set(g.id, {
        status: 'inconsistent',
        text: `differs between trials (${digests.size})`,
        detail: `the trials of ${g.label} wrote ${digests.size} different outputs from the same input`,
      });
      continue;
    }
    const scope = [...scopeKeys][0]!;
    scopes.set(scope, [...(scopes.get(scope) ?? []), { group: g, digest: [...digests][0]! }]);
  }
  for (const members of scopes.values()) {
    if (members.length === 1) {
      const m = members[0]!;
      out.set(m.group.id, {
        status: 'alone',
        text: short(m.digest),
        detail: `digest ${m.digest}; no other engine ran this input with the same workload options`,
      });
      continue;
    }
    const reference = members.find((m) => m.group.engine === 'reference');
    let expected: string;
    let against: string;
    if (reference) {
      expected = reference.digest;
      against = reference.group.label;
    } else {
      const counts = new Map<string, number>();
      for (const m of members) counts.set(m.digest, (counts.get(m.digest) ?? 0) + 1);
      expected = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
      against = 'the most common output';
    }
    for (const m of members) {
      const undrained = m.group.runs.some((r) => r.drained === false) ? ' (the engine did not drain: its output is cut short)' : '';
      if (m.digest === expected) {
        out.set(m.group.id, { status: 'agrees', text: `\u2713 ${short(m.digest)}`, detail: `digest ${m.digest} equals ${against}'s` });
      } else {
        out.set(m.group.id, {
          status: 'differs',
          text: `\u2717 differs`,
          detail: `digest ${m.digest}, but ${against} has ${expected}${undrained}`,
        });
      }
    }
  }
  return out;
}

/** The record count and the first hex digits: enough to tell digests apart at a glance. */
function short(digest: string): string {
  const colon = digest.indexOf(':');
  return colon < 0 ? digest.slice(0, 14) : digest.slice(0, colon + 9);
}
