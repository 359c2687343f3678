/**
 * `node dist/bench/ci/layering/main.js [--root dir]`: prints the import declarations between top-level
 * folders (rows import columns) and every import that breaks the layering; exits 1 when there is one.
 */
import { packageRoot } from '../../runner/package-paths.js';
import { importGraph } from './import-graph.js';
import { countsByTopFolder, LAYERED_FOLDERS, violations } from './layers.js';

/** The counts as a Markdown table, rows and columns in {@link LAYERED_FOLDERS} order. */
export function countsTable(counts: Map<string, Map<string, number>>): string {
  const folders = [...LAYERED_FOLDERS];
  const lines = [`| imports → | ${folders.join(' | ')} |`, `|---|${folders.map(() => '---:').join('|')}|`];
  for (const from of folders) lines.push(`| **${from}** | ${folders.map((to) => counts.get(from)?.get(to) ?? 0).join(' | ')} |`);
  return lines.join('\n');
}

function main(argv: readonly string[]): number {
  const at = argv.indexOf('--root');
  const root = at >= 0 && argv[at + 1] !== undefined ? argv[at + 1]! : packageRoot();
  const edges = importGraph(root, LAYERED_FOLDERS);
  console.log(countsTable(countsByTopFolder(edges)));
  const broken = violations(edges);
  console.log(
    broken.length === 0 ? `\nlayering: ${edges.length} imports, none breaks it` : `\nlayering: ${broken.length} imports break it:`,
  );
  for (const b of broken) console.log(`  ${b}`);
  return broken.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
