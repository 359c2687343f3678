/**
 * Time, as engines must read it. Engines never call Date.now(), performance.now(), setTimeout or
 * setImmediate themselves: everything goes through a Clock so that a simulated (virtual-time) cluster
 * stays possible.
 */

/** Something scheduled that can be called off. */
export interface Cancellable {
  cancel(): void;
}

export interface Clock {
  /** Current time in ms since the Unix epoch, fractional, never going backwards within a run. */
  now(): number;
  /** Calls `callback` once the clock has reached `atMs` (ms since epoch). */
  schedule(atMs: number, callback: () => void): Cancellable;
  /** Calls `callback` soon, after pending timers and I/O have had their turn (a yield to the host). */
  defer(callback: () => void): void;
}
