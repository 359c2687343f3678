/** Every engine by name: the CLI, the runner and tests look them up here. */
import type { Engine } from './api/index.js';
import { referenceEngine } from './reference/index.js';
import { flinkEngine } from './flink/index.js';
import { sparkEngine } from './spark/index.js';
import { stormEngine } from './storm/index.js';

export const engines: Readonly<Record<string, Engine>> = {
  reference: referenceEngine,
  flink: flinkEngine,
  spark: sparkEngine,
  storm: stormEngine,
};
