/**
 * Spark's own guidance on the batch interval: a streaming job is stable only while a batch is processed
 * faster than the interval. Our spark engine runs wordcount at a fixed rate at several intervals; the
 * sweep's verdict (backlog and latency growth) must agree with the guidance's rule at every interval.
 */
import { mean } from 'simple-statistics';
import type { RunResult } from '../../../reports/schema.js';
import { engineStatsOf } from '../../../reports/schema.js';
import { judge } from '../../sweep/index.js';
import type { CheckOutcome, FidelityCheck } from '../check.js';
import { SPARK_BATCH_GUIDANCE } from '../published.js';
import { formatMs } from '../../../reports/format/index.js';

const INTERVALS_MS = [50, 100, 200, 500, 1000];
/** The fixed rate, as a fraction of spark's unthrottled input rate at 1 s batches. */
const LOAD = 0.5;
const WARMUP_MS = 2000;
const DURATION_MS = 6000;

export const sparkBatchInterval: FidelityCheck = {
  id: 'spark-batch-interval',
  title: "Spark's batch interval: stable while processing time < interval",
  source: SPARK_BATCH_GUIDANCE.source,
  engines: ['spark'],
  conditions: () =>
    `spark on wordcount at ${LOAD}x its unthrottled input rate at 1 s batches, spark.batchInterval = ${INTERVALS_MS.join(', ')} ms; ${DURATION_MS / 1000} s trials after ${WARMUP_MS / 1000} s warm-up`,
  criterion: () =>
    'at every interval the run keeps up (no growing backlog or latency, the sweep verdict) exactly when the mean batch processing time is below the interval',
  estimateMs: () => 6000 + INTERVALS_MS.length * (WARMUP_MS + DURATION_MS + 3000),

  async run(trials): Promise<CheckOutcome> {
    const capacity = await trials.capacity('spark', 'wordcount', { 'spark.batchInterval': 1000 }, 4000);
    const rate = Math.max(100, Math.round(capacity * LOAD));
    const rows: CheckOutcome['rows'] = [];
    const disagreements: string[] = [];
    const stable: number[] = [];
    for (const interval of INTERVALS_MS) {
      const run = await trials.run({
        engine: 'spark',
        workload: 'wordcount',
        rate,
        warmupMs: WARMUP_MS,
        durationMs: DURATION_MS,
        options: { 'spark.batchInterval': interval },
        sampleIntervalMs: 250,
      });
      const processing = meanProcessingMs(run);
      const verdict = judge(run.timeseries, rate);
      const rule = processing < interval;
      const ok = rule === verdict.sustained;
      if (verdict.sustained) stable.push(interval);
      if (!ok)
        disagreements.push(`${interval} ms: processing ${formatMs(processing)} yet ${verdict.sustained ? 'kept up' : 'fell behind'}`);
      rows.push({
        label: `${interval} ms batches at ${rate} ev/s`,
        published: rule ? 'stable (processing < interval)' : 'unstable (processing >= interval)',
        ours: `${verdict.sustained ? 'kept up' : 'fell behind'}: mean processing ${formatMs(processing)}, ${verdict.reason}`,
        holds: ok,
      });
    }
    const smallest = stable.length > 0 ? `smallest stable interval ${Math.min(...stable)} ms` : 'no interval was stable';
    return {
      rows,
      holds: disagreements.length === 0,
      finding: disagreements.length === 0 ? smallest : `${smallest}; disagreements: ${disagreements.join('; ')}`,
    };
  },
};

/** Mean processing delay of the batches after the warm-up (ms): the mean, as a queue grows when it exceeds the interval. */
function meanProcessingMs(run: RunResult): number {
  const batches = engineStatsOf(run, 'spark')?.batches ?? [];
  if (batches.length === 0) return Number.NaN;
  const from = batches[0].time + WARMUP_MS;
  const measured = batches.filter((b) => b.time >= from);
  return mean((measured.length > 0 ? measured : batches).map((b) => b.processingDelayMs));
}
