import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../bench/runner/package-paths.js';
import { importGraph, importsOf, LAYERED_FOLDERS, layerOf, violations, withoutComments } from '../../../bench/ci/layering/index.js';

const trees: string[] = [];
afterEach(() => {
  for (const t of trees.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A throw-away source tree: path -> text. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'layering-'));
  trees.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const FOLDERS = ['engines', 'workloads', 'bench', 'reports', 'test'];

describe('import scanner', () => {
  it('finds static, re-export, bare and dynamic imports with their lines and type-onlyness', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      'import {',
      '  type C,',
      '  type D,',
      "} from './c.js';",
      "export { e } from './e.js';",
      "export type { F } from './f.js';",
      "import './side-effect.js';",
      "const g = await import('./g.js');",
      "import { type H, i } from './hi.js';",
    ].join('\n');
    expect(importsOf(source)).toEqual([
      { specifier: './a.js', line: 1, typeOnly: false },
      { specifier: './b.js', line: 2, typeOnly: true },
      { specifier: './c.js', line: 3, typeOnly: true },
      { specifier: './e.js', line: 7, typeOnly: false },
      { specifier: './f.js', line: 8, typeOnly: true },
      { specifier: './side-effect.js', line: 9, typeOnly: false },
      { specifier: './g.js', line: 10, typeOnly: false },
      { specifier: './hi.js', line: 11, typeOnly: false },
    ]);
  });

  it('ignores imports inside comments but keeps // inside strings', () => {
    const source = "/* import { x } from './x.js'; */\n// import './y.js';\nconst url = 'redis://h:1'; import { z } from './z.js';\n";
    expect(withoutComments(source)).toContain("'redis://h:1'");
    expect(importsOf(source).map((i) => i.specifier)).toEqual(['./z.js']);
  });
});

describe('layers', () => {
  it('classifies files by folder', () => {
    expect(layerOf('engines/api/engine.ts')).toBe('engines/api');
    expect(layerOf('engines/flink/network/input-gate.ts')).toBe('engine:flink');
    expect(layerOf('engines/index.ts')).toBe('engines');
    expect(layerOf('bench/cli/main.ts')).toBe('bench/cli');
    expect(layerOf('bench/driver/event-log.ts')).toBe('bench');
    expect(layerOf('reports/html/render.ts')).toBe('reports');
  });

  it('fails on a report that imports the harness, naming the file, line and rule', () => {
    const root = tree({
      'bench/metrics/sampler.ts': 'export interface Sample { t: number }\n',
      'reports/schema.ts': "// the results contract\nimport type { Sample } from '../bench/metrics/sampler.js';\nexport type S = Sample;\n",
    });
    expect(violations(importGraph(root, FOLDERS))).toEqual([
      'reports/schema.ts:2 imports bench/metrics/sampler.ts: reports never import bench/',
    ]);
  });

  it('allows the arrows that point down and rejects the ones that point up', () => {
    const root = tree({
      'engines/api/index.ts': 'export const api = 1;\n',
      'engines/runtime/index.ts': "import { api } from '../api/index.js';\nimport { x } from '../operators/index.js';\n",
      'engines/operators/index.ts': "import '../runtime/index.js';\n",
      'engines/flink/index.ts': "import '../operators/index.js';\nimport '../storm/index.js';\n",
      'engines/storm/index.ts': 'export {};\n',
      'workloads/w.ts': "import '../engines/api/index.js';\nimport '../engines/runtime/index.js';\n",
      'bench/driver/log.ts': "import '../metrics/sinks.js';\nimport '../../reports/schema.ts';\n",
      'bench/metrics/sinks.ts': "import '../driver/log.js';\n",
      'reports/schema.ts': "import type { S } from '../engines/flink/index.js';\nimport { f } from '../engines/storm/index.js';\n",
      'test/any.test.ts': "import '../bench/cli/main.js';\n",
      'bench/cli/main.ts': "import '../../test/any.test.js';\n",
    });
    expect(violations(importGraph(root, FOLDERS))).toEqual([
      'bench/cli/main.ts:1 imports test/any.test.ts: bench/cli may not import test',
      'bench/driver/log.ts:1 imports bench/metrics/sinks.ts: bench/driver may not import bench/metrics' +
        ' (harness order: errors <- driver <- metrics <- runner, bounded <- sweep, verify <- ui)',
      'engines/flink/index.ts:2 imports engines/storm/index.ts: an engine imports only the shared engine layers',
      'engines/runtime/index.ts:2 imports engines/operators/index.ts: engines/runtime may not import engines/operators',
      "reports/schema.ts:2 imports engines/storm/index.ts: reports may import an engine's types only (import type)",
      'workloads/w.ts:2 imports engines/runtime/index.ts: workloads use engines/api only',
    ]);
  });
});

describe('this tree', () => {
  it('keeps every arrow pointing one way (npm run layering prints the counts)', () => {
    const edges = importGraph(packageRoot(), LAYERED_FOLDERS);
    expect(edges.length).toBeGreaterThan(1000); // the scanner found the tree's imports
    expect(violations(edges)).toEqual([]);
  });
});
