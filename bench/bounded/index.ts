/** Bounded runs: a closed log, an engine started on it, its sinks collected, its clock driven to the end. */
export { CollectingSinks, type SinkRecord } from './collecting-sinks.js';
export {
  DEFAULT_VIRTUAL_LIMIT_MS,
  driveInSteps,
  driveToNextTimers,
  driveUntilDrained,
  flushMicrotasks,
  type DriveStrategy,
} from './drive.js';
export {
  runBounded,
  startBounded,
  VIRTUAL_START_MS,
  type BoundedRun,
  type BoundedRunOptions,
  type StartedBoundedRun,
} from './bounded-run.js';
