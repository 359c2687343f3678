export {
  verify,
  formatVerifyReport,
  formatVerifyCase,
  DEFAULT_VERIFY_EVENTS,
  DEFAULT_VERIFY_TIMEOUT_MS,
  ORACLE_ENGINE,
  type VerifySpec,
  type VerifyCase,
  type VerifyReport,
  type VerifyStatus,
} from './verify.js';
export { boundedInput, VERIFY_EPOCH_MS, VERIFY_RATE, type BoundedInput } from './bounded-input.js';
export { collectRun, type CollectedRun, type CollectOptions } from './collect-run.js';
export { diffRecords, describeDifference, type SinkDifference } from './output-diff.js';
export {
  verifyFaults,
  formatFaultVerifyCase,
  formatFaultVerifyReport,
  type FaultVerifySpec,
  type FaultVerifyCase,
  type FaultVerifyReport,
} from './fault-verify.js';
