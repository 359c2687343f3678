/**
 * Finds the package's compiled files, whether this module runs from dist/ (the CLI) or from the TypeScript
 * sources (vitest): children are always started from dist/, which `npm run build` produces.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../engines/runtime/cluster/compiled-entry.js';

export { packageRoot };

/** The compiled trial child entry point. */
export function trialProcessPath(): string {
  const path = join(packageRoot(), 'dist', 'bench', 'runner', 'trial-process.js');
  if (!existsSync(path)) throw new Error(`${path} is missing: run 'npm run build' first`);
  return path;
}
