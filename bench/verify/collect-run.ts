/**
 * One engine over one bounded input, in this process: the workload's session (setup hooks included), a
 * closed event log with event k in partition k % parallelism, every sink record collected. A run that does
 * not finish within the timeout is stopped and reported as such.
 */
import type { Engine, OptionValues, SinkSet } from '../../engines/api/index.js';
import { systemClock } from '../../engines/runtime/index.js';
import { startWorkloadSession, withSinkEffects, type Workload } from '../../workloads/index.js';
import { EventLog } from '../driver/index.js';
import { LateRecordCounter } from '../metrics/index.js';
import type { BoundedInput } from './bounded-input.js';

export interface CollectedRun {
  /** Sink name -> record values in arrival order. */
  readonly sinks: Record<string, unknown[]>;
  readonly lateRecordsDropped: number;
  readonly elapsedMs: number;
}

export interface CollectOptions {
  readonly parallelism: number;
  readonly engineValues: OptionValues;
  readonly workloadValues: OptionValues;
  readonly timeoutMs: number;
}

export async function collectRun(engine: Engine, workload: Workload, input: BoundedInput, opts: CollectOptions): Promise<CollectedRun> {
  const clock = systemClock;
  const started = clock.now();
  const session = await startWorkloadSession(workload, opts.workloadValues, { clock });
  try {
    const flow = session.dataflow;
    const log = new EventLog(opts.parallelism, clock);
    input.values.forEach((v, k) => log.append(k % opts.parallelism, v, input.timestamps[k]));
    log.close();
    const records: Record<string, unknown[]> = {};
    for (const s of flow.sinks) records[s.name] = [];
    const collecting: SinkSet = {
      get(name) {
        const list = records[name];
        if (list === undefined) throw new Error(`no sink named '${name}'`);
        return { write: (value) => list.push(value) };
      },
    };
    const late = new LateRecordCounter();
    const job = await engine.start(flow, { log, sinks: withSinkEffects(collecting, session), clock, metrics: late },
      { parallelism: opts.parallelism, values: opts.engineValues });
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      job.drained().then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), opts.timeoutMs))),
    ]).finally(() => clearTimeout(timer));
    if (!finished) {
      await job.stop();
      throw new Error(`did not finish within ${opts.timeoutMs >= 1000 ? `${opts.timeoutMs / 1000} s` : `${opts.timeoutMs} ms`} (${input.values.length} events)`);
    }
    return { sinks: records, lateRecordsDropped: late.total, elapsedMs: clock.now() - started };
  } finally {
    await session.teardown();
  }
}
