/**
 * Rebuilds a job's dataflow in another process or thread from its recipe (the stand-in for shipping the
 * job's jar): every engine's standalone processes use it.
 */
import { pathToFileURL } from 'node:url';
import type { Dataflow, DataflowRecipe } from '../../api/index.js';

export async function rebuildDataflow(recipe: DataflowRecipe): Promise<Dataflow> {
  const mod = (await import(pathToFileURL(recipe.module).href)) as Record<string, unknown>;
  const build = mod[recipe.exportName];
  if (typeof build !== 'function') throw new Error(`${recipe.module} exports no function '${recipe.exportName}'`);
  return (build as (...args: unknown[]) => Dataflow)(...recipe.args);
}
