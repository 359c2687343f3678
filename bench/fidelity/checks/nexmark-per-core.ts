/**
 * Nexmark on Flink: throughput per core of each query. Our machine is not theirs, so the shape compared is
 * each query's cost relative to the pass-through q0 (q0 / qN), not the absolute figure.
 */
import { median } from 'simple-statistics';
import { formatRate } from '../../../reports/format/index.js';
import type { CheckOutcome, FidelityCheck } from '../check.js';
import { NEXMARK_FLINK } from '../published.js';
import { perCpuSecond, ratio } from './figures.js';

const QUERIES = Object.keys(NEXMARK_FLINK.perCore) as (keyof typeof NEXMARK_FLINK.perCore)[];
const TRIALS = 2;
const WARMUP_MS = 1000;
const DURATION_MS = 3000;
/** Our ratio may differ from the published one by this factor either way. */
const TOLERANCE = 2;

export const nexmarkPerCore: FidelityCheck = {
  id: 'nexmark-per-core',
  title: 'Nexmark on Flink: throughput per core, relative to q0',
  source: NEXMARK_FLINK.source,
  engines: ['flink'],
  conditions: () =>
    `flink at --rate max on ${QUERIES.join(', ')}; events read per CPU-second of the trial process over the measured window, median of ${TRIALS} trials of ${DURATION_MS / 1000} s`,
  criterion: () =>
    `for every query, q0/qN per core within ${1 / TOLERANCE}x-${TOLERANCE}x of the published q0/qN (published q0/q5 7.0, q0/q7 12.6, q0/q11 3.9)`,
  estimateMs: () => QUERIES.length * TRIALS * (WARMUP_MS + DURATION_MS + 2000),

  async run(trials): Promise<CheckOutcome> {
    const ours = new Map<string, number>();
    for (let t = 0; t < TRIALS; t++) {
      for (const q of QUERIES) {
        const run = await trials.run({ engine: 'flink', workload: q, rate: 'max', warmupMs: WARMUP_MS, durationMs: DURATION_MS });
        ours.set(`${q}#${t}`, perCpuSecond(run));
      }
    }
    const perCore = new Map(QUERIES.map((q) => [q, median(Array.from({ length: TRIALS }, (_, t) => ours.get(`${q}#${t}`)!))]));
    const q0 = perCore.get('nexmark-q0')!;
    const rows: CheckOutcome['rows'] = [];
    const findings: string[] = [];
    let holds = true;
    for (const q of QUERIES) {
      const published = NEXMARK_FLINK.perCore[q];
      const publishedRatio = NEXMARK_FLINK.perCore['nexmark-q0'] / published;
      const ourRatio = q0 / perCore.get(q)!;
      const within = ourRatio / publishedRatio;
      const ok = within >= 1 / TOLERANCE && within <= TOLERANCE;
      holds &&= ok;
      if (!ok) findings.push(`${q}: q0/${q.slice(8)} ${ratio(ourRatio)} against ${ratio(publishedRatio)} published`);
      rows.push({
        label: q,
        published: `${formatRate(published)} ev/s per core, q0/${q.slice(8)} ${ratio(publishedRatio)}`,
        ours: `${formatRate(perCore.get(q)!)} ev/s per core, q0/${q.slice(8)} ${ratio(ourRatio)}`,
        holds: ok,
      });
    }
    return { rows, holds, ...(findings.length > 0 ? { finding: findings.join('; ') } : {}) };
  },
};
