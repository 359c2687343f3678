/**
 * Where the compiled entry module of a daemon or task thread is. Processes and threads always start from
 * dist/ (which `npm run build` produces), whether the caller runs from dist/ (the CLI) or from the
 * TypeScript sources (vitest).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The streamarena package's root folder (where package.json is), from this module's location. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the streamarena package root');
    dir = parent;
  }
  return dir;
}

/** @param path from the package root, without dist/, e.g. `engines/flink/standalone/task-manager-main.js` */
export function compiledEntry(path: string): string {
  const full = join(packageRoot(), 'dist', path);
  if (!existsSync(full)) throw new Error(`${full} is missing: run 'npm run build' first`);
  return full;
}
