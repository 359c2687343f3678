/**
 * Event-time window specs and the semantics every engine must agree on (DESIGN.md, "Semantics"):
 * windows are `[start, end)` with `start = floor(t / slide) * slide` aligned at 0; a window fires when
 * the watermark reaches `end - 1`; sessions whose extents touch or overlap merge (as Flink's
 * `TimeWindow.intersects`: `a.start <= b.end && a.end >= b.start`).
 */
import type { TimeWindow } from './records.js';

export type WindowSpec =
  | { readonly kind: 'tumbling'; readonly size: number }
  | { readonly kind: 'sliding'; readonly size: number; readonly slide: number }
  | { readonly kind: 'session'; readonly gap: number };

/** Windows of a fixed size starting at multiples of a slide: what processing-time windows can be. */
export type AlignedWindowSpec = Extract<WindowSpec, { kind: 'tumbling' | 'sliding' }>;

/** Tumbling event-time windows of `sizeMs`. */
export function tumbling(sizeMs: number): AlignedWindowSpec {
  return checkAlignedWindowSpec({ kind: 'tumbling', size: sizeMs });
}

/** Sliding event-time windows of `sizeMs`, one starting every `slideMs`. */
export function sliding(sizeMs: number, slideMs: number): AlignedWindowSpec {
  return checkAlignedWindowSpec({ kind: 'sliding', size: sizeMs, slide: slideMs });
}

/** Session windows per key, closed after `gapMs` without records. */
export function session(gapMs: number): WindowSpec {
  return checkWindowSpec({ kind: 'session', gap: gapMs });
}

function positiveInteger(name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`window ${name} must be a positive whole number of ms, got ${v}`);
}

export function checkWindowSpec(spec: WindowSpec): WindowSpec {
  if (spec.kind === 'session') positiveInteger('gap', spec.gap);
  else positiveInteger('size', spec.size);
  if (spec.kind === 'sliding') positiveInteger('slide', spec.slide);
  return spec;
}

/** Checks a spec of an aligned window (tumbling or sliding); a session spec is a RangeError. */
export function checkAlignedWindowSpec(spec: WindowSpec): AlignedWindowSpec {
  if (spec.kind === 'session') throw new RangeError('processing-time windows are tumbling or sliding, not sessions');
  return checkWindowSpec(spec) as AlignedWindowSpec;
}

/** The slide of an aligned (tumbling or sliding) window spec. */
export function slideOf(spec: WindowSpec): number {
  if (spec.kind === 'session') throw new TypeError('session windows have no slide');
  return spec.kind === 'tumbling' ? spec.size : spec.slide;
}

/**
 * Writes into `starts` the start of every aligned window that contains `t`, newest first, and returns
 * how many there are (0 when a sliding window with slide > size leaves `t` in a gap).
 */
export function alignedWindowStarts(spec: WindowSpec, t: number, starts: number[]): number {
  if (spec.kind === 'session') throw new TypeError('session windows are not aligned');
  const slide = spec.kind === 'tumbling' ? spec.size : spec.slide;
  let n = 0;
  for (let start = Math.floor(t / slide) * slide; start > t - spec.size; start -= slide) starts[n++] = start;
  return n;
}

/** Whether two session windows merge: they overlap or touch. */
export function sessionsMerge(a: TimeWindow, b: TimeWindow): boolean {
  return a.start <= b.end && a.end >= b.start;
}

/** Watermark before any event: nothing may fire. */
export const MIN_WATERMARK = Number.NEGATIVE_INFINITY;
/** Watermark at the end of a bounded input: every open window fires. */
export const MAX_WATERMARK = Number.POSITIVE_INFINITY;

/** Bounded out-of-orderness: the watermark after seeing events up to `maxSeenEventTime`. */
export function boundedOutOfOrderness(maxSeenEventTime: number, maxDelayMs: number): number {
  return maxSeenEventTime - maxDelayMs - 1;
}

/** A window may fire (and records for it are late) once the watermark reaches `end - 1`. */
export function windowClosed(windowEnd: number, watermark: number): boolean {
  return windowEnd - 1 <= watermark;
}

/** The event time of a window's result record (Flink's `window.maxTimestamp()`). */
export function windowResultTime(windowEnd: number): number {
  return windowEnd - 1;
}
