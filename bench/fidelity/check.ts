/**
 * The contract of a fidelity check: it states its conditions and criterion before it runs, runs trials
 * through the {@link TrialRunner} it is given, and returns the published figures beside ours.
 */
import type { OptionValue } from '../../engines/api/index.js';
import type { FidelityCheckResult, RunResult } from '../../reports/schema.js';

export interface FidelityTrial {
  engine: string;
  workload: string;
  rate: number | 'max';
  warmupMs: number;
  durationMs: number;
  /** Qualified option values (`ysb.sinkMode`), on top of the defaults. */
  options?: Record<string, OptionValue>;
  /** Time series resolution, ms (default 500). */
  sampleIntervalMs?: number;
}

/** What a check runs its trials through (a fresh child process per trial in the command). */
export interface TrialRunner {
  run(trial: FidelityTrial): Promise<RunResult>;
  /** Input throughput at `--rate max` (events/s). */
  capacity(engine: string, workload: string, options?: Record<string, OptionValue>, durationMs?: number): Promise<number>;
  /**
   * The highest paced rate the engine keeps up with (events/s; the sweep's search and verdict, a few probes
   * of `probeMs` each), or null when none was found.
   */
  sustainable(engine: string, workload: string, options: Record<string, OptionValue>, probeMs: number): Promise<SustainableRate>;
}

export interface SustainableRate {
  /** Unthrottled input rate, events/s. */
  capacity: number;
  sustainable: number | null;
  /** How the search ended. */
  summary: string;
}

export type CheckOutcome = Pick<FidelityCheckResult, 'rows' | 'finding'> & { holds: boolean };

export interface FidelityCheck {
  id: string;
  title: string;
  source: string;
  /** Engines the check needs (at least one of them must be selected). */
  engines: readonly string[];
  /** What it runs, for the engines selected. */
  conditions(engines: readonly string[]): string;
  /** The pass criterion, for the engines selected. Printed before the check runs, never changed by its result. */
  criterion(engines: readonly string[]): string;
  /** About how long it takes (ms), for the budget. */
  estimateMs(engines: readonly string[]): number;
  run(trials: TrialRunner, engines: readonly string[]): Promise<CheckOutcome>;
}
