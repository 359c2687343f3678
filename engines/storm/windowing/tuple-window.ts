/**
 * What a windowed bolt's `execute` receives (Storm's `TupleWindow`): the tuples of the window, those added
 * since the previous window was evaluated, those expired since then, and the window's bounds in Storm's
 * convention, `(startTimestamp, endTimestamp]` (ms).
 */
import type { Tuple } from '../executor/tuple.js';

export interface TupleWindow {
  /** Every tuple in the window, in arrival order. */
  get(): readonly Tuple[];
  /** The tuples not in the previous window evaluated. */
  getNew(): readonly Tuple[];
  /** The tuples that expired since the previous window evaluated (already acked). */
  getExpired(): readonly Tuple[];
  /** The window's exclusive start: its end minus the window length (ms). */
  readonly startTimestamp: number;
  /** The window's inclusive end (ms). */
  readonly endTimestamp: number;
}

export class TupleWindowImpl implements TupleWindow {
  constructor(
    private readonly tuples: readonly Tuple[],
    private readonly newTuples: readonly Tuple[],
    private readonly expiredTuples: readonly Tuple[],
    readonly startTimestamp: number,
    readonly endTimestamp: number,
  ) {}

  get(): readonly Tuple[] {
    return this.tuples;
  }

  getNew(): readonly Tuple[] {
    return this.newTuples;
  }

  getExpired(): readonly Tuple[] {
    return this.expiredTuples;
  }
}
