/**
 * `--key=value` arguments of a daemon's command line (they also make its process-table entry readable),
 * and the rebuilding of a job's dataflow from its recipe in another process (the stand-in for loading
 * the job's jar), for every engine's daemons.
 */
import { pathToFileURL } from 'node:url';
import type { Dataflow, DataflowRecipe } from '../../api/index.js';

export function parseDaemonArgs(argv: readonly string[] = process.argv.slice(2)): Map<string, string> {
  const args = new Map<string, string>();
  for (const a of argv) {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    if (m) args.set(m[1], m[2]);
  }
  return args;
}

/** @throws Error when `--key` is missing or not a number */
export function daemonNumberArg(args: Map<string, string>, key: string): number {
  const v = Number(args.get(key));
  if (!Number.isFinite(v)) throw new Error(`missing or bad --${key}`);
  return v;
}

/** @throws Error when the recipe's module does not export the named function */
export async function rebuildDataflowFromRecipe(recipe: DataflowRecipe): Promise<Dataflow> {
  const mod = (await import(pathToFileURL(recipe.module).href)) as Record<string, unknown>;
  const build = mod[recipe.exportName];
  if (typeof build !== 'function') throw new Error(`${recipe.module} exports no function '${recipe.exportName}'`);
  return (build as (...args: unknown[]) => Dataflow)(...recipe.args);
}
