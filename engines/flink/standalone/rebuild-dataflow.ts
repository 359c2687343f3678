/** Rebuilds the job's dataflow in another process from its recipe (the stand-in for loading the job's jar). */
import type { Dataflow, DataflowRecipe } from '../../api/index.js';
import { pathToFileURL } from 'node:url';

export async function rebuildDataflow(recipe: DataflowRecipe): Promise<Dataflow> {
  const mod = (await import(pathToFileURL(recipe.module).href)) as Record<string, unknown>;
  const build = mod[recipe.exportName];
  if (typeof build !== 'function') throw new Error(`${recipe.module} exports no function '${recipe.exportName}'`);
  return (build as (...args: unknown[]) => Dataflow)(...recipe.args);
}
