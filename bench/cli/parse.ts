/** Parsers for CLI arguments: each returns the typed value or throws a UsageError naming the flag. */
import { DEPLOYMENTS, didYouMean, parseDuration, type Deployment } from '../../engines/api/index.js';
import { UsageError } from '../errors.js';

export function parseRate(text: string): number | 'max' {
  if (text.trim().toLowerCase() === 'max') return 'max';
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--rate: '${text}' is not a positive number of events per second or 'max'`);
  return n;
}

export function parseTime(flag: string, text: string, allowZero = true): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`${flag}: '${text}' is not a duration (use e.g. 500ms, 10s, 2m or plain ms)`);
  if (!allowZero && ms <= 0) throw new UsageError(`${flag}: must be longer than 0`);
  return ms;
}

export function parseCount(flag: string, text: string, min = 1): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag}: '${text}' is not a whole number >= ${min}`);
  return n;
}

/** A comma-separated list of names, each known; `all` means every one. */
export function parseNameList(flag: string, text: string, known: readonly string[]): string[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError(`${flag}: give at least one name (${known.join(', ')})`);
  if (names.length === 1 && names[0] === 'all') return [...known];
  for (const name of names) {
    if (!known.includes(name))
      throw new UsageError(`${flag}: unknown name '${name}'${didYouMean(name, known)}; known: ${known.join(', ')}`);
  }
  return [...new Set(names)];
}

/** Commander collector for repeatable flags. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--deployment local|standalone`. */
export function parseDeployment(text: string): Deployment {
  if ((DEPLOYMENTS as readonly string[]).includes(text)) return text as Deployment;
  throw new UsageError(`--deployment: '${text}' is not one of ${DEPLOYMENTS.join(', ')}`);
}

export const DEPLOYMENT_HELP =
  "'local' (every daemon and task in the trial's process, Flink's MiniCluster) or 'standalone' (daemons as processes on 127.0.0.1, tasks on their own threads)";
