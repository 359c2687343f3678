/**
 * The layering of the tree, as rules over the import graph. Arrows point one way:
 *
 *   engines/api <- engines/runtime <- engines/operators <- each engine <- engines/index.ts (the registry)
 *   engines/api <- workloads
 *   engines, workloads, reports <- bench (the harness: driver, metrics, runner, sweep, verify)
 *   engines/api, engines/runtime, engines' stats types <- reports (results contract, digest, HTML, compare)
 *   everything <- bench/cli, bench/ci (on top); test/ may import anything
 *
 * Inside the harness, folders import only lower ones: bench/*.ts (errors) <- driver <- metrics <- faults <- runner,
 * bounded <- sweep, verify <- ui (the live dashboard) (bench/micro and bench/overhead.ts are tools on top).
 *
 * A shared mechanism two sides need lives in the lower of them (the histogram in engines/runtime, the
 * seeded PRNG and "did you mean" in engines/api, number formatting in reports).
 */
import type { ImportEdge } from './import-graph.js';

/** The folders the graph is read from. */
export const LAYERED_FOLDERS = ['engines', 'workloads', 'bench', 'reports', 'test'] as const;

/** The engine folders: everything in `engines/` that is not a shared layer. */
const SHARED_ENGINE_LAYERS = new Set(['api', 'runtime', 'operators']);

/** The layer of a file: `engines/api`, `engines/runtime`, `engines/operators`, `engine:<name>`, `engines`, `workloads`, `bench`, `bench/cli`, `bench/ci`, `reports`, `test`. */
export function layerOf(path: string): string {
  const parts = path.split('/');
  const [top, second] = parts;
  if (top === 'engines') {
    if (parts.length === 2) return 'engines';
    return SHARED_ENGINE_LAYERS.has(second!) ? `engines/${second}` : `engine:${second}`;
  }
  if (top === 'bench' && (second === 'cli' || second === 'ci') && parts.length > 2) return `bench/${second}`;
  return top!;
}

/** Rank of a harness folder: a folder imports only lower ranks (or its own). Tools on top are unranked. */
const HARNESS_RANK: Readonly<Record<string, number>> = {
  '': 0,
  driver: 1,
  metrics: 2,
  faults: 2.5,
  runner: 3,
  bounded: 3,
  sweep: 4,
  verify: 4,
  ui: 5,
};

/** The harness folder of a `bench/` file: `driver`, `metrics`..., `''` for bench/*.ts. */
function harnessFolder(path: string): string {
  const parts = path.split('/');
  return parts.length === 2 ? '' : parts[1]!;
}

/** Why an import inside the harness goes the wrong way, or undefined. */
function harnessViolation(edge: ImportEdge): string | undefined {
  const from = harnessFolder(edge.from);
  const to = harnessFolder(edge.to);
  const fromRank = HARNESS_RANK[from];
  const toRank = HARNESS_RANK[to];
  if (from === to || fromRank === undefined || edge.from === 'bench/overhead.ts') return undefined;
  if (toRank === undefined) return `bench/${from} may not import the tool bench/${to}`;
  if (toRank < fromRank) return undefined;
  return `bench/${from || '*.ts'} may not import bench/${to || '*.ts'} (harness order: errors <- driver <- metrics <- runner, bounded <- sweep, verify <- ui)`;
}

/** Why `edge` breaks the layering, or undefined when it is allowed. */
export function violation(edge: ImportEdge): string | undefined {
  const from = layerOf(edge.from);
  const to = layerOf(edge.to);
  if (from === 'bench' && to === 'bench') {
    const why = harnessViolation(edge);
    return why === undefined ? undefined : `${edge.from}:${edge.line} imports ${edge.to}: ${why}`;
  }
  if (from === to || from === 'test') return undefined;
  const engineTarget = to.startsWith('engine:');
  const allowed = ((): boolean | string => {
    switch (from) {
      case 'engines/api':
        return false;
      case 'engines/runtime':
        return to === 'engines/api';
      case 'engines/operators':
        return to === 'engines/api' || to === 'engines/runtime';
      case 'engines':
        return engineTarget || to.startsWith('engines/');
      case 'workloads':
        return to === 'engines/api' || 'workloads use engines/api only';
      case 'reports':
        if (to === 'engines/api' || to === 'engines/runtime') return true;
        if (engineTarget) return edge.typeOnly || "reports may import an engine's types only (import type)";
        return to === 'bench' || to === 'bench/cli' || to === 'bench/ci' ? 'reports never import bench/' : false;
      case 'bench':
        return to.startsWith('engines') || engineTarget || to === 'workloads' || to === 'reports';
      case 'bench/cli':
        return to !== 'test' && to !== 'bench/ci';
      case 'bench/ci':
        return to !== 'test';
      default:
        if (from.startsWith('engine:')) {
          return (
            to === 'engines/api' ||
            to === 'engines/runtime' ||
            to === 'engines/operators' ||
            'an engine imports only the shared engine layers'
          );
        }
        return false;
    }
  })();
  if (allowed === true) return undefined;
  const why = typeof allowed === 'string' ? allowed : `${from} may not import ${to}`;
  return `${edge.from}:${edge.line} imports ${edge.to}: ${why}`;
}

/** Every edge that breaks the layering, as one line each. */
export function violations(edges: readonly ImportEdge[]): string[] {
  return edges.map(violation).filter((v): v is string => v !== undefined);
}

/** Import declarations between top-level folders: `counts[from][to]`, each declaration counted once. */
export function countsByTopFolder(edges: readonly ImportEdge[]): Map<string, Map<string, number>> {
  const counts = new Map<string, Map<string, number>>();
  for (const e of edges) {
    const from = e.from.split('/')[0]!;
    const to = e.to.split('/')[0]!;
    let row = counts.get(from);
    if (row === undefined) counts.set(from, (row = new Map()));
    row.set(to, (row.get(to) ?? 0) + 1);
  }
  return counts;
}
