export { runTrial, type TrialSpec, type TrialProgress } from './trial.js';
export { runTrialInChild } from './child-trial.js';
export { runMatrix, planTrials, type MatrixSpec, type MatrixListener, type Isolation } from './matrix.js';
export { parseOptionAssignments, effectiveOptions, optionNamespaces, qualify } from './options.js';
export { collectEnvironment } from './environment.js';
export { packageRoot } from './package-paths.js';
export { checkParallelism, checkRunnable } from './preflight.js';
export { sinkFilePolicy, type SinkFilePolicy } from './sink-files.js';
export { explainRecordedOptions } from './explain-plan.js';
