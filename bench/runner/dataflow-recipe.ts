/**
 * How the processes of a standalone deployment rebuild a workload's dataflow: this module, compiled, is
 * the recipe's module; {@link workloadDataflow} its function. A workload with setup hooks builds its
 * dataflow against what its setup prepared (YSB's cache loaded from Redis), which another process cannot
 * repeat: {@link standaloneUsageProblem} says so before a trial starts.
 */
import { join } from 'node:path';
import type { Dataflow, DataflowRecipe, Deployment, Engine, OptionValue, OptionValues } from '../../engines/api/index.js';
import { engines } from '../../engines/index.js';
import { workloads } from '../../workloads/index.js';
import { UsageError } from '../errors.js';
import { effectiveOptions } from './options.js';
import { packageRoot } from './package-paths.js';

export function workloadDataflow(workload: string, values: OptionValues): Dataflow {
  const w = workloads[workload];
  if (w === undefined) throw new Error(`unknown workload '${workload}'`);
  return w.dataflow(values);
}

export function dataflowRecipe(workload: string, values: OptionValues): DataflowRecipe {
  return {
    module: join(packageRoot(), 'dist', 'bench', 'runner', 'dataflow-recipe.js'),
    exportName: 'workloadDataflow',
    args: [workload, values],
  };
}

/** Why `engine` cannot run `deployment`, in one line; undefined when it can. */
export function deploymentProblem(engine: Engine, deployment: Deployment): string | undefined {
  const supported = engine.deployments ?? ['local'];
  if (supported.includes(deployment)) return undefined;
  return `--deployment ${deployment}: the ${engine.name} engine runs only ${supported.join(', ')}`;
}

/** Why a workload with these values cannot run standalone; undefined when it can. */
export function standaloneUsageProblem(workload: string, values: OptionValues): string | undefined {
  if (workload === 'ysb' && values.redis !== null && values.redis !== undefined)
    return '--deployment standalone: ysb.redis loads the campaign cache in the driver at setup, which the TaskManagers cannot repeat; leave ysb.redis off';
  return undefined;
}

/** Throws a usage error when an engine or a workload of the matrix cannot run `deployment`. */
export function checkDeployment(
  engineNames: readonly string[],
  workloadNames: readonly string[],
  options: Readonly<Record<string, OptionValue>>,
  deployment: Deployment | undefined,
): void {
  if (deployment === undefined || deployment === 'local') return;
  for (const e of engineNames) {
    const engine = engines[e];
    const problem = engine && deploymentProblem(engine, deployment);
    if (problem) throw new UsageError(problem);
  }
  for (const w of workloadNames) {
    const workload = workloads[w];
    const problem = workload && standaloneUsageProblem(w, effectiveOptions(w, workload.options, options));
    if (problem) throw new UsageError(problem);
  }
}
