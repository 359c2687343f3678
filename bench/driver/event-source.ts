/**
 * Where the driver's events come from: a workload's seeded generator (unbounded, produced lazily) or the
 * lines of an input file (bounded).
 */
export interface EventSource {
  /** Number of events there are, or undefined for an unbounded generator. */
  readonly total: number | undefined;
  /** The value of event `index`, scheduled for `emitTime` (ms since epoch). */
  eventAt(index: number, emitTime: number): unknown;
}

/** Produces event values lazily from a workload generator. */
export function generatedEvents(next: (index: number, emitTime: number) => unknown): EventSource {
  return { total: undefined, eventAt: next };
}

/** Replays pre-read values in order. */
export function recordedEvents(values: readonly unknown[]): EventSource {
  return { total: values.length, eventAt: (index) => values[index] };
}
