/**
 * The flags of a resumed command. What is measured comes from the journal: `--resume <journal>` alone is
 * enough, and a flag given again must say the same as the journal, or the results would mix two matrices.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** The flags to journal: `keys` of `flags`, with the paths among them made absolute. */
export function flagsToJournal(flags: object, keys: readonly string[], pathKeys: readonly string[] = []): Record<string, unknown> {
  const values = flags as Record<string, unknown>;
  const saved: Record<string, unknown> = {};
  for (const key of keys) saved[key] = normalized(values[key], pathKeys.includes(key)) ?? null;
  return saved;
}

/** `given` with the journal's `saved` flags; a flag set on the command line to another value is a UsageError. */
export function flagsFromJournal<F extends object>(
  cmd: Command,
  given: F,
  saved: Record<string, unknown>,
  journalPath: string,
  pathKeys: readonly string[] = [],
): F {
  const values = given as Record<string, unknown>;
  for (const [key, value] of Object.entries(saved)) {
    if (cmd.getOptionValueSource(key) !== 'cli') continue;
    const now = normalized(values[key], pathKeys.includes(key));
    if (JSON.stringify(now ?? null) !== JSON.stringify(value ?? null)) {
      const flag = cmd.options.find((o) => o.attributeName() === key)?.long ?? key;
      throw new UsageError(
        `--resume: ${journalPath} was written with ${flag} ${shown(value)}, not ${shown(now)}; resume with the same arguments or none`,
      );
    }
  }
  const merged: Record<string, unknown> = { ...values };
  for (const [key, value] of Object.entries(saved)) {
    if (value === null || value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged as F;
}

function normalized(value: unknown, isPath: boolean): unknown {
  // A socket input (tcp://host:port) is an address, not a path.
  return isPath && typeof value === 'string' && !/^tcp:\/\//i.test(value) ? resolve(value) : value;
}

function shown(value: unknown): string {
  if (value === undefined || value === null) return '(not given)';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(' ');
  return String(value);
}
