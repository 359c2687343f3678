/**
 * Thresholds: how large a statistically significant change must be before it counts (a fraction: 0.1 =
 * 10 %). One default, and overrides per metric name or group (`p99=20%`, `latency=15%`); the most specific
 * selector of a metric that has a threshold wins.
 */
import { closest } from '../../engines/api/index.js';
import { CompareInputError } from './errors.js';
import { metricSelectors, type MetricSpec } from './metrics.js';

export interface Thresholds {
  /** For every metric without an override (fraction). */
  default: number;
  /** Overrides by selector (fraction). */
  bySelector: Record<string, number>;
}

export const DEFAULT_THRESHOLD = 0.1;

/**
 * Reads `--threshold` values: `10%` (or `10`) sets the default, `p99=20%` one metric, `latency=15%` a group.
 * A later value for the same selector replaces an earlier one.
 */
export function parseThresholds(specs: readonly string[]): Thresholds {
  const thresholds: Thresholds = { default: DEFAULT_THRESHOLD, bySelector: {} };
  const known = metricSelectors();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const selector = eq < 0 ? undefined : spec.slice(0, eq).trim();
    const fraction = parsePercent(spec, eq < 0 ? spec : spec.slice(eq + 1));
    if (selector === undefined) {
      thresholds.default = fraction;
    } else {
      if (!known.includes(selector)) {
        const hint = closest(selector, known);
        throw new CompareInputError(
          `--threshold: unknown metric '${selector}'${hint ? ` (did you mean ${hint}?)` : ''}; known: ${known.join(', ')}`,
        );
      }
      thresholds.bySelector[selector] = fraction;
    }
  }
  return thresholds;
}

/** The threshold (fraction) that applies to `metric`. */
export function thresholdFor(metric: MetricSpec, thresholds: Thresholds): number {
  for (const s of metric.selectors) {
    const t = thresholds.bySelector[s];
    if (t !== undefined) return t;
  }
  return thresholds.default;
}

function parsePercent(spec: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!m) throw new CompareInputError(`--threshold: '${spec}' is not a percentage (use e.g. 10% or p99=20%)`);
  const percent = Number(m[1]);
  if (percent > 1000) throw new CompareInputError(`--threshold: '${spec}' is above 1000%`);
  return percent / 100;
}
