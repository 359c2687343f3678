/**
 * Published figures the fidelity checks hold the models against: numbers only, each with where it was
 * read. The facts and their provenance are collected in the project's reference notes
 * (`shared/reference/benchmarks.md`); the percentiles of YSB 2020 were recomputed there from the raw
 * `updated.txt` files with the notebook's own filter.
 */

/** YSB 2020 rerun (yahoo/streaming-benchmarks, `runs/results/<engine>/<rate>/updated.txt`), ms after window close. */
export const YSB_2020 = {
  source:
    'yahoo/streaming-benchmarks runs/results/<engine>/<rate>/updated.txt (2020 rerun: Flink 1.11, Storm 2.2, Spark 3.0 DStreams with 3 s batches; one 72-thread node)',
  /** Offered rates of the runs, events/s. */
  rates: [50_000, 110_000, 170_000],
  /**
   * The load at which Storm without acking saturated on that node (`runs/results_4k`, about 400K ev/s): the
   * scale against which the three rates are fractions (1/8, 0.275, 0.425).
   */
  saturationEventsPerSec: 400_000,
  flushIntervalMs: 1000,
  windowMs: 10_000,
  sparkBatchIntervalMs: 3000,
  /** p50 / p90 / p99 at each of `rates`. */
  latency: {
    flink: [
      { p50: 764, p90: 1057, p99: 1220 },
      { p50: 699, p90: 1147, p99: 1445 },
      { p50: 739, p90: 1120, p99: 1506 },
    ],
    storm: [
      { p50: 517, p90: 920, p99: 1199 },
      { p50: 601, p90: 1034, p99: 1297 },
      { p50: 754, p90: 1147, p99: 1331 },
    ],
    spark: [
      { p50: 389, p90: 2348, p99: 2446 },
      { p50: 2359, p90: 2593, p99: 2754 },
      { p50: 2565, p90: 2696, p99: 2817 },
    ],
  },
  /** `runs/results_chkpt` at 170K ev/s: Storm with 10 ackers, Flink with 1 s checkpoints (p99, ms), against the baseline above. */
  withGuarantees: { stormAckersP99: 1332, stormBaselineP99: 1331, flinkCheckpointsP99: 1494, flinkBaselineP99: 1506 },
} as const;

/** Nexmark on Flink 1.13 (nexmark/nexmark README, GUIDE_V1: throughput per core, events/s). */
export const NEXMARK_FLINK = {
  source: 'nexmark/nexmark README (Flink 1.13, 8 TaskManagers x 1 slot, 100M events per query): throughput per core',
  perCore: {
    'nexmark-q0': 155_020,
    'nexmark-q1': 157_940,
    'nexmark-q2': 175_210,
    'nexmark-q3': 152_120,
    'nexmark-q5': 22_140,
    'nexmark-q7': 12_330,
    'nexmark-q8': 146_140,
    'nexmark-q11': 39_700,
  },
} as const;

/** Spark Streaming programming guide, "Setting the Right Batch Interval". */
export const SPARK_BATCH_GUIDANCE = {
  source: 'Spark Streaming programming guide, "Setting the Right Batch Interval": stable only while batch processing time < batch interval',
} as const;
