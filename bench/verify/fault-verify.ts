/**
 * `streamarena verify --fault`: does each engine keep the guarantee its configuration promises when the
 * faults happen? Each engine and workload runs one paced trial in this process (faults need time to happen
 * in), the engine's output is compared with the reference's on the same events, and a case fails when the
 * guarantee observed is weaker than the one promised (exactly-once: nothing lost or duplicated;
 * at-least-once: nothing lost; at-most-once: nothing duplicated).
 */
import type { Deployment, OptionValue } from '../../engines/api/index.js';
import { isUsageError } from '../errors.js';
import { keepsGuarantee, type FaultSpec } from '../faults/index.js';
import { runTrial } from '../runner/index.js';
import type { FaultResult } from '../../reports/schema.js';

export interface FaultVerifySpec {
  readonly engines: readonly string[];
  readonly workloads: readonly string[];
  readonly events: number;
  /** Events per second. */
  readonly rate: number;
  readonly seed: number;
  readonly parallelism: number;
  readonly options: Readonly<Record<string, OptionValue>>;
  readonly faults: readonly FaultSpec[];
  /** Where the engines run (default local): a standalone daemon is killed by a real signal. */
  readonly deployment?: Deployment;
  /** After the last event, how long an engine may take (ms). */
  readonly timeoutMs: number;
  readonly onCase?: (c: FaultVerifyCase) => void;
}

export interface FaultVerifyCase {
  readonly engine: string;
  readonly workload: string;
  /** `kept`: every fault kept the promise; `broken`: one did not; `failed`: the trial failed. */
  readonly status: 'kept' | 'broken' | 'failed';
  readonly faults: readonly FaultResult[];
  readonly error?: string;
}

export interface FaultVerifyReport {
  readonly ok: boolean;
  readonly cases: readonly FaultVerifyCase[];
}

export async function verifyFaults(spec: FaultVerifySpec): Promise<FaultVerifyReport> {
  const cases: FaultVerifyCase[] = [];
  for (const workload of spec.workloads) {
    for (const engine of spec.engines) {
      let c: FaultVerifyCase;
      try {
        const r = await runTrial({
          engine,
          workload,
          trial: 1,
          parallelism: spec.parallelism,
          seed: spec.seed,
          load: { rate: spec.rate, events: spec.events, warmupMs: 0 },
          options: { ...spec.options },
          drainTimeoutMs: spec.timeoutMs,
          faults: spec.faults,
          ...(spec.deployment && spec.deployment !== 'local' ? { deployment: spec.deployment } : {}),
        });
        const faults = r.faults ?? [];
        const kept = r.drained && faults.every((f) => keepsGuarantee(f.promised, f.guarantee));
        c = {
          engine,
          workload,
          status: kept ? 'kept' : 'broken',
          faults,
          ...(r.drained ? {} : { error: 'did not finish within the timeout' }),
        };
      } catch (err) {
        if (isUsageError(err)) throw err;
        c = { engine, workload, status: 'failed', faults: [], error: (err as Error).message };
      }
      cases.push(c);
      spec.onCase?.(c);
    }
  }
  return { ok: cases.every((c) => c.status === 'kept'), cases };
}

const LABEL = { kept: 'ok', broken: 'BROKEN', failed: 'FAILED' } as const;

function seconds(ms: number | null): string {
  return ms === null ? 'never' : `${(ms / 1000).toFixed(2)} s`;
}

/** One case as lines: the verdict, then one line per fault. */
export function formatFaultVerifyCase(c: FaultVerifyCase): string[] {
  const head = `${LABEL[c.status].padEnd(7)}${c.engine.padEnd(10)}${c.workload.padEnd(14)}`;
  if (c.status === 'failed') return [`${head}${c.error ?? 'failed'}`];
  const lines = [`${head}${c.faults.length} fault(s)${c.error ? `; ${c.error}` : ''}`];
  for (const f of c.faults) {
    lines.push(
      `         ${f.spec}: ${f.guarantee} observed, ${f.promised} promised (${f.promisedBecause}); lost ${f.lostRecords}, duplicated ${f.duplicateRecords}, changed ${f.changedRecords}; detected ${seconds(f.detectedMs)}, restarted ${seconds(f.restartedMs)}, recovered ${seconds(f.recoveredMs)}`,
    );
  }
  return lines;
}

export function formatFaultVerifyReport(report: FaultVerifyReport): string {
  const broken = report.cases.filter((c) => c.status === 'broken').length;
  const failed = report.cases.filter((c) => c.status === 'failed').length;
  return report.ok
    ? `all ${report.cases.length} kept the guarantee their configuration promises`
    : `${broken} of ${report.cases.length} broke the guarantee their configuration promises, ${failed} failed`;
}
