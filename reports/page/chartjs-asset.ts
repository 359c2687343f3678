/**
 * Chart.js for inlining: the UMD bundle from node_modules, so that a report opens offline. The
 * package's `exports` map hides `dist/`, so the bundle is found beside the resolved main entry
 * (`dist/chart.cjs`). The trailing `sourceMappingURL` comment is dropped (the map is not inlined and
 * browsers would try to fetch it).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ChartJsAsset {
  /** The script text, safe to put between `<script>` and `</script>`. */
  source: string;
  version: string;
}

let cached: ChartJsAsset | undefined;

/**
 * Reads the bundle once per process.
 * @throws Error when chart.js is not installed, or when the bundle contains `</script` or `<!--`
 *   (it could not be inlined safely).
 */
export function chartJsAsset(): ChartJsAsset {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  let dist: string;
  try {
    dist = dirname(require.resolve('chart.js'));
  } catch {
    throw new Error("chart.js is not installed (it is a dependency of streamarena: run 'npm install')");
  }
  let source = '';
  for (const name of ['chart.umd.min.js', 'chart.umd.js']) {
    try {
      source = readFileSync(join(dist, name), 'utf8');
      break;
    } catch {
      // try the next name
    }
  }
  if (!source) throw new Error(`cannot find the Chart.js UMD bundle in ${dist}`);
  source = source.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
  if (/<\/script|<!--/i.test(source)) throw new Error('the Chart.js bundle contains </script or <!--, so it cannot be inlined');
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // the version is only informative
  }
  cached = { source, version };
  return cached;
}
