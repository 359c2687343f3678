/**
 * Storm's eviction policy for event-time windows of a duration, `WatermarkTimeEvictionPolicy`: the trigger
 * policy sets the reference time (the end of the window being evaluated), and each held event is
 *
 * - EXPIRE when it is a whole window length or more before the reference: it left the window for good,
 *   is removed, and its tuple is acked;
 * - PROCESS when it lies in the window `(reference - length, reference]`;
 * - KEEP when it is after the reference: it belongs to a later window.
 *
 * Before a reference time is set (no watermark yet) every event is STOP: the scan ends, nothing is evicted.
 *
 * One difference from Storm: Storm also answers STOP for an event more than the lag after the reference,
 * ending the scan there on the assumption that events arrive in timestamp order within the lag. Tuples from
 * several input streams or parallel upstream tasks break that assumption (a stream of window results
 * trails the raw stream it is joined with by a whole window), and Storm then skips, and later expires
 * unprocessed, the window's tuples queued behind that event. Here every evaluation scans all held tuples.
 * Storm's other policies (count based, processing-time based) need windows the dataflow cannot express and
 * are not built.
 */

/** What a scan does with one held event (Storm's `EvictionPolicy.Action`). */
export const EXPIRE = 0;
export const PROCESS = 1;
export const KEEP = 2;
export const STOP = 3;
export type EvictionAction = typeof EXPIRE | typeof PROCESS | typeof KEEP | typeof STOP;

export class WatermarkTimeEvictionPolicy {
  private reference = Number.NaN;

  /** @param windowLengthMs the window length (ms) */
  constructor(readonly windowLengthMs: number) {}

  /** Sets the reference time (ms): the inclusive end of the window evaluated next. */
  setContext(referenceTime: number): void {
    this.reference = referenceTime;
  }

  /** The current reference time (NaN before the first). */
  get referenceTime(): number {
    return this.reference;
  }

  evict(ts: number): EvictionAction {
    const ref = this.reference;
    if (ref !== ref) return STOP;
    const diff = ref - ts;
    if (diff < 0) return KEEP;
    return diff >= this.windowLengthMs ? EXPIRE : PROCESS;
  }
}
