/** The journal of `streamarena sweep`: after the header, one line per completed probe (a ProbeRecord). */
import { UsageError } from '../errors.js';
import type { ProbeRecord } from '../sweep/index.js';

/** The flags that decide what a sweep measures; --json and --no-report may change on resume. */
export const SWEEP_JOURNALED_FLAGS = [
  'engine',
  'workload',
  'rates',
  'findSustainable',
  'budget',
  'vary',
  'duration',
  'warmup',
  'trials',
  'parallelism',
  'option',
  'precision',
  'seed',
  'isolation',
  'deployment',
  'fault',
] as const;

/** The journal's probes; a line that is not one is a UsageError. */
export function journaledProbes(entries: readonly unknown[], journalPath: string): ProbeRecord[] {
  return entries.map((raw, i) => {
    const e = raw as Partial<ProbeRecord> | null;
    const ok =
      e !== null &&
      typeof e === 'object' &&
      typeof e.setting === 'number' &&
      typeof e.engine === 'string' &&
      (typeof e.rate === 'number' || e.rate === 'max') &&
      typeof e.trial === 'number' &&
      typeof e.elapsedMs === 'number' &&
      typeof e.result === 'object' &&
      e.result !== null &&
      (e.rate === 'max') === 'capacity' in e.result;
    if (!ok) throw new UsageError(`--resume: ${journalPath}: line ${i + 2} is not a probe of a sweep`);
    return e as ProbeRecord;
  });
}
