export { runSweeps, type SweepSpec, type SweepListener } from './sweep.js';
export { findSustainable, type SearchOptions, type SearchOutcome } from './search.js';
export { judge, DEFAULT_THRESHOLDS, type Verdict, type VerdictThresholds } from './verdict.js';
export { ProbeReplay, type ProbeKey, type ProbeRecord } from './replay.js';
