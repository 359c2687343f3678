/** `streamarena compare`: statistics, the comparison of two results files, verdicts and output formats. */
export {
  mannWhitneyU,
  minAttainablePValue,
  midRanks,
  EXACT_LIMIT,
  type MannWhitneyMethod,
  type MannWhitneyOptions,
  type MannWhitneyResult,
} from './mann-whitney.js';
export { normalUpperTail, erfc } from './normal.js';
export { bootstrapMedianChange, type BootstrapOptions, type ChangeInterval } from './bootstrap.js';
export { median, quantileSorted } from './quantile.js';
export { judgeChange, type ChangeJudgement, type ChangeSettings } from './change.js';
export { METRICS, metricSelectors, selectMetrics, type Direction, type MetricKind, type MetricSpec } from './metrics.js';
export { DEFAULT_THRESHOLD, parseThresholds, thresholdFor, type Thresholds } from './thresholds.js';
export { normalizedValue, partnerOf, referenceTrials, type ReferenceTrials } from './normalize.js';
export { collectSamples, groupKey, type FileSamples, type TrialSamples } from './samples.js';
export { checkResults, loadResultsFile, type LabeledResults } from './load.js';
export {
  canReachSignificance,
  judge,
  summarize,
  trialsNeeded,
  type GateSummary,
  type JudgeInput,
  type Judgement,
  type Verdict,
} from './verdict.js';
export {
  compareResults,
  DEFAULT_ALPHA,
  type CompareOptions,
  type ComparisonReport,
  type ComparisonRow,
  type FileSummary,
  type SampleSummary,
} from './compare.js';
export { CompareInputError } from './errors.js';
export * from './format/index.js';
