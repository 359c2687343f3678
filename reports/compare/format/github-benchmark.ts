/**
 * `--format github-benchmark`: the current medians in the input format of github-action-benchmark's custom
 * tools, an array of `{name, unit, value, range?, extra?}` (`range` and `extra` are strings). The action
 * takes one direction per step, so one call writes either the bigger-is-better metrics (throughput,
 * `customBiggerIsBetter`) or the smaller-is-better ones (latency, CPU, heap, `customSmallerIsBetter`).
 * The action itself compares with a single previous point and no noise model: let `compare` be the gate
 * and the action draw the charts (`fail-on-alert: false`).
 */
import type { ComparisonReport } from '../compare.js';
import { formatChange } from '../../format/index.js';
import { formatInterval, formatP, formatVerdict } from './cells.js';

export type GithubBenchmarkTool = 'customBiggerIsBetter' | 'customSmallerIsBetter';

export interface GithubBenchmarkEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

export function githubBenchmarkEntries(report: ComparisonReport, tool: GithubBenchmarkTool): GithubBenchmarkEntry[] {
  const direction = tool === 'customBiggerIsBetter' ? 'bigger' : 'smaller';
  return report.rows
    .filter((r) => r.direction === direction)
    .map((r) => {
      const values = r.current.values;
      const halfRange = (Math.max(...values) - Math.min(...values)) / 2;
      return {
        name: `${r.engine}/${r.workload}/${r.metric}`,
        unit: r.unit,
        value: round(r.current.median),
        range: `± ${round(halfRange)}`,
        extra: [
          `${r.label}, median of ${r.current.n} trial${r.current.n === 1 ? '' : 's'}`,
          `baseline ${round(r.baseline.median)} (${r.baseline.n}), change ${formatChange(r.change)} ${formatInterval(r)}, p ${formatP(r)}`,
          `verdict ${formatVerdict(r)}: ${r.reason}`,
        ].join('\n'),
      };
    });
}

export function formatGithubBenchmark(report: ComparisonReport, tool: GithubBenchmarkTool): string {
  return JSON.stringify(githubBenchmarkEntries(report, tool), null, 2);
}

/** Six significant digits: enough for a chart, short in a tooltip. */
function round(v: number): number {
  return Number(v.toPrecision(6));
}
