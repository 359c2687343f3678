/**
 * Finds the package's compiled files, whether this module runs from dist/ (the CLI) or from the TypeScript
 * sources (vitest): children are always started from dist/, which `npm run build` produces.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the streamarena package root');
    dir = parent;
  }
  return dir;
}

/** The compiled trial child entry point. */
export function trialProcessPath(): string {
  const path = join(packageRoot(), 'dist', 'bench', 'runner', 'trial-process.js');
  if (!existsSync(path)) throw new Error(`${path} is missing: run 'npm run build' first`);
  return path;
}
