/** Every workload by name: the CLI, the runner and tests look them up here. */
import { stateless } from './stateless/index.js';
import { wordcount } from './wordcount/index.js';
import type { Workload } from './workload.js';

export type { Workload, EventGenerator } from './workload.js';

export const workloads: Readonly<Record<string, Workload>> = { wordcount, stateless };
