/**
 * Errors that are the user's to fix (bad flag, bad value, unreadable or malformed input). The CLI prints
 * their message as one line and exits 2; anything else is a bug and exits 1.
 */
import { OptionError } from '../engines/api/index.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function isUsageError(err: unknown): err is Error {
  return err instanceof UsageError || err instanceof OptionError;
}
