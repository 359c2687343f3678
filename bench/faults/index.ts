export { parseFaultSpec, formatFaultSpec, type FaultSpec } from './fault-spec.js';
export { checkFaultPlan, describeKinds, faultKindsOf, faultOwner, hasUserFunction, USER_FUNCTION_KINDS } from './fault-plan.js';
export { FaultInjector, withFailingFunctions, type FailingFunctions } from './fault-injector.js';
export { faultTimeline, OFFERED_RATE_FRACTION, type FaultTimeline } from './fault-timeline.js';
export { compareOutputs, observedGuarantee, type OutputComparison } from './output-comparison.js';
export { keepsGuarantee } from '../../engines/api/index.js';
export { CapturingSinks, FaultSession, RecordingEventLog } from './fault-session.js';
