/**
 * `streamarena verify` as a library: every chosen workload over a bounded seeded input, on every chosen
 * engine and on the reference engine, sink records compared as multisets. The reference runs at
 * parallelism 1 (it reads the log in the generated order), each engine at the requested parallelism.
 */
import type { Deployment, Engine, OptionValue } from '../../engines/api/index.js';
import { engines as registeredEngines } from '../../engines/index.js';
import { comparableOutput, workloads as registeredWorkloads, type Workload } from '../../workloads/index.js';
import { isUsageError } from '../errors.js';
import { effectiveOptions } from '../runner/options.js';
import { boundedInput } from './bounded-input.js';
import { collectRun, type CollectedRun } from './collect-run.js';
import { describeDifference, diffRecords, type SinkDifference } from './output-diff.js';

export const DEFAULT_VERIFY_EVENTS = 20_000;
export const DEFAULT_VERIFY_TIMEOUT_MS = 60_000;
export const ORACLE_ENGINE = 'reference';

export interface VerifySpec {
  readonly engines: readonly string[];
  readonly workloads: readonly string[];
  /** Events per workload. */
  readonly events: number;
  readonly seed: number;
  readonly parallelism: number;
  /** Engine and workload options by qualified key (`ysb.sinkMode`); defaults fill the rest. */
  readonly options?: Readonly<Record<string, OptionValue>>;
  /** How long one engine may take for one workload (ms, real time). */
  readonly timeoutMs?: number;
  /** `real` (default, the CLI) or `virtual`: every run on a ManualClock driven from timer to timer (tests). */
  readonly time?: 'real' | 'virtual';
  /** Where the engines under test run (the reference runs in this process); default `local`. */
  readonly deployment?: Deployment;
  /** `standalone` only: submit to the running session cluster of this state directory. */
  readonly cluster?: string;
  /** Engines and workloads to look names up in (tests inject their own); default: the registries. */
  readonly registry?: { readonly engines?: Readonly<Record<string, Engine>>; readonly workloads?: Readonly<Record<string, Workload>> };
  /** Called as each case completes. */
  readonly onCase?: (c: VerifyCase) => void;
}

export type VerifyStatus = 'agree' | 'differ' | 'failed';

export interface VerifyCase {
  readonly engine: string;
  readonly workload: string;
  readonly parallelism: number;
  readonly status: VerifyStatus;
  /** Records the reference emitted (over all sinks, as compared). */
  readonly expectedRecords: number;
  readonly gotRecords: number;
  readonly lateRecordsDropped: { readonly expected: number; readonly got: number };
  readonly elapsedMs: number;
  readonly differences: readonly SinkDifference[];
  readonly error?: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly events: number;
  readonly seed: number;
  readonly parallelism: number;
  readonly cases: readonly VerifyCase[];
}

function comparable(workload: Workload, values: Readonly<Record<string, OptionValue>>, run: CollectedRun): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [sink, records] of Object.entries(run.sinks)) out[sink] = comparableOutput(workload, values, sink, records);
  return out;
}

function total(sinks: Record<string, unknown[]>): number {
  return Object.values(sinks).reduce((n, r) => n + r.length, 0);
}

export async function verify(spec: VerifySpec): Promise<VerifyReport> {
  const engineTable = spec.registry?.engines ?? registeredEngines;
  const workloadTable = spec.registry?.workloads ?? registeredWorkloads;
  const given = spec.options ?? {};
  const timeoutMs = spec.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
  const oracle = engineTable[ORACLE_ENGINE];
  if (oracle === undefined) throw new Error(`verify needs the ${ORACLE_ENGINE} engine`);
  const cases: VerifyCase[] = [];
  const record = (c: VerifyCase) => {
    cases.push(c);
    spec.onCase?.(c);
  };

  for (const workloadName of spec.workloads) {
    const workload = workloadTable[workloadName];
    if (workload === undefined) throw new Error(`unknown workload '${workloadName}'`);
    const values = effectiveOptions(workload.name, workload.options, given);
    const input = boundedInput(workload, values, spec.seed, spec.events);
    let expected: Record<string, unknown[]> | undefined;
    let expectedLate = 0;
    let oracleError: string | undefined;
    try {
      const run = await collectRun(oracle, workload, input, {
        parallelism: 1,
        engineValues: effectiveOptions(oracle.name, oracle.options, given),
        workloadValues: values,
        timeoutMs,
        time: spec.time,
      });
      expected = comparable(workload, values, run);
      expectedLate = run.lateRecordsDropped;
    } catch (err) {
      oracleError = `the ${ORACLE_ENGINE} run failed: ${(err as Error).message}`;
    }

    for (const engineName of spec.engines) {
      const engine = engineTable[engineName];
      if (engine === undefined) throw new Error(`unknown engine '${engineName}'`);
      const base = { engine: engineName, workload: workloadName, parallelism: spec.parallelism };
      if (expected === undefined) {
        record({
          ...base,
          status: 'failed',
          expectedRecords: 0,
          gotRecords: 0,
          lateRecordsDropped: { expected: 0, got: 0 },
          elapsedMs: 0,
          differences: [],
          error: oracleError,
        });
        continue;
      }
      const expectedRecords = total(expected);
      let run: CollectedRun;
      try {
        run = await collectRun(engine, workload, input, {
          parallelism: spec.parallelism,
          engineValues: effectiveOptions(engine.name, engine.options, given),
          workloadValues: values,
          timeoutMs,
          time: spec.time,
          ...(spec.deployment && spec.deployment !== 'local' ? { deployment: spec.deployment, workloadName } : {}),
          ...(spec.cluster ? { cluster: spec.cluster } : {}),
        });
      } catch (err) {
        if (isUsageError(err)) throw err; // the engine rejects this dataflow or these options
        record({
          ...base,
          status: 'failed',
          expectedRecords,
          gotRecords: 0,
          lateRecordsDropped: { expected: expectedLate, got: 0 },
          elapsedMs: 0,
          differences: [],
          error: (err as Error).message,
        });
        continue;
      }
      const got = comparable(workload, values, run);
      const differences: SinkDifference[] = [];
      for (const sink of new Set([...Object.keys(expected), ...Object.keys(got)])) {
        const d = diffRecords(sink, expected[sink] ?? [], got[sink] ?? []);
        if (d !== undefined) differences.push(d);
      }
      record({
        ...base,
        status: differences.length === 0 ? 'agree' : 'differ',
        expectedRecords,
        gotRecords: total(got),
        lateRecordsDropped: { expected: expectedLate, got: run.lateRecordsDropped },
        elapsedMs: run.elapsedMs,
        differences,
      });
    }
  }
  return { ok: cases.every((c) => c.status === 'agree'), events: spec.events, seed: spec.seed, parallelism: spec.parallelism, cases };
}

const STATUS_LABEL: Record<VerifyStatus, string> = { agree: 'ok', differ: 'DIFFER', failed: 'FAILED' };

/** One case as text: a status line, then (for a difference or a failure) a few lines saying what. */
export function formatVerifyCase(c: VerifyCase, widths = { engine: 10, workload: 12 }): string[] {
  const head = `${STATUS_LABEL[c.status].padEnd(7)}${c.engine.padEnd(widths.engine + 2)}${c.workload.padEnd(widths.workload + 2)}`;
  if (c.status === 'failed') return [`${head}${c.error ?? 'failed'}`];
  const late =
    c.lateRecordsDropped.expected === c.lateRecordsDropped.got
      ? ''
      : `, late records dropped: ${c.lateRecordsDropped.got} (reference ${c.lateRecordsDropped.expected})`;
  const lines = [
    `${head}${c.gotRecords} records${c.status === 'differ' ? ` (reference: ${c.expectedRecords})` : ''}${late}, ${(c.elapsedMs / 1000).toFixed(2)} s`,
  ];
  for (const d of c.differences) lines.push(...describeDifference(d));
  return lines;
}

export function formatVerifyReport(report: VerifyReport): string {
  const widths = {
    engine: Math.max(6, ...report.cases.map((c) => c.engine.length)),
    workload: Math.max(8, ...report.cases.map((c) => c.workload.length)),
  };
  const lines = report.cases.flatMap((c) => formatVerifyCase(c, widths));
  const differ = report.cases.filter((c) => c.status === 'differ').length;
  const failed = report.cases.filter((c) => c.status === 'failed').length;
  lines.push(
    report.ok
      ? `all ${report.cases.length} agree with the reference engine (${report.events} events per workload, seed ${report.seed}, parallelism ${report.parallelism})`
      : `${differ} of ${report.cases.length} differ from the reference engine, ${failed} failed (${report.events} events per workload, seed ${report.seed}, parallelism ${report.parallelism})`,
  );
  return lines.join('\n');
}
