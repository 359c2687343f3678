/**
 * Replaying a sweep's journal. A sweep probes in an order its results decide (the search bisects on the
 * verdicts) and its budget limits (a probe runs only while time is left), so a resumed sweep re-runs the
 * same decisions on the journaled probes: each probe it wants next is taken from the journal, and whether
 * a search went on is read from the journal too (the interrupted run had time for a probe exactly when
 * the journal holds one), not from a clock. Once the journal is used up, probes run again and the budget
 * counts on from the time the journal had reached.
 */
import type { SweepPoint } from '../../reports/schema.js';
import { UsageError } from '../errors.js';

/** Which probe: the index of the varied value, the engine, the offered rate (`max`: the capacity probe), the trial. */
export interface ProbeKey {
  setting: number;
  engine: string;
  rate: number | 'max';
  trial: number;
}

/** A completed probe as the journal keeps it. */
export interface ProbeRecord extends ProbeKey {
  /** Time the sweep had run when the probe completed (ms). */
  elapsedMs: number;
  result: SweepPoint | { capacity: number };
}

export class ProbeReplay {
  private next = 0;
  /** When the replay ran out (the clock's reading), from which elapsed time counts on. */
  private liveFrom: number | undefined;

  constructor(
    private readonly records: readonly ProbeRecord[],
    private readonly now: () => number,
  ) {
    if (records.length === 0) this.liveFrom = now();
  }

  get replaying(): boolean {
    return this.next < this.records.length;
  }

  /** How many journaled probes have been replayed. */
  get replayed(): number {
    return this.next;
  }

  /** The sweep's elapsed time (ms): the journal's while replaying, then counting on from its last probe. */
  elapsed(): number {
    const journaled = this.next > 0 ? this.records[this.next - 1].elapsedMs : 0;
    return this.liveFrom === undefined ? journaled : journaled + (this.now() - this.liveFrom);
  }

  /**
   * While replaying, whether the interrupted run made another search probe of this engine (it had budget
   * for one); undefined once the journal is used up (decide by the clock).
   */
  searchWentOn(setting: number, engine: string): boolean | undefined {
    if (!this.replaying) return undefined;
    const r = this.records[this.next];
    return r.setting === setting && r.engine === engine && r.rate !== 'max';
  }

  /** The journaled result of probe `key`, or undefined when it must run. A journal that probed otherwise is a UsageError. */
  take(key: ProbeKey): ProbeRecord['result'] | undefined {
    if (!this.replaying) return undefined;
    const r = this.records[this.next];
    if (r.setting !== key.setting || r.engine !== key.engine || r.rate !== key.rate || r.trial !== key.trial) {
      throw new UsageError(`--resume: the journal's probe ${this.next + 1} is ${describe(r)}, but this sweep's is ${describe(key)}`);
    }
    this.next++;
    if (!this.replaying) this.liveFrom = this.now();
    return r.result;
  }

  /** After the sweep: a journal with probes the sweep never asked for belongs to another sweep. */
  checkUsedUp(): void {
    if (this.replaying) {
      throw new UsageError(
        `--resume: the journal holds ${this.records.length - this.next} probes this sweep does not make, from ${describe(this.records[this.next])}`,
      );
    }
  }
}

function describe(k: ProbeKey): string {
  return `${k.engine} at ${k.rate === 'max' ? 'max' : `${k.rate} ev/s`} (setting ${k.setting + 1}, trial ${k.trial})`;
}
