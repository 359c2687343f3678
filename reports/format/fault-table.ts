/**
 * The engine x fault x guarantee table of a results file: one row per injected fault of every trial, for
 * the terminal summary and the HTML report. Times are seconds from the start of the load.
 */
import { keepsGuarantee } from '../../engines/api/index.js';
import type { FaultResult, RunResult } from '../schema.js';
import { textTable } from './text-table.js';

export const FAULT_TABLE_HEADER = [
  'engine',
  'workload',
  'trial',
  'fault',
  'detected',
  'restarted',
  'recovered',
  'peak latency',
  'lost',
  'duplicated',
  'changed',
  'observed',
  'promised',
] as const;

function seconds(ms: number | null): string {
  return ms === null ? 'never' : `${(ms / 1000).toFixed(2)} s`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** One row per fault: the cells of {@link FAULT_TABLE_HEADER}, and whether the promise was kept. */
export function faultRows(runs: readonly RunResult[]): { cells: string[]; kept: boolean; fault: FaultResult; run: RunResult }[] {
  const rows: { cells: string[]; kept: boolean; fault: FaultResult; run: RunResult }[] = [];
  for (const run of runs) {
    for (const f of run.faults ?? []) {
      const kept = keepsGuarantee(f.promised, f.guarantee);
      rows.push({
        run,
        fault: f,
        kept,
        cells: [
          run.engine,
          run.workload,
          String(run.trial),
          f.target === null ? f.spec : `${f.spec} (hit ${f.target})`,
          seconds(f.detectedMs),
          seconds(f.restartedMs),
          seconds(f.recoveredMs),
          f.maxLatencyMs === null ? '-' : `${Math.round(f.maxLatencyMs)} ms`,
          count(f.lostRecords),
          count(f.duplicateRecords),
          count(f.changedRecords),
          f.guarantee,
          kept ? f.promised : `${f.promised} BROKEN`,
        ],
      });
    }
  }
  return rows;
}

/** The table as text, or undefined when no trial had faults. */
export function formatFaultTable(runs: readonly RunResult[]): string | undefined {
  const rows = faultRows(runs);
  if (rows.length === 0) return undefined;
  return [
    'Faults (times from the load start; lost/duplicated/changed against the reference engine on the same events):',
    textTable(
      [...FAULT_TABLE_HEADER],
      rows.map((r) => r.cells),
      FAULT_TABLE_HEADER.map((_, i) => i === 2 || (i >= 4 && i <= 10)),
    ),
  ].join('\n');
}
