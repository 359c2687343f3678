import { describe, expect, it } from 'vitest';
import { CompareInputError, METRICS, parseThresholds, thresholdFor } from '../../../reports/compare/index.js';

const metric = (name: string) => METRICS.find((m) => m.name === name)!;

describe('thresholds', () => {
  it('default 10 %; a bare percentage sets the default', () => {
    expect(thresholdFor(metric('p99'), parseThresholds([]))).toBeCloseTo(0.1, 12);
    expect(thresholdFor(metric('p99'), parseThresholds(['25%']))).toBeCloseTo(0.25, 12);
    expect(thresholdFor(metric('cpu'), parseThresholds(['7.5']))).toBeCloseTo(0.075, 12);
  });

  it('the most specific selector wins: proc-p99 over p99 over proc-latency over latency over the default', () => {
    const t = parseThresholds(['5%', 'latency=30%', 'p99=20%', 'proc-latency=40%']);
    expect(thresholdFor(metric('p99'), t)).toBeCloseTo(0.2, 12);
    expect(thresholdFor(metric('proc-p99'), t)).toBeCloseTo(0.2, 12);
    expect(thresholdFor(metric('proc-p50'), t)).toBeCloseTo(0.4, 12);
    expect(thresholdFor(metric('p50'), t)).toBeCloseTo(0.3, 12);
    expect(thresholdFor(metric('throughput'), t)).toBeCloseTo(0.05, 12);
    expect(thresholdFor(metric('proc-p99'), parseThresholds(['p99=20%', 'proc-p99=50%']))).toBeCloseTo(0.5, 12);
    expect(thresholdFor(metric('heap'), parseThresholds(['memory=60%']))).toBeCloseTo(0.6, 12);
  });

  it('rejects unknown metrics and malformed percentages with a clear message', () => {
    expect(() => parseThresholds(['p98=20%'])).toThrow(CompareInputError);
    expect(() => parseThresholds(['p98=20%'])).toThrow(
      /unknown metric 'p98' \(did you mean p90\?\); known: throughput, p50, p90, p99, p999, proc-p50, proc-p90, proc-p99, proc-p999, cpu, heap, event-latency, latency, proc-latency, memory$/,
    );
    expect(() => parseThresholds(['p99=fast'])).toThrow(/'p99=fast' is not a percentage/);
    expect(() => parseThresholds(['-5%'])).toThrow(/not a percentage/);
    expect(() => parseThresholds(['2000%'])).toThrow(/above 1000%/);
  });
});
