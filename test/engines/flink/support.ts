/**
 * Helpers of the flink engine's tests: a seeded PRNG, input generators, and a stepped run on a
 * ManualClock (events appended a few at a time while time advances in small steps), so that periodic
 * watermarks, the output flusher and checkpoints happen at deterministic points of the input.
 */
import type { Dataflow, OptionValues } from '../../../engines/api/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { flinkOptions, startFlinkJob, type CompletedCheckpoint, type JobMaster } from '../../../engines/flink/index.js';
import { EventLog } from '../../../bench/driver/index.js';
import { LateRecordCounter } from '../../../bench/metrics/index.js';
import { CollectingSinks, type SinkRecord } from '../../support/run-bounded.js';
import { prng } from '../../support/prng.js';
export { prng };


export interface Ev {
  t: number;
  k: string;
  n: number;
  words: string[];
}

/**
 * Events with times increasing by random steps and going back at most `jitter` (< maxDelay keeps every
 * record strictly inside the out-of-orderness bound: nothing late, nothing exactly at the bound).
 */
export function events(seed: number, count: number, opts: { step?: number; jitter?: number; keys?: number } = {}): Ev[] {
  const r = prng(seed);
  const step = opts.step ?? 10;
  const jitter = opts.jitter ?? 0;
  const keys = opts.keys ?? 7;
  const vocab = ['ba', 'be', 'bi', 'Ba', 'ca', 'cu', 'da', 'do', 'fe', 'fo'];
  const out: Ev[] = [];
  let clock = 1000;
  for (let i = 0; i < count; i++) {
    clock += r.int(step + 1);
    const words: string[] = [];
    for (let j = r.int(4); j > 0; j--) words.push(r.pick(vocab));
    out.push({ t: clock - r.int(jitter + 1), k: `k${r.int(keys)}`, n: r.int(100), words });
  }
  return out;
}

export function flinkValues(values: Record<string, unknown> = {}): OptionValues {
  const v: Record<string, unknown> = {};
  for (const o of flinkOptions) v[o.key] = o.default;
  return { ...v, ...values } as OptionValues;
}

export interface SteppedRun {
  sinks: Record<string, SinkRecord[]>;
  late: LateRecordCounter;
  job: JobMaster;
  log: EventLog;
  clock: ManualClock;
  completed: CompletedCheckpoint[];
}

export interface SteppedOptions {
  parallelism?: number;
  values?: Record<string, unknown>;
  /** Events appended per step (default 20). */
  perStep?: number;
  /** Clock ms per step (default 5). */
  stepMs?: number;
  /** Close the log at the end (default true). */
  close?: boolean;
  restoreFrom?: CompletedCheckpoint;
  /** Reuse this log and clock (recovery tests). */
  log?: EventLog;
  clock?: ManualClock;
  /** Append nothing (the log already holds the input). */
  appendNothing?: boolean;
  /** The log partition of input `k` (default k % parallelism). */
  partition?: (k: number) => number;
}

/** Runs `flow` on the flink engine over `input`, stepping a ManualClock; resolves once drained. */
export async function runStepped(flow: Dataflow, input: readonly unknown[], opts: SteppedOptions = {}): Promise<SteppedRun> {
  const parallelism = opts.parallelism ?? 1;
  const clock = opts.clock ?? new ManualClock(1_000_000);
  const log = opts.log ?? new EventLog(parallelism, clock);
  const sinks = new CollectingSinks(flow);
  const late = new LateRecordCounter();
  const completed: CompletedCheckpoint[] = [];
  const job = startFlinkJob(flow, { log, sinks, clock, metrics: late }, { parallelism, values: flinkValues(opts.values) },
    opts.restoreFrom ? { restoreFrom: opts.restoreFrom } : {});
  job.coordinator.onCompleted = (c) => completed.push(c);
  const perStep = opts.perStep ?? 20;
  const stepMs = opts.stepMs ?? 5;
  if (!opts.appendNothing) {
    for (let k = 0; k < input.length;) {
      for (let i = 0; i < perStep && k < input.length; i++, k++) log.append(opts.partition ? opts.partition(k) : k % parallelism, input[k], k);
      log.publish();
      clock.advance(stepMs);
    }
  }
  if (opts.close ?? true) {
    log.close();
    for (let i = 0; i < 100_000 && job.scheduler.liveTasks > 0 && job.scheduler.error === undefined; i++) clock.advance(stepMs);
    await job.drained();
  }
  return { sinks: sinks.records, late, job, log, clock, completed };
}
