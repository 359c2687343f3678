import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../../bench/cli/summary.js';
import type { RunResult } from '../../../reports/schema.js';
import { fakeResults, fakeRun } from '../../reports/compare/fake-results.js';

function ysbRun(engine: string, trial: number, p50: number, p99: number, windows = 100): RunResult {
  return {
    ...fakeRun(engine, 'ysb', trial),
    workloadStats: {
      sinkMode: 'flush',
      ysbLatency: { windows, updates: windows * 3, truncated: 100, p50, p90: p99, p99, max: p99 + 1, mean: p50 },
    },
  };
}

describe('formatSummary', () => {
  it("prints YSB's own latency per engine, medians over trials", () => {
    const text = formatSummary(
      fakeResults([ysbRun('flink', 1, 150, 160), ysbRun('flink', 2, 170, 190), ysbRun('flink', 3, 900, 950), ysbRun('spark', 1, 40, 1030)]),
    );
    const lines = text.split('\n');
    const header = lines.findIndex((l) => l.startsWith("YSB's latency"));
    expect(header).toBeGreaterThan(0);
    const flink = lines.slice(header).find((l) => l.startsWith('flink'))!;
    expect(flink.split(/\s+/)).toEqual(['flink', 'flush', '100', '170', 'ms', '190', 'ms', '191', 'ms', '100']);
    expect(lines.slice(header).find((l) => l.startsWith('spark'))).toMatch(/^spark\s+flush\s+100\s+40(\.0)? ms\s+1030 ms/);
  });

  it('leaves the YSB table out when no ysb trial sampled a closed window', () => {
    expect(formatSummary(fakeResults([ysbRun('flink', 1, 0, 0, 0), fakeRun('flink', 'wordcount', 1)]))).not.toContain("YSB's latency");
  });

  it('says how many socket lines were not events of the workload, with the first reason', () => {
    const socketRun = (trial: number, rejectedLines: number): RunResult => {
      const r = fakeRun('storm', 'stateless', trial);
      return {
        ...r,
        input: {
          ...r.input,
          source: 'socket',
          address: 'tcp://127.0.0.1:7777',
          rejectedLines,
          ...(rejectedLines > 0 ? { firstRejection: 'line 3: not valid JSON (Unexpected token)' } : {}),
        },
      };
    };
    const text = formatSummary(fakeResults([socketRun(1, 2), socketRun(2, 0), socketRun(3, 5)]));
    expect(text).toContain(
      'REJECTED LINES storm x stateless: 2, 5 line(s) from tcp://127.0.0.1:7777 in 2 of 3 trials were not stateless events (first: line 3: not valid JSON (Unexpected token))',
    );
    expect(formatSummary(fakeResults([socketRun(1, 0)]))).not.toContain('REJECTED');
  });
});
