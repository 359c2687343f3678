/**
 * Helpers of the flink engine's tests: a seeded PRNG, input generators, and a stepped run on a
 * ManualClock (the shared harness's `stepped` drive) (events appended a few at a time while time advances in small steps), so that periodic
 * watermarks, the output flusher and checkpoints happen at deterministic points of the input.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { withDefaults, type Dataflow, type OptionValue, type OptionValues } from '../../../engines/api/index.js';
import { ManualClock } from '../../../engines/runtime/index.js';
import { flinkEngine, flinkOptions, startFlinkJob, type CompletedCheckpoint, type JobMaster } from '../../../engines/flink/index.js';
import type { EventLog } from '../../../bench/driver/index.js';
import type { LateRecordCounter } from '../../../bench/metrics/index.js';
import { driveUntilDrained, startBounded, VIRTUAL_START_MS, type SinkRecord } from '../../support/run-bounded.js';
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

/**
 * Checkpoint directories for a test file (`flink.checkpointDir`, whose latest checkpoint outlives the
 * job, so that a second job can restore from it): each call makes a new one; all are removed after the file.
 */
export function useCheckpointDirs(): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamarena-test-checkpoints-'));
    made.push(dir);
    return dir;
  };
}

export function flinkValues(values: Readonly<Record<string, OptionValue | undefined>> = {}): OptionValues {
  return withDefaults(flinkOptions, values);
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
  values?: Readonly<Record<string, OptionValue | undefined>>;
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
  /** Called with the job as soon as it is deployed, before any input (tests that watch its parts). */
  onStarted?: (job: JobMaster) => void;
}

/**
 * Runs `flow` on the flink engine over `input` on the shared harness's `stepped` drive: events arrive
 * `perStep` at a time while a ManualClock advances `stepMs`; resolves once drained (or, with `close:
 * false`, once the input is in).
 */
export async function runStepped(flow: Dataflow, input: readonly unknown[], opts: SteppedOptions = {}): Promise<SteppedRun> {
  const clock = opts.clock ?? new ManualClock(VIRTUAL_START_MS);
  const completed: CompletedCheckpoint[] = [];
  const drive = { kind: 'stepped', stepMs: opts.stepMs ?? 5 } as const;
  const { job, log, sinks, late } = await startBounded(flinkEngine, flow, opts.appendNothing ? [] : input, {
    parallelism: opts.parallelism,
    values: opts.values,
    partition: opts.partition,
    drive,
    clock,
    eventsPerStep: opts.perStep ?? 20,
    log: opts.log,
    close: opts.close ?? true,
    start: (f, io, engineOpts) => {
      const master = startFlinkJob(f, io, engineOpts, opts.restoreFrom ? { restoreFrom: opts.restoreFrom } : {});
      master.coordinator.onCompleted = (c) => completed.push(c);
      opts.onStarted?.(master);
      return master;
    },
  });
  if (opts.close ?? true) await driveUntilDrained(job, drive, clock, input.length);
  return { sinks: sinks.records, late, job, log, clock, completed };
}
