/**
 * How fidelity checks run trials: each in a fresh child process, as `run` does, with the seed and drain
 * timeout of the command; every trial is kept for the results file.
 */
import type { OptionValue } from '../../engines/api/index.js';
import type { RunResult } from '../../reports/schema.js';
import { runTrialInChild } from '../runner/child-trial.js';
import { runTrial, type TrialSpec } from '../runner/trial.js';
import { findSustainable, judge } from '../sweep/index.js';
import type { FidelityTrial, SustainableRate, TrialRunner } from './check.js';

export interface FidelityTrialsOptions {
  seed: number;
  isolation: 'process' | 'inline';
  /** Called before each trial, with a one-line description. */
  onTrial?: (line: string) => void;
}

export class FidelityTrials implements TrialRunner {
  /** Every trial run so far, in order. */
  readonly runs: RunResult[] = [];
  private counter = 0;

  constructor(private readonly options: FidelityTrialsOptions) {}

  async run(t: FidelityTrial): Promise<RunResult> {
    const spec: TrialSpec = {
      engine: t.engine,
      workload: t.workload,
      trial: ++this.counter,
      parallelism: 1,
      seed: this.options.seed,
      load: { rate: t.rate, warmupMs: t.warmupMs, durationMs: t.durationMs },
      options: t.options ?? {},
      drainTimeoutMs: 30_000,
      sampleIntervalMs: t.sampleIntervalMs ?? 500,
    };
    // The options that apply to this trial (a check passes one set for several engines).
    const opts = Object.entries(t.options ?? {})
      .filter(([k]) => k.startsWith(`${t.engine}.`) || k.startsWith(`${t.workload}.`))
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    this.options.onTrial?.(
      `  ${t.engine} x ${t.workload} at ${t.rate === 'max' ? 'max' : `${Math.round(t.rate)} ev/s`} for ${t.durationMs / 1000} s${opts ? ` (${opts})` : ''}`,
    );
    const result = this.options.isolation === 'process' ? await runTrialInChild(spec) : await runTrial(spec);
    this.runs.push(result);
    return result;
  }

  /** Input throughput at `--rate max` (events/s). */
  async capacity(engine: string, workload: string, options: Record<string, OptionValue> = {}, durationMs = 3000): Promise<number> {
    const r = await this.run({ engine, workload, rate: 'max', warmupMs: 1000, durationMs, options });
    return r.throughput.inputEventsPerSec;
  }

  async sustainable(engine: string, workload: string, options: Record<string, OptionValue>, probeMs: number): Promise<SustainableRate> {
    const capacity = await this.capacity(engine, workload, options, probeMs);
    if (!(capacity > 0)) return { capacity, sustainable: null, summary: 'the unthrottled probe read nothing' };
    let probes = 0;
    const outcome = await findSustainable(
      async (rate) => {
        probes++;
        const run = await this.run({ engine, workload, rate, warmupMs: 2000, durationMs: probeMs, options });
        return judge(run.timeseries, rate).sustained;
      },
      { capacity, precision: SEARCH_PRECISION, floor: 100, canProbe: () => probes < SEARCH_PROBES },
    );
    return { capacity, ...outcome };
  }
}

/** The search stops at a bracket this narrow (fraction) or after this many probes. */
const SEARCH_PRECISION = 0.15;
const SEARCH_PROBES = 6;
