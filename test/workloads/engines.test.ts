/**
 * Every workload on every registered engine, at parallelism 1 and 3, through `streamarena verify`'s
 * library: the same bounded seeded input as the reference engine, the same sink records. On virtual time
 * (a ManualClock driven from timer to timer): a micro-batch engine's batch intervals cost no waiting, and a
 * busy machine cannot make a case time out.
 */
import { describe, expect, it } from 'vitest';
import { engines } from '../../engines/index.js';
import { workloads } from '../../workloads/index.js';
import { formatVerifyReport, verify } from '../../bench/verify/index.js';

const ALL_WORKLOADS = Object.keys(workloads);
/** 12 s of event time at verify's 1000 events/s: two 10 s windows and a partial one. */
const EVENTS = 12_000;
/** Each case runs every engine over every workload: about a minute on a quiet 2-core machine, more on a busy one. */
const MATRIX_TIMEOUT_MS = 300_000;

describe('every workload agrees with the reference engine on every engine', () => {
  // One verify per parallelism over every engine: the reference output of each workload is computed once.
  for (const parallelism of [1, 3]) {
    it(
      `every engine, parallelism ${parallelism}`,
      async () => {
        const names = Object.keys(engines);
        const report = await verify({
          engines: names,
          workloads: ALL_WORKLOADS,
          events: EVENTS,
          seed: 11,
          parallelism,
          time: 'virtual',
        });
        expect(report.cases).toHaveLength(ALL_WORKLOADS.length * names.length);
        expect(report.ok, formatVerifyReport(report)).toBe(true);
      },
      MATRIX_TIMEOUT_MS,
    );
  }

  it(
    'also out of order: Nexmark events delayed within the watermark bound, YSB skewed (every engine, parallelism 3)',
    async () => {
      const options: Record<string, number | boolean> = { 'ysb.withSkew': true };
      for (const q of ['nexmark-q3', 'nexmark-q5', 'nexmark-q7', 'nexmark-q8', 'nexmark-q11']) {
        options[`${q}.occasionalDelay`] = 2000;
        options[`${q}.probDelayedEvent`] = 0.2;
      }
      const report = await verify({
        engines: Object.keys(engines),
        workloads: ['ysb', 'nexmark-q3', 'nexmark-q5', 'nexmark-q7', 'nexmark-q8', 'nexmark-q11'],
        events: EVENTS,
        seed: 12,
        parallelism: 3,
        options,
        time: 'virtual',
      });
      expect(report.ok, formatVerifyReport(report)).toBe(true);
    },
    MATRIX_TIMEOUT_MS,
  );
});
