/**
 * The project's import graph, read from the TypeScript sources (not the compiled output, where type-only
 * imports have vanished: a results contract that imports a harness type is still a wrong arrow).
 *
 * A scanner, not a parser: it finds `import ... from '...'`, `export ... from '...'`, bare `import '...'`
 * and `import('...')` with a literal specifier, after removing comments. The project's formatting keeps
 * those forms plain; a specifier built at run time is not an edge.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/** One import declaration: `from` imports `to` (both paths relative to the root, with `/`). */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  /** 1-based line of the declaration in `from`. */
  readonly line: number;
  /** `import type` / `export type`: erased from the compiled JavaScript. */
  readonly typeOnly: boolean;
}

const STATIC = /(?:^|[\s;}])(import|export)(\s+type)?\b([^'"`;]*?)\bfrom\s*['"]([^'"]+)['"]/g;
const BARE = /(?:^|[\s;])import\s*['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Source text with comments replaced by spaces (newlines kept, so that line numbers stay right). */
export function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      // Copy a string literal whole, so that `//` inside one ('redis://...') is not taken for a comment.
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The module specifiers of one source file, with their lines and whether they are type-only. */
export function importsOf(source: string): { specifier: string; line: number; typeOnly: boolean }[] {
  const text = withoutComments(source);
  const found: { specifier: string; line: number; typeOnly: boolean; at: number }[] = [];
  for (const m of text.matchAll(STATIC)) {
    const at = m.index + m[0].indexOf(m[1]!);
    // `import { type A, type B } from` is type-only too when every name in the braces is.
    const names = m[3]!.trim();
    const allTypes =
      /^\{[^}]*\}$/.test(names) &&
      names
        .slice(1, -1)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .every((s) => s.startsWith('type '));
    found.push({ specifier: m[4]!, line: lineOf(text, at), typeOnly: m[2] !== undefined || (allTypes && names !== '{}'), at });
  }
  for (const m of text.matchAll(BARE)) {
    const at = m.index + m[0].indexOf('import');
    found.push({ specifier: m[1]!, line: lineOf(text, at), typeOnly: false, at });
  }
  for (const m of text.matchAll(DYNAMIC)) found.push({ specifier: m[1]!, line: lineOf(text, m.index), typeOnly: false, at: m.index });
  return found.sort((a, b) => a.at - b.at).map(({ specifier, line, typeOnly }) => ({ specifier, line, typeOnly }));
}

/** Every `.ts` file below `root`'s `folders`, relative to `root` with `/`, sorted. */
export function sourceFiles(root: string, folders: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) files.push(relative(root, path).split(sep).join('/'));
    }
  };
  for (const f of folders) walk(join(root, f));
  return files.sort();
}

/**
 * The edges between the project's own files: relative specifiers resolved against the importing file,
 * `.js` mapped back to the `.ts` source. Package imports (`node:fs`, `commander`) are left out.
 */
export function importGraph(root: string, folders: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of sourceFiles(root, folders)) {
    const text = readFileSync(join(root, from), 'utf8');
    for (const imp of importsOf(text)) {
      if (!imp.specifier.startsWith('.')) continue;
      const to = posix.normalize(posix.join(posix.dirname(from), imp.specifier)).replace(/\.js$/, '.ts');
      edges.push({ from, to, line: imp.line, typeOnly: imp.typeOnly });
    }
  }
  return edges;
}
