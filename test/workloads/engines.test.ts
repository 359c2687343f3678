/**
 * Every workload on every registered engine, at parallelism 1 and 3, through `streamarena verify`'s
 * library: the same bounded seeded input as the reference engine, the same sink records. The cases run
 * concurrently: most of a micro-batch engine's time is waiting for its batch interval.
 */
import { describe, expect, it } from 'vitest';
import { engines } from '../../engines/index.js';
import { workloads } from '../../workloads/index.js';
import { formatVerifyReport, verify } from '../../bench/verify/index.js';

const ALL_WORKLOADS = Object.keys(workloads);
/** 12 s of event time at verify's 1000 events/s: two 10 s windows and a partial one. */
const EVENTS = 12_000;

/**
 * Storm's windowed bolts hold every tuple and anchor each result to all of them: the acker traffic makes a
 * storm case take tens of seconds (more on a busy machine), so it gets more time, and so do its tuple trees:
 * verify's spouts emit the whole input at once, and a tree older than the message timeout would be replayed
 * (README, `storm`). Their watermark is the largest timestamp per input stream minus the lag; verify's
 * catch-up through parallel tasks reorders tuples by seconds of event time (more on a busy machine), more
 * than the default lag (maxDelay + 1 ms), and Storm drops those as late. At parallelism 3 the storm cases
 * set a lag longer than the input's 12 s of event time, so that windows fire on the final watermark: what
 * they check there is what the windows hold, evaluate, anchor and ack, not that race.
 */
const SLOW_ENGINE_MS = 300_000;
function engineOptions(engine: string, parallelism: number): Record<string, number> {
  if (engine !== 'storm') return {};
  return { 'storm.messageTimeout': SLOW_ENGINE_MS, ...(parallelism > 1 ? { 'storm.windowLag': 60_000 } : {}) };
}
const timeoutFor = (engine: string) => (engine === 'storm' ? SLOW_ENGINE_MS : undefined);

describe.concurrent('every workload agrees with the reference engine on every engine', () => {
  for (const parallelism of [1, 3]) {
    for (const engine of Object.keys(engines)) {
      it(`${engine}, parallelism ${parallelism}`, async () => {
        const report = await verify({
          engines: [engine], workloads: ALL_WORKLOADS, events: EVENTS, seed: 11, parallelism,
          options: engineOptions(engine, parallelism), timeoutMs: timeoutFor(engine),
        });
        expect(report.cases).toHaveLength(ALL_WORKLOADS.length);
        expect(report.ok, formatVerifyReport(report)).toBe(true);
      }, timeoutFor(engine));
    }
  }

  it('also out of order: Nexmark events delayed within the watermark bound, YSB skewed (every engine, parallelism 3)', async () => {
    const options: Record<string, number | boolean> = { 'ysb.withSkew': true, ...engineOptions('storm', 3) };
    for (const q of ['nexmark-q3', 'nexmark-q5', 'nexmark-q7', 'nexmark-q8', 'nexmark-q11']) {
      options[`${q}.occasionalDelay`] = 2000;
      options[`${q}.probDelayedEvent`] = 0.2;
    }
    const report = await verify({
      engines: Object.keys(engines), workloads: ['ysb', 'nexmark-q3', 'nexmark-q5', 'nexmark-q7', 'nexmark-q8', 'nexmark-q11'],
      events: EVENTS, seed: 12, parallelism: 3, options, timeoutMs: SLOW_ENGINE_MS,
    });
    expect(report.ok, formatVerifyReport(report)).toBe(true);
  }, SLOW_ENGINE_MS);
});
