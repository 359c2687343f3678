import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../../bench/cli/summary.js';
import { formatFaultTable } from '../../../reports/format/index.js';
import { renderReport } from '../../../reports/html/index.js';
import { asResultsFile, type FaultResult, type RunResult } from '../../../reports/schema.js';
import { fakeResults, fakeRun } from '../compare/fake-results.js';

function fault(over: Partial<FaultResult>): FaultResult {
  return {
    spec: 'kill-worker:0@5000ms',
    kind: 'kill-worker',
    target: '0',
    atMs: 5000,
    detectedMs: 6000,
    restartedMs: 6000,
    recoveredMs: 9000,
    maxLatencyMs: 3000,
    preFaultP99Ms: 40,
    lostRecords: 0,
    duplicateRecords: 12,
    changedRecords: 0,
    guarantee: 'at-least-once',
    promised: 'at-least-once',
    promisedBecause: 'acked tuple trees',
    ...over,
  };
}

function runWith(faults: FaultResult[], engine = 'storm'): RunResult {
  const run = fakeRun(engine, 'wordcount', 1, { noLatency: true });
  run.timeseries = Array.from({ length: 12 }, (_, i) => ({
    t: i + 1,
    phase: 'measure' as const,
    inputEventsPerSec: i === 5 ? 0 : 20_000,
    outputRecordsPerSec: 100,
    backlog: 0,
    latency: { p50: 5, p99: 10, max: 20 },
    heapUsedBytes: 1,
    rssBytes: 1,
    cpuPercent: 50,
  }));
  run.faults = faults;
  run.faultEvents = [{ fault: 0, type: 'injected', timeMs: 5000 }];
  return run;
}

describe('faults in the summary and the report', () => {
  it('a table of engine x fault x guarantee, a broken promise marked', () => {
    const kept = runWith([fault({})]);
    const broken = runWith([fault({ lostRecords: 3, guarantee: 'at-most-once' })], 'flink');
    const text = formatFaultTable([kept, broken]) ?? '';
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Faults/);
    expect(lines.find((l) => l.startsWith('storm'))).toMatch(
      /kill-worker:0@5000ms \(hit 0\)\s+6\.00 s\s+6\.00 s\s+9\.00 s\s+3000 ms\s+0\s+12\s+0\s+at-least-once\s+at-least-once$/,
    );
    expect(lines.find((l) => l.startsWith('flink'))).toMatch(/at-most-once\s+at-least-once BROKEN$/);
    expect(formatSummary(fakeResults([kept]))).toContain('kill-worker:0@5000ms (hit 0)');
    expect(formatFaultTable([fakeRun('storm', 'wordcount', 1)])).toBeUndefined();
  });

  it('draws each faulty trial with the fault marked and the recovery shaded, and a results file keeps its faults', () => {
    const results = fakeResults([runWith([fault({})])]);
    const page = renderReport({ sources: [{ label: 'r.json', results }] });
    expect(page).toContain('<section id="faults"><h2>Faults and recovery</h2>');
    expect(page).toContain('storm x wordcount, trial 1: kill-worker:0@5000ms');
    expect(page).toMatch(/"from":5,"to":5\.05,"label":"kill-worker:0@5000ms"/);
    expect(page).toMatch(/"from":5\.05,"to":9,"label":"recovery"/);
    const read = asResultsFile(JSON.parse(JSON.stringify(results)), 'r.json');
    expect((read.runs[0] as RunResult).faults).toEqual(results.runs[0] && (results.runs[0] as RunResult).faults);
    expect((read.runs[0] as RunResult).faultEvents).toEqual([{ fault: 0, type: 'injected', timeMs: 5000 }]);
    // A results file without faults has no such section.
    expect(
      renderReport({ sources: [{ label: 'r.json', results: fakeResults([fakeRun('storm', 'wordcount', 1, { noLatency: true })]) }] }),
    ).not.toContain('id="faults"');
  });
});
