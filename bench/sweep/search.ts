/**
 * The search for sustainable throughput: a capacity bound from one unthrottled probe, a coarse ramp in
 * quarters of it (or down by halves below a quarter), then a bisection between the highest sustained and the lowest unsustained rate,
 * as long as the time budget allows another probe. Pure: probing is passed in.
 */

export interface SearchOptions {
  /** Throughput of an unthrottled (--rate max) probe, events/s: no paced rate above it can be sustained. */
  capacity: number;
  /** Stop bisecting when (high - low) / high falls below this. */
  precision: number;
  /** Whether there is budget for one more probe. */
  canProbe: () => boolean;
  /** The ramp's lowest rate before giving up (events/s). */
  floor: number;
}

export interface SearchOutcome {
  sustainable: number | null;
  /** How the search ended, for the reader checking the verdict. */
  summary: string;
}

/** `probe(rate)` runs one trial and says whether `rate` was sustained (undefined: the trial failed). */
export async function findSustainable(probe: (rate: number) => Promise<boolean | undefined>, o: SearchOptions): Promise<SearchOutcome> {
  // The bracket: highest rate sustained, lowest rate not sustained.
  const b: { low: number | null; high: number | null } = { low: null, high: null };
  let failedAt: number | undefined;
  const tryRate = async (rate: number): Promise<boolean | 'stop'> => {
    if (!o.canProbe()) return 'stop';
    const ok = await probe(Math.round(rate));
    if (ok === undefined) {
      failedAt = Math.round(rate);
      return 'stop';
    }
    if (ok) b.low = Math.max(b.low ?? 0, Math.round(rate));
    else b.high = Math.min(b.high ?? Infinity, Math.round(rate));
    return ok;
  };

  // Coarse ramp in quarters of the capacity (the unthrottled probe bounds the answer), or down by halves
  // from a quarter until something is sustained.
  let rate = o.capacity / 4;
  const first = await tryRate(rate);
  if (first === 'stop') return done('budget exhausted before the first probe');
  if (first) {
    for (let step = 2; step <= 4; step++) {
      const ok = await tryRate((o.capacity * step) / 4);
      if (ok === 'stop') return done('budget exhausted during the ramp');
      if (!ok) break;
    }
  } else {
    for (rate /= 2; rate >= o.floor; rate /= 2) {
      const ok = await tryRate(rate);
      if (ok === 'stop') return done('budget exhausted during the ramp');
      if (ok) break;
    }
    if (b.low === null) return { sustainable: null, summary: `nothing sustained down to ${Math.round(rate * 2)} events/s` };
  }
  if (b.high === null) return done('sustained every ramp rate up to the unthrottled capacity');

  // Bisection between the bracket's ends.
  while (b.low !== null && b.high !== null && (b.high - b.low) / b.high > o.precision) {
    const ok = await tryRate((b.low + b.high) / 2);
    if (ok === 'stop') return done(`budget exhausted; bracket [${b.low}, ${b.high}] events/s`);
  }
  return done(`bracket [${b.low}, ${b.high}] events/s, within ${Math.round(o.precision * 100)} %`);

  function done(summary: string): SearchOutcome {
    return { sustainable: b.low, summary: failedAt === undefined ? summary : `stopped: the trial at ${failedAt} events/s failed` };
  }
}
