/**
 * Test support for the spark engine: a seeded PRNG, a virtual-time bounded runner (ManualClock: batch and
 * block timers fire in simulated time, tasks take none, so runs of many batches are fast and
 * deterministic), and the comparison with the reference engine.
 */
import { expect } from 'vitest';
import type { Dataflow, Engine, OptionValues, SinkSet, SinkWriter } from '../../../engines/api/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { referenceEngine } from '../../../engines/reference/index.js';
import { EventLog } from '../../../bench/driver/index.js';
import { LateRecordCounter } from '../../../bench/metrics/index.js';
import { runBounded, sortedValues, type BoundedRun, type SinkRecord } from '../../support/run-bounded.js';
import { prng } from '../../support/prng.js';

export { prng };

class CollectingSinks implements SinkSet {
  readonly records: Record<string, SinkRecord[]> = {};
  /** Sink name -> the virtual time of each write. */
  readonly writeTimes: Record<string, number[]> = {};
  constructor(flow: Dataflow, private readonly clock: ManualClock) {
    for (const s of flow.sinks) {
      this.records[s.name] = [];
      this.writeTimes[s.name] = [];
    }
  }
  get(name: string): SinkWriter {
    const list = this.records[name];
    if (!list) throw new Error(`no sink named ${name}`);
    return {
      write: (value, emitTime, ingestTime) => {
        list.push({ value, emitTime, ingestTime });
        this.writeTimes[name].push(this.clock.now());
      },
    };
  }
}

export interface VirtualRunOptions {
  parallelism?: number;
  values?: OptionValues;
  /** Log timestamp of each event; default its index. */
  timestamps?: readonly number[];
  /** Virtual start time (ms). */
  startMs?: number;
}

export interface VirtualRun extends BoundedRun {
  /** Virtual time when the run drained (ms since start). */
  elapsedMs: number;
  log: EventLog;
  /** Sink name -> virtual time (ms since epoch) of each write, in write order. */
  writeTimes: Record<string, number[]>;
}

/**
 * Runs `flow` on `engine` over a closed log in virtual time: deferred work runs, then the clock jumps to
 * the next timer, until the job drains.
 */
export async function runVirtual(engine: Engine, flow: Dataflow, events: readonly unknown[], opts: VirtualRunOptions = {}): Promise<VirtualRun> {
  const parallelism = opts.parallelism ?? 1;
  const start = opts.startMs ?? 1_000_000;
  const clock = new ManualClock(start);
  const log = new EventLog(parallelism, clock);
  events.forEach((value, k) => log.append(k % parallelism, value, opts.timestamps?.[k] ?? k));
  log.close();
  const sinks = new CollectingSinks(flow, clock);
  const late = new LateRecordCounter();
  const values: Record<string, unknown> = {};
  for (const o of engine.options) values[o.key] = o.default;
  Object.assign(values, opts.values);
  const job = await engine.start(flow, { log, sinks, clock, metrics: late }, { parallelism, values: values as OptionValues });
  let drained = false;
  let failure: unknown;
  job.drained().then(() => (drained = true), (e) => (failure = e));
  for (let steps = 0; !drained; steps++) {
    clock.runDeferred();
    await Promise.resolve();
    if (failure) throw failure;
    if (drained) break;
    const next = clock.nextTimerAt;
    if (next === Infinity) throw new Error('virtual run is stuck: no timer pending and not drained');
    if (steps > 200_000) throw new Error('virtual run did not drain');
    clock.set(next);
  }
  return { sinks: sinks.records, late, stats: job.stats(), elapsedMs: clock.now() - start, log, writeTimes: sinks.writeTimes };
}

export interface EngineCase {
  label: string;
  values: OptionValues;
  /** Run on the system clock (runBounded) instead of virtual time. */
  realTime?: boolean;
}

/** Every sink of `flow` on spark equals the reference engine's, at each parallelism and configuration. */
export async function expectSameAsReference(engine: Engine, flow: Dataflow, events: readonly unknown[], cases: readonly EngineCase[],
  parallelisms: readonly number[] = [1, 3], opts: { minBatches?: number; timestamps?: number[] } = {}): Promise<void> {
  for (const parallelism of parallelisms) {
    const ref = await runBounded(referenceEngine, flow, events, { parallelism, timestamps: opts.timestamps });
    for (const c of cases) {
      const r = c.realTime
        ? await runBounded(engine, flow, events, { parallelism, values: c.values, timestamps: opts.timestamps })
        : await runVirtual(engine, flow, events, { parallelism, values: c.values, timestamps: opts.timestamps });
      for (const sink of flow.sinks) {
        expect(sortedValues(r.sinks[sink.name]), `${c.label}, p=${parallelism}, sink ${sink.name}`).toEqual(sortedValues(ref.sinks[sink.name]));
      }
      expect(r.late.total, `${c.label}, p=${parallelism}: late records`).toBe(ref.late.total);
      if (opts.minBatches !== undefined) {
        expect(r.stats.batchesTotal as number, `${c.label}, p=${parallelism}: batches`).toBeGreaterThanOrEqual(opts.minBatches);
      }
    }
  }
}
