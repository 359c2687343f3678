/** Messages between the runner and a trial's child process. */
import type { RunResult } from '../../reports/schema.js';
import type { TrialProgress, TrialSpec } from './trial.js';

export type ParentMessage = { type: 'run'; spec: TrialSpec };

export type ChildMessage =
  | { type: 'progress'; progress: TrialProgress }
  | { type: 'result'; result: RunResult }
  | { type: 'error'; message: string; usage: boolean; stack?: string };
