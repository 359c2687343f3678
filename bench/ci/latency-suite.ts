/**
 * The gate's fixed-rate latency suite, beside the unthrottled throughput suite (suite.ts): every engine,
 * spark included, at an offered rate each sustains, so that event-time latency is the engine's own and
 * not the generator's backlog. Rates, batch interval and duration were chosen by measurement on the
 * project's 2-core VM (bench/ci/README.md, "The latency suite").
 */
import { engines } from '../../engines/index.js';
import { REFERENCE } from './suite.js';

export interface LatencyRun {
  workload: string;
  /** Offered load, events/s. */
  rate: number;
}

export const LATENCY_SUITE = {
  /**
   * One `streamarena run` per workload, since the rates differ. wordcount at 200 events/s: storm's default
   * windowing (every tuple of a window held and anchored to its result) kept up at 250 events/s and fell
   * behind at 500 (its p50 grew from 1.3 s to 2.4 s in 2 s), so 200 leaves it a margin; the other engines
   * run far below capacity there. stateless at 2000 events/s: every engine sustains 5000 here, and the
   * higher rate fills the histograms (about 650 outputs per second).
   */
  runs: [
    { workload: 'wordcount', rate: 200 },
    { workload: 'stateless', rate: 2000 },
  ] as readonly LatencyRun[],
  /**
   * spark's batch interval 250 ms: four batches per 1 s wordcount window and six per trial, so its
   * latency is a distribution over batches rather than one or two samples of a 1 s batch.
   */
  options: ['spark.batchInterval=250ms'],
  /** 1.5 s: six spark batches, about 1000 outputs per trial of each per-event engine, and the suite in about 1.5 min. */
  duration: '1500ms',
  warmup: '300ms',
  trials: 3,
  baselineTrials: 10,
} as const;

/** Every registered engine, the reference first (it normalizes the per-event engines). */
export function latencySuiteEngines(): string[] {
  return [REFERENCE, ...Object.keys(engines).filter((e) => e !== REFERENCE)];
}

/** The arguments of `streamarena run` for one workload of the latency suite. */
export function latencyRunArgs(run: LatencyRun, engineNames: readonly string[], trials: number, outDir: string): string[] {
  return [
    'run',
    '-e',
    engineNames.join(','),
    '-w',
    run.workload,
    '-r',
    String(run.rate),
    ...LATENCY_SUITE.options.flatMap((o) => ['-o', o]),
    '-d',
    LATENCY_SUITE.duration,
    '--warmup',
    LATENCY_SUITE.warmup,
    '-t',
    String(trials),
    '--no-report',
    '--out',
    outDir,
  ];
}
