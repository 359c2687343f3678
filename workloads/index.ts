/** Every workload by name: the CLI, the runner and tests look them up here. */
import { nexmarkWorkloads } from './nexmark/index.js';
import { stateless } from './stateless/index.js';
import { wordcount } from './wordcount/index.js';
import type { Workload } from './workload.js';
import { ysb } from './ysb/index.js';

export type { Workload, EventGenerator } from './workload.js';
export {
  startWorkloadSession,
  withSinkEffects,
  comparableOutput,
  type WorkloadSession,
  type WorkloadHooks,
  type HookedWorkload,
  type SetupContext,
} from './workload-hooks.js';

export const workloads: Readonly<Record<string, Workload>> = { wordcount, stateless, ysb, ...nexmarkWorkloads };
