/**
 * Option specs that engines and workloads declare, and their parsing from `key=value` strings.
 * Options are namespaced by their owner: `wordcount.window`, `flink.bufferTimeout`.
 */
import { didYouMean } from './suggest.js';

export type OptionValue = number | string | boolean | null;
export type OptionType = 'integer' | 'number' | 'boolean' | 'string' | 'enum' | 'duration';

export interface OptionSpec {
  /** Key inside the owner's namespace, e.g. `window`. */
  readonly key: string;
  readonly type: OptionType;
  /** Default value; `null` means "off" and is accepted on input as `off` or `none` when `nullable`. */
  readonly default: OptionValue;
  readonly description: string;
  /** Unit shown in help, e.g. `ms`, `events`. Durations are always ms. */
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  /** Allowed values of an `enum`. */
  readonly values?: readonly string[];
  /** Whether `off`/`none` (null) is accepted. */
  readonly nullable?: boolean;
  /** Extra validation; returns an error message or undefined. */
  readonly validate?: (value: OptionValue) => string | undefined;
}

/** Resolved values of one namespace, keyed by the option's key without namespace. */
export type OptionValues = Readonly<Record<string, OptionValue>>;

/** A bad option key or value. The CLI prints its message as one line and exits 2. */
export class OptionError extends Error {
  override readonly name = 'OptionError';
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `500ms`, `10s`, `2m`, `1h` or plain ms into ms; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2] ?? 'ms'];
}

/** Parses and validates one raw option value against its spec; throws OptionError. */
export function parseOptionValue(spec: OptionSpec, raw: string, qualifiedKey = spec.key): OptionValue {
  const text = raw.trim();
  if (spec.nullable && (text === 'off' || text === 'none')) return null;
  let value: OptionValue;
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) throw new OptionError(`option ${qualifiedKey}: '${raw}' is not a number`);
      if (spec.type === 'integer' && !Number.isInteger(n)) throw new OptionError(`option ${qualifiedKey}: '${raw}' is not a whole number`);
      value = n;
      break;
    }
    case 'duration': {
      const ms = parseDuration(text);
      if (ms === undefined)
        throw new OptionError(`option ${qualifiedKey}: '${raw}' is not a duration (use e.g. 500ms, 10s, 2m or plain ms)`);
      value = ms;
      break;
    }
    case 'boolean':
      if (['true', 'yes', 'on', '1'].includes(text)) value = true;
      else if (['false', 'no', 'off', '0'].includes(text)) value = false;
      else throw new OptionError(`option ${qualifiedKey}: '${raw}' is not true or false`);
      break;
    case 'enum':
      if (!spec.values?.includes(text)) {
        throw new OptionError(
          `option ${qualifiedKey}: '${raw}' is not one of ${spec.values?.join(', ')}${didYouMean(text, spec.values ?? [])}`,
        );
      }
      value = text;
      break;
    case 'string':
      value = text;
      break;
  }
  checkOptionValue(spec, value, qualifiedKey);
  return value;
}

/** Checks a typed value (a default, or a parsed one) against the spec's bounds; throws OptionError. */
export function checkOptionValue(spec: OptionSpec, value: OptionValue, qualifiedKey = spec.key): void {
  if (value === null) {
    if (!spec.nullable) throw new OptionError(`option ${qualifiedKey} cannot be off`);
    return;
  }
  if (typeof value === 'number') {
    if (spec.min !== undefined && value < spec.min)
      throw new OptionError(`option ${qualifiedKey}: ${value} is below the minimum ${spec.min}`);
    if (spec.max !== undefined && value > spec.max)
      throw new OptionError(`option ${qualifiedKey}: ${value} is above the maximum ${spec.max}`);
  }
  const problem = spec.validate?.(value);
  if (problem) throw new OptionError(`option ${qualifiedKey}: ${problem}`);
}

/** The defaults of a list of specs. */
export function defaultOptionValues(specs: readonly OptionSpec[]): Record<string, OptionValue> {
  const values: Record<string, OptionValue> = {};
  for (const spec of specs) values[spec.key] = spec.default;
  return values;
}

/** The defaults of `specs` with `overrides` on top (an undefined override keeps the default). */
export function withDefaults(
  specs: readonly OptionSpec[],
  overrides: Readonly<Record<string, OptionValue | undefined>> = {},
): Record<string, OptionValue> {
  const values = defaultOptionValues(specs);
  for (const [key, v] of Object.entries(overrides)) if (v !== undefined) values[key] = v;
  return values;
}

/** Reads a numeric option, failing loudly when a spec and its reader disagree. */
export function numberOption(values: OptionValues, key: string): number {
  const v = values[key];
  if (typeof v !== 'number') throw new Error(`option ${key} is ${JSON.stringify(v)}, expected a number`);
  return v;
}
