/** Every engine by name: the CLI, the runner and tests look them up here. */
import type { Engine } from './api/index.js';
import { referenceEngine } from './reference/index.js';

export const engines: Readonly<Record<string, Engine>> = { reference: referenceEngine };
