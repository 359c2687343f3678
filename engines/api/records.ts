/**
 * Records and the timing metadata every engine carries with them.
 *
 * All times are milliseconds since the Unix epoch as read from a {@link Clock} (fractional).
 */

/** A key produced by a key selector. Primitive so that every engine hashes and compares it alike. */
export type Key = string | number;

/** The three times a record carries through every engine (see DESIGN.md, "Data flowing through it"). */
export interface RecordTimes {
  /** Event time (ms): what windows and watermarks are computed from. */
  eventTime: number;
  /** The driver's intended send time (ms) of the newest input this record derives from. */
  emitTime: number;
  /** When a source read the newest input this record derives from (ms). */
  ingestTime: number;
}

/** A value with its times: the unit engines move between operators when they materialise records. */
export interface StreamRecord<T = unknown> extends RecordTimes {
  value: T;
}

/** What a window operator emits: one record per key and window. */
export interface WindowResult<K extends Key = Key, R = unknown> {
  windowStart: number;
  windowEnd: number;
  key: K;
  value: R;
}

/** A window, `[start, end)` in event time (ms). */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}
