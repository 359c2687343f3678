/**
 * The change of each summary figure against a baseline, judged by `streamarena compare`'s own
 * statistics (reports/compare), so that the report and the gate cannot disagree: for the metrics
 * compare gates (throughput, latency percentiles, CPU, heap) the report shows compare's rows as they
 * are (`compareResults` with its defaults: one-sided Mann-Whitney U tests at alpha 0.05, a 10 %
 * threshold, a bootstrap interval of the change); for the figures compare does not gate (maximum
 * latency, output rate) it applies compare's statistics (`judgeChange`) the same way.
 */
import {
  compareResults,
  DEFAULT_ALPHA,
  DEFAULT_THRESHOLD,
  judgeChange,
  type ChangeInterval,
  type ComparisonReport,
  type Verdict,
} from '../compare/index.js';
import type { ReportSource, RunGroup } from './data.js';
import { figureValues, type Figure } from './figures.js';

export interface FigureChange {
  verdict: Verdict;
  /** compare's reason, with the figures (e.g. `worse by 12.3% (> 10.0%), p = 0.004`). */
  reason: string;
  baselineMedian: number;
  currentMedian: number;
  /** Relative change of the median (0.1 = +10 %); null when the baseline median is 0. */
  change: number | null;
  /** Bootstrap interval of the change; null with fewer than 2 trials a side. */
  interval: ChangeInterval | null;
  baselineTrials: number;
  currentTrials: number;
  /** The one-sided test in the direction of the change is significant at compare's alpha (0.05). */
  significant: boolean;
  /** True when compare itself gates this figure (else only its statistics are applied). */
  gated: boolean;
}

function isSignificant(verdict: Verdict, pWorse: number | null, pBetter: number | null): boolean {
  if (verdict === 'insufficient') return false;
  return (pWorse !== null && pWorse <= DEFAULT_ALPHA) || (pBetter !== null && pBetter <= DEFAULT_ALPHA);
}

/** Summary-table figure key -> compare's metric name. */
const COMPARE_METRIC: Readonly<Record<string, string>> = {
  'throughput.input': 'throughput',
  'eventTime.p50': 'p50',
  'eventTime.p90': 'p90',
  'eventTime.p99': 'p99',
  'eventTime.p999': 'p999',
  'processingTime.p50': 'proc-p50',
  'processingTime.p99': 'proc-p99',
  'cpu.perMillion': 'cpu',
  'heap.peak': 'heap',
};

/** The baseline compared with each source, ready to answer per group and figure. */
export class BaselineComparison {
  private readonly reports: (ComparisonReport | undefined)[];
  /** Why a source could not be compared (no engine and workload in common...), by source index. */
  readonly problems: (string | undefined)[];

  constructor(
    baseline: ReportSource,
    sources: readonly ReportSource[],
    readonly baselineGroups: readonly RunGroup[],
  ) {
    this.problems = [];
    this.reports = sources.map((s, i) => {
      try {
        return compareResults({ label: baseline.label, results: baseline.results }, { label: s.label, results: s.results });
      } catch (err) {
        this.problems[i] = (err as Error).message;
        return undefined;
      }
    });
  }

  /** compare's notes for a source (failed trials left out, differing options, environments). */
  notes(source: number): readonly string[] {
    return this.reports[source]?.notes ?? [];
  }

  /** The baseline's group of the same engine and workload. */
  baselineOf(group: RunGroup): RunGroup | undefined {
    return this.baselineGroups.find((b) => b.engine === group.engine && b.workload === group.workload && b.runs.length > 0);
  }

  /** The change of `figure` for `group`; undefined when the baseline has no such engine, workload or value. */
  change(group: RunGroup, figure: Figure): FigureChange | undefined {
    const base = this.baselineOf(group);
    if (!base) return undefined;
    const metric = COMPARE_METRIC[figure.key];
    if (metric !== undefined) {
      const row = this.reports[group.source]?.rows.find(
        (r) => r.engine === group.engine && r.workload === group.workload && r.metric === metric,
      );
      if (!row) return undefined;
      return {
        verdict: row.verdict,
        reason: row.reason,
        baselineMedian: row.baseline.median,
        currentMedian: row.current.median,
        change: row.change,
        interval: row.interval,
        baselineTrials: row.baseline.n,
        currentTrials: row.current.n,
        significant: isSignificant(row.verdict, row.pWorse, row.pBetter),
        gated: true,
      };
    }
    return judgeFigure(figureValues(base.runs, figure), figureValues(group.runs, figure), figure);
  }
}

/** compare's statistics for a figure compare does not gate: the same test, interval and verdict rules. */
function judgeFigure(bv: number[], cv: number[], figure: Figure): FigureChange | undefined {
  if (bv.length === 0 || cv.length === 0) return undefined;
  const j = judgeChange(bv, cv, {
    direction: figure.better === 'lower' ? 'smaller' : 'bigger',
    threshold: DEFAULT_THRESHOLD,
    alpha: DEFAULT_ALPHA,
    confidence: 1 - 2 * DEFAULT_ALPHA,
    seed: 1,
  });
  return {
    verdict: j.verdict,
    reason: j.reason,
    baselineMedian: j.baselineMedian,
    currentMedian: j.currentMedian,
    change: j.change,
    interval: j.interval,
    baselineTrials: bv.length,
    currentTrials: cv.length,
    significant: isSignificant(j.verdict, j.pWorse, j.pBetter),
    gated: false,
  };
}
