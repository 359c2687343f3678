/**
 * Namespaced options (`-o wordcount.window=5000`): validation of the user's assignments against every
 * engine's and workload's specs, and the effective values of one run.
 */
import {
  OptionError,
  defaultOptionValues,
  didYouMean,
  parseOptionValue,
  type OptionSpec,
  type OptionValue,
} from '../../engines/api/index.js';
import { engines } from '../../engines/index.js';
import { workloads } from '../../workloads/index.js';

/** Every option namespace: one per engine and workload. */
export function optionNamespaces(): Map<string, readonly OptionSpec[]> {
  const spaces = new Map<string, readonly OptionSpec[]>();
  for (const e of Object.values(engines)) spaces.set(e.name, e.options);
  for (const w of Object.values(workloads)) spaces.set(w.name, w.options);
  return spaces;
}

/** Parses `key=value` assignments into typed values by qualified key; throws OptionError on any problem. */
export function parseOptionAssignments(assignments: readonly string[]): Record<string, OptionValue> {
  const spaces = optionNamespaces();
  const allKeys = [...spaces].flatMap(([ns, specs]) => specs.map((s) => `${ns}.${s.key}`));
  const values: Record<string, OptionValue> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new OptionError(`option '${assignment}' must look like key=value, e.g. wordcount.window=5000`);
    const key = assignment.slice(0, eq).trim();
    const dot = key.indexOf('.');
    const specs = dot > 0 ? spaces.get(key.slice(0, dot)) : undefined;
    const spec = specs?.find((s) => s.key === key.slice(dot + 1));
    if (spec === undefined) throw new OptionError(`unknown option '${key}'${didYouMean(key, allKeys)}; 'streamarena list' shows them all`);
    values[key] = parseOptionValue(spec, assignment.slice(eq + 1), key);
  }
  return values;
}

/** The effective values of one namespace: defaults overridden by the given qualified values. */
export function effectiveOptions(
  namespace: string,
  specs: readonly OptionSpec[],
  given: Readonly<Record<string, OptionValue>>,
): Record<string, OptionValue> {
  const values = defaultOptionValues(specs);
  for (const spec of specs) {
    const qualified = `${namespace}.${spec.key}`;
    if (qualified in given) values[spec.key] = given[qualified];
  }
  return values;
}

/** Qualifies a namespace's values: `{window: 5}` -> `{'wordcount.window': 5}`. */
export function qualify(namespace: string, values: Readonly<Record<string, OptionValue>>): Record<string, OptionValue> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${namespace}.${k}`, v]));
}
